-- Per day: conferences held, rooms used, participations, participant-minutes, largest room's peak
--
-- psql -v from=2026-11-01 -v to=2026-11-30 -f daily_conferences.sql   (UTC days, both included;
-- without -v: the last 30 days). `turnctl report daily_conferences` runs the same query.
-- Columns: docs/DATABASE.md, "Usage reports"; views: db/migrations/006_report_views.sql.
\if :{?from}
\else
  \set from ''
\endif
\if :{?to}
\else
  \set to ''
\endif
SELECT * FROM report_daily_conferences
 WHERE day BETWEEN coalesce(nullif(:'from', '')::date, (now() AT TIME ZONE 'UTC')::date - 29)
               AND coalesce(nullif(:'to', '')::date, (now() AT TIME ZONE 'UTC')::date)
 ORDER BY day;
