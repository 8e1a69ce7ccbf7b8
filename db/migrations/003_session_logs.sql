-- Session logs: one row per TURN allocation and one per conference participation.
--
-- Pseudonymous by construction: no column can hold a client address or a user name
-- in clear. client_prefix is a network no longer than /24 (IPv4) or /48 (IPv6),
-- which the cidr type and a CHECK enforce; client_hash, user_hash and
-- participant_hash are keyed hashes (HMAC) computed by turnd with a key that
-- rotates with the retention period.
--
-- Both tables are range-partitioned by day (UTC) on their start time, so retention
-- drops whole partitions (turnd_purge_logs). turnd_ensure_log_partitions creates
-- the partitions of coming days; a row whose day has no partition is refused.
--
-- event_id is made by the writer when the session starts: replaying an event
-- after a reconnect hits the primary key (event_id + start time) and is written
-- exactly once (INSERT ... ON CONFLICT).

-- The SECURITY DEFINER functions below pin their search path to this schema with
-- pg_temp last (SET search_path FROM CURRENT), so no caller can shadow a table.
SELECT set_config('search_path', format('%I, pg_temp', current_schema()), true);

CREATE TABLE allocation_log (
  event_id uuid NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,                 -- NULL while the allocation lives
  node text NOT NULL DEFAULT '',        -- which turnd wrote it (several may share a database)
  realm text NOT NULL DEFAULT '',
  user_hash bytea,                      -- keyed hash of the user name; NULL: no authentication
  client_prefix cidr,
  client_hash bytea,                    -- keyed hash of the client address
  client_transport text NOT NULL CHECK (client_transport IN ('udp', 'tcp', 'tls')),
  client_family text NOT NULL CHECK (client_family IN ('ipv4', 'ipv6')),
  relay_family text NOT NULL CHECK (relay_family IN ('ipv4', 'ipv6')),
  bytes_from_client bigint NOT NULL DEFAULT 0 CHECK (bytes_from_client >= 0),
  bytes_to_client bigint NOT NULL DEFAULT 0 CHECK (bytes_to_client >= 0),
  packets_from_client bigint NOT NULL DEFAULT 0 CHECK (packets_from_client >= 0),
  packets_to_client bigint NOT NULL DEFAULT 0 CHECK (packets_to_client >= 0),
  end_reason text CHECK (end_reason IN
    ('client', 'expired', 'connection-closed', 'shutdown', 'crash', 'error')),
  CONSTRAINT allocation_log_client_prefix_truncated CHECK (
    masklen(client_prefix) <= CASE family(client_prefix) WHEN 4 THEN 24 ELSE 48 END),
  CONSTRAINT allocation_log_end_complete CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
  PRIMARY KEY (event_id, started_at)
) PARTITION BY RANGE (started_at);

CREATE TABLE participation_log (
  event_id uuid NOT NULL,
  joined_at timestamptz NOT NULL,
  left_at timestamptz,                  -- NULL while the participant is in the room
  node text NOT NULL DEFAULT '',
  room_id bigint REFERENCES rooms (id) ON DELETE SET NULL,
  participant_hash bytea,               -- keyed hash of the participant's identity
  client_prefix cidr,
  client_hash bytea,
  moderator boolean NOT NULL DEFAULT false,
  media_sent text[] NOT NULL DEFAULT '{}'
    CHECK (media_sent <@ ARRAY['audio', 'video', 'screen', 'data']),
  bytes_from_participant bigint NOT NULL DEFAULT 0 CHECK (bytes_from_participant >= 0),
  bytes_to_participant bigint NOT NULL DEFAULT 0 CHECK (bytes_to_participant >= 0),
  end_reason text CHECK (end_reason IN
    ('left', 'kicked', 'timeout', 'room-closed', 'shutdown', 'crash', 'error')),
  CONSTRAINT participation_log_client_prefix_truncated CHECK (
    masklen(client_prefix) <= CASE family(client_prefix) WHEN 4 THEN 24 ELSE 48 END),
  CONSTRAINT participation_log_end_complete CHECK ((left_at IS NULL) = (end_reason IS NULL)),
  PRIMARY KEY (event_id, joined_at)
) PARTITION BY RANGE (joined_at);

