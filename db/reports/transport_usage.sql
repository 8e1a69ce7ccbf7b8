-- TURN allocations and relayed bytes by client transport (udp, tcp, tls) over the period
--
-- psql -v from=2026-11-01 -v to=2026-11-30 -f transport_usage.sql   (UTC days, both included;
-- without -v: the last 30 days). `turnctl report transport_usage` runs the same query.
-- Columns: docs/DATABASE.md, "Usage reports"; views: db/migrations/006_report_views.sql.
\if :{?from}
\else
  \set from ''
\endif
\if :{?to}
\else
  \set to ''
\endif
SELECT transport,
       sum(allocations)::bigint AS allocations,
       sum(used_allocations)::bigint AS used_allocations,
       round(100.0 * sum(used_allocations) / nullif(sum(sum(used_allocations)) OVER (), 0), 1)
         AS used_share_percent,
       sum(bytes_from_client)::bigint AS bytes_from_client,
       sum(bytes_to_client)::bigint AS bytes_to_client
  FROM report_transport_usage
 WHERE day BETWEEN coalesce(nullif(:'from', '')::date, (now() AT TIME ZONE 'UTC')::date - 29)
               AND coalesce(nullif(:'to', '')::date, (now() AT TIME ZONE 'UTC')::date)
 GROUP BY transport
 ORDER BY array_position(ARRAY['udp', 'tcp', 'tls'], transport);
