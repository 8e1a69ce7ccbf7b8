-- Per day: TURN allocations, how many needed TCP or TLS (UDP blocked) and their share, relayed bytes
--
-- psql -v from=2026-11-01 -v to=2026-11-30 -f daily_allocations.sql   (UTC days, both included;
-- without -v: the last 30 days). `turnctl report daily_allocations` runs the same query.
-- Columns: docs/DATABASE.md, "Usage reports"; views: db/migrations/006_report_views.sql.
\if :{?from}
\else
  \set from ''
\endif
\if :{?to}
\else
  \set to ''
\endif
SELECT * FROM report_daily_allocations
 WHERE day BETWEEN coalesce(nullif(:'from', '')::date, (now() AT TIME ZONE 'UTC')::date - 29)
               AND coalesce(nullif(:'to', '')::date, (now() AT TIME ZONE 'UTC')::date)
 ORDER BY day;
