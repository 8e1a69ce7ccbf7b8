-- Hours of the day (UTC) by participant-minutes, then TURN allocations, over the period
--
-- psql -v from=2026-11-01 -v to=2026-11-30 -f busiest_hours.sql   (UTC days, both included;
-- without -v: the last 30 days). `turnctl report busiest_hours` runs the same query.
-- Columns: docs/DATABASE.md, "Usage reports"; views: db/migrations/006_report_views.sql.
\if :{?from}
\else
  \set from ''
\endif
\if :{?to}
\else
  \set to ''
\endif
SELECT hour,
       count(*) AS days_used,
       sum(participations)::bigint AS participations,
       sum(participant_minutes) AS participant_minutes,
       max(peak_participants) AS peak_participants,
       sum(allocations)::bigint AS allocations
  FROM report_hourly_usage
 WHERE day BETWEEN coalesce(nullif(:'from', '')::date, (now() AT TIME ZONE 'UTC')::date - 29)
               AND coalesce(nullif(:'to', '')::date, (now() AT TIME ZONE 'UTC')::date)
 GROUP BY hour
 ORDER BY participant_minutes DESC, allocations DESC, hour;