CREATE INDEX participation_log_room ON participation_log (room_id);

-- Creates the missing day partitions of both tables for first_day..last_day (UTC
-- days, inclusive); returns how many it created.
CREATE FUNCTION turnd_ensure_log_partitions(first_day date, last_day date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  parent text;
  day date;
  partition text;
  created integer := 0;
BEGIN
  IF first_day IS NULL OR last_day IS NULL OR last_day < first_day THEN
    RETURN 0;
  END IF;
  IF last_day - first_day > 366 THEN
    RAISE EXCEPTION 'turnd_ensure_log_partitions: % days asked, at most 367', last_day - first_day + 1;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('turnd_log_partitions'));
  FOREACH parent IN ARRAY ARRAY['allocation_log', 'participation_log'] LOOP
    day := first_day;
    WHILE day <= last_day LOOP
      partition := parent || '_p' || to_char(day, 'YYYYMMDD');
      IF to_regclass(partition) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                       partition, parent,
                       day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
        created := created + 1;
      END IF;
      day := day + 1;
    END LOOP;
  END LOOP;
  RETURN created;
END
$$;

-- Deletes every log row that started before cutoff: partitions entirely older are
-- dropped, the partition that straddles cutoff loses its older rows. Returns the
-- number of partitions dropped and of rows deleted one by one.
CREATE FUNCTION turnd_purge_logs(cutoff timestamptz)
RETURNS TABLE (dropped_partitions integer, deleted_rows bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  part record;
  bounds text[];
  deleted bigint;
BEGIN
  IF cutoff IS NULL THEN
    RAISE EXCEPTION 'turnd_purge_logs: cutoff is NULL';
  END IF;
  dropped_partitions := 0;
  deleted_rows := 0;
  PERFORM pg_advisory_xact_lock(hashtext('turnd_log_partitions'));
  FOR part IN
    SELECT child.oid::regclass AS rel,
           CASE parent.relname WHEN 'allocation_log' THEN 'started_at' ELSE 'joined_at' END AS key,
           pg_get_expr(child.relpartbound, child.oid) AS bound
      FROM pg_inherits i
      JOIN pg_class child ON child.oid = i.inhrelid
      JOIN pg_class parent ON parent.oid = i.inhparent
     WHERE i.inhparent IN ('allocation_log'::regclass, 'participation_log'::regclass)
  LOOP
    -- "FOR VALUES FROM ('2024-05-01 00:00:00+00') TO ('2024-05-02 00:00:00+00')";
    -- a DEFAULT or MINVALUE/MAXVALUE partition does not match and is filtered row by row.
    bounds := regexp_match(part.bound, '^FOR VALUES FROM \(''([^'']+)''\) TO \(''([^'']+)''\)$');
    IF bounds IS NOT NULL AND bounds[2]::timestamptz <= cutoff THEN
      EXECUTE format('DROP TABLE %s', part.rel);
      dropped_partitions := dropped_partitions + 1;
    ELSIF bounds IS NULL OR bounds[1]::timestamptz < cutoff THEN
      EXECUTE format('DELETE FROM %s WHERE %I < $1', part.rel, part.key) USING cutoff;
      GET DIAGNOSTICS deleted = ROW_COUNT;
      deleted_rows := deleted_rows + deleted;
    END IF;
  END LOOP;
  RETURN NEXT;
END
$$;

-- Functions are executable by PUBLIC by default; these run with the owner's rights.
REVOKE EXECUTE ON FUNCTION turnd_ensure_log_partitions(date, date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION turnd_purge_logs(timestamptz) FROM PUBLIC;
