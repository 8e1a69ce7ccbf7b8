-- The 10 rooms with the most participant-minutes in the period
--
-- psql -v from=2026-11-01 -v to=2026-11-30 -f top_rooms.sql   (UTC days, both included;
-- without -v: the last 30 days). `turnctl report top_rooms` runs the same query.
-- Columns: docs/DATABASE.md, "Usage reports"; views: db/migrations/006_report_views.sql.
\if :{?from}
\else
  \set from ''
\endif
\if :{?to}
\else
  \set to ''
\endif
SELECT room,
       count(*) AS days_used,
       sum(conferences)::bigint AS conferences,
       sum(participations)::bigint AS participations,
       sum(participant_minutes) AS participant_minutes,
       max(peak_participants) AS peak_participants
  FROM report_daily_rooms
 WHERE day BETWEEN coalesce(nullif(:'from', '')::date, (now() AT TIME ZONE 'UTC')::date - 29)
               AND coalesce(nullif(:'to', '')::date, (now() AT TIME ZONE 'UTC')::date)
 GROUP BY room
 ORDER BY participant_minutes DESC, room NULLS LAST
 LIMIT 10;
