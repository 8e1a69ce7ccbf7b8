-- Usage report views, read by db/reports/*.sql and `turnctl report`. The role
-- turnd_report may select from these views and from nothing else: a view reads
-- its tables with its owner's rights, so no table is granted.
--
-- Definitions (docs/DATABASE.md, "Usage reports"):
--   * Days and hours are UTC; day and hour columns, and the timestamps shown,
--     are UTC wall time.
--   * A session still open (left_at or ended_at NULL) counts up to now().
--   * A participation is split over the days and hours it overlaps; it counts
--     as one participation on the day (hour) it joined. An allocation counts on
--     the day and hour it started: its bytes cannot be split over time.
--   * A conference is a period during which a room has at least one
--     participant: it begins when someone joins an empty room and ends when the
--     last one leaves (a join at the instant of a leave continues it). It counts
--     on the day it begins.
--   * Participations whose room was deleted (room_id NULL) are pooled as one
--     room, shown as NULL.
--   * Concurrency: a participant who leaves at the instant another joins does
--     not overlap with them.
--   * An allocation is "used" when it relayed at least 64 KiB (both directions
--     together): media, not just the ICE connectivity checks a client sends over
--     every allocation it makes (a browser given turn: and turns: URLs allocates
--     over UDP, TCP and TLS at once and keeps one).

-- Create the views in the migrating schema, with pg_temp last, like 003.
SELECT set_config('search_path', format('%I, pg_temp', current_schema()), true);

-- One row per conference.
CREATE VIEW report_conferences AS
WITH sessions AS (
  SELECT coalesce(room_id, 0) AS room_key,  -- 0: deleted room (ids start at 1)
         joined_at AT TIME ZONE 'UTC' AS joined,
         greatest(joined_at, coalesce(left_at, now())) AT TIME ZONE 'UTC' AS left_,
         left_at IS NULL AS open
    FROM participation_log
), chained AS (
  -- The latest leave among the sessions that joined before this one.
  SELECT *, max(left_) OVER (PARTITION BY room_key ORDER BY joined, left_
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS left_before
    FROM sessions
), numbered AS (
  -- A session that joins after everyone before it has left begins a conference.
  SELECT *, count(*) FILTER (WHERE left_before IS NULL OR joined > left_before)
              OVER (PARTITION BY room_key ORDER BY joined, left_ ROWS UNBOUNDED PRECEDING)
              AS conference
    FROM chained
), events AS (
  SELECT room_key, conference, joined AS at, 1 AS delta FROM numbered
  UNION ALL
  SELECT room_key, conference, left_, -1 FROM numbered
), peaks AS (
  -- Leaves sort before joins at the same instant.
  SELECT room_key, conference, max(present) AS peak
    FROM (SELECT room_key, conference,
                 sum(delta) OVER (PARTITION BY room_key, conference ORDER BY at, delta
                                  ROWS UNBOUNDED PRECEDING) AS present
            FROM events) e
   GROUP BY room_key, conference
), conferences AS (
  SELECT room_key, conference, min(joined) AS started, max(left_) AS ended,
         bool_or(open) AS open, count(*) AS participations,
         sum(extract(epoch FROM left_ - joined)) AS participant_seconds
    FROM numbered
   GROUP BY room_key, conference
)
SELECT c.started::date AS day,
       r.slug AS room,
       date_trunc('second', c.started) AS started_at,
       CASE WHEN c.open THEN NULL ELSE date_trunc('second', c.ended) END AS ended_at,
       round(extract(epoch FROM c.ended - c.started) / 60, 1) AS minutes,
       c.participations,
       round(c.participant_seconds / 60, 1) AS participant_minutes,
       p.peak::bigint AS peak_participants
  FROM conferences c
  JOIN peaks p USING (room_key, conference)
  LEFT JOIN rooms r ON r.id = c.room_key;

-- One row per UTC day and room that had someone in it.
CREATE VIEW report_daily_rooms AS
WITH sessions AS (
  SELECT coalesce(room_id, 0) AS room_key,
         joined_at AT TIME ZONE 'UTC' AS joined,
         greatest(joined_at, coalesce(left_at, now())) AT TIME ZONE 'UTC' AS left_
    FROM participation_log
), slices AS (
  -- The part of each session within each day it overlaps; a session of no
  -- length, or one that ends at midnight, adds no day after its last one.
  SELECT room_key, d::date AS day, greatest(joined, d) AS s,
         least(left_, d + interval '1 day') AS e, d = date_trunc('day', joined) AS joined_here
    FROM sessions,
         generate_series(date_trunc('day', joined),
                         greatest(joined, left_ - interval '1 microsecond'),
                         interval '1 day') AS d
), events AS (
  SELECT room_key, day, s AS at, 1 AS delta FROM slices
  UNION ALL
  SELECT room_key, day, e, -1 FROM slices
), peaks AS (
  SELECT room_key, day, max(present) AS peak
    FROM (SELECT room_key, day,
                 sum(delta) OVER (PARTITION BY room_key, day ORDER BY at, delta
                                  ROWS UNBOUNDED PRECEDING) AS present
            FROM events) e
   GROUP BY room_key, day
), usage AS (
  SELECT room_key, day, count(*) FILTER (WHERE joined_here) AS participations,
         sum(extract(epoch FROM e - s)) AS participant_seconds
    FROM slices
   GROUP BY room_key, day
), started AS (
  SELECT day, room, count(*) AS conferences FROM report_conferences GROUP BY day, room
)
SELECT u.day,
       r.slug AS room,
       coalesce(c.conferences, 0) AS conferences,
       u.participations,
       round(u.participant_seconds / 60, 1) AS participant_minutes,
       p.peak::bigint AS peak_participants
  FROM usage u
  JOIN peaks p USING (room_key, day)
  LEFT JOIN rooms r ON r.id = u.room_key
  LEFT JOIN started c ON c.day = u.day AND c.room IS NOT DISTINCT FROM r.slug;

-- One row per UTC day with participants.
CREATE VIEW report_daily_conferences AS
SELECT day,
       sum(conferences)::bigint AS conferences,
       count(*) AS rooms_used,
       sum(participations)::bigint AS participations,
       sum(participant_minutes) AS participant_minutes,
       max(peak_participants) AS peak_participants  -- the largest room's peak
  FROM report_daily_rooms
 GROUP BY day;

-- One row per UTC day and hour with participants or allocations; the peak is
-- of all rooms together.
CREATE VIEW report_hourly_usage AS
WITH sessions AS (
  SELECT joined_at AT TIME ZONE 'UTC' AS joined,
         greatest(joined_at, coalesce(left_at, now())) AT TIME ZONE 'UTC' AS left_
    FROM participation_log
), slices AS (
  SELECT h AS hour_start, greatest(joined, h) AS s, least(left_, h + interval '1 hour') AS e,
         h = date_trunc('hour', joined) AS joined_here
    FROM sessions,
         generate_series(date_trunc('hour', joined),
                         greatest(joined, left_ - interval '1 microsecond'),
                         interval '1 hour') AS h
), events AS (
  SELECT hour_start, s AS at, 1 AS delta FROM slices
  UNION ALL
  SELECT hour_start, e, -1 FROM slices
), peaks AS (
  SELECT hour_start, max(present) AS peak
    FROM (SELECT hour_start,
                 sum(delta) OVER (PARTITION BY hour_start ORDER BY at, delta
                                  ROWS UNBOUNDED PRECEDING) AS present
            FROM events) e
   GROUP BY hour_start
), usage AS (
  SELECT hour_start, count(*) FILTER (WHERE joined_here) AS participations,
         sum(extract(epoch FROM e - s)) AS participant_seconds
    FROM slices
   GROUP BY hour_start
), participation AS (
  SELECT * FROM usage JOIN peaks USING (hour_start)
), allocations AS (
  SELECT date_trunc('hour', started_at AT TIME ZONE 'UTC') AS hour_start, count(*) AS allocations
    FROM allocation_log
   GROUP BY 1
)
SELECT hour_start::date AS day,
       extract(hour FROM hour_start)::integer AS hour,
       coalesce(p.participations, 0) AS participations,
       coalesce(round(p.participant_seconds / 60, 1), 0.0) AS participant_minutes,
       coalesce(p.peak, 0)::bigint AS peak_participants,
       coalesce(a.allocations, 0) AS allocations
  FROM participation p
  FULL JOIN allocations a USING (hour_start);

-- One row per UTC day and client transport (udp, tcp, tls) with allocations.
CREATE VIEW report_transport_usage AS
WITH allocations AS (
  SELECT (started_at AT TIME ZONE 'UTC')::date AS day, client_transport,
         bytes_from_client, bytes_to_client,
         bytes_from_client + bytes_to_client >= 65536 AS used
    FROM allocation_log
)
SELECT day,
       client_transport AS transport,
       count(*) AS allocations,
       count(*) FILTER (WHERE used) AS used_allocations,
       -- this transport's share of the day's used allocations
       round(100.0 * count(*) FILTER (WHERE used)
             / nullif(sum(count(*) FILTER (WHERE used)) OVER (PARTITION BY day), 0), 1)
         AS used_share_percent,
       sum(bytes_from_client)::bigint AS bytes_from_client,
       sum(bytes_to_client)::bigint AS bytes_to_client
  FROM allocations
 GROUP BY day, client_transport;

-- One row per UTC day with allocations: how many clients needed TCP or TLS.
CREATE VIEW report_daily_allocations AS
SELECT day,
       sum(allocations)::bigint AS allocations,
       coalesce(sum(allocations) FILTER (WHERE transport <> 'udp'), 0)::bigint
         AS tcp_tls_allocations,
       sum(used_allocations)::bigint AS used_allocations,
       coalesce(sum(used_allocations) FILTER (WHERE transport <> 'udp'), 0)::bigint
         AS used_tcp_tls,
       -- the share of the used allocations that came over TCP or TLS
       round(100.0 * coalesce(sum(used_allocations) FILTER (WHERE transport <> 'udp'), 0)
             / nullif(sum(used_allocations), 0), 1) AS tcp_tls_share_percent,
       sum(bytes_from_client + bytes_to_client)::bigint AS relayed_bytes
  FROM report_transport_usage
 GROUP BY day;

-- turnd_report reads these views (005 made the role, if it could).
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'turnd_report') THEN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO turnd_report', current_schema());
    GRANT SELECT ON report_conferences, report_daily_rooms, report_daily_conferences,
      report_hourly_usage, report_transport_usage, report_daily_allocations TO turnd_report;
  END IF;
END
$$;
