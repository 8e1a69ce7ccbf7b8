-- Least-privilege roles, created only if missing (roles belong to the whole
-- cluster, and another database may have made them already). Both are NOLOGIN
-- group roles: grant them to the login roles turnd and the reporting tools use
-- (GRANT turnd_daemon TO turnd;).
--
--   turnd_daemon  reads rooms, TURN users and REST secrets; writes session logs;
--                 creates and purges log partitions through the two functions.
--   turnd_report  reads the report views only (granted by the report migrations).
--
-- A migrating role that may not create roles skips their creation with a notice;
-- the grants are made to whichever roles exist.
DO $$
DECLARE
  may_create boolean;
  role text;
BEGIN
  SELECT rolsuper OR rolcreaterole INTO may_create FROM pg_roles WHERE rolname = current_user;
  FOREACH role IN ARRAY ARRAY['turnd_daemon', 'turnd_report'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role) THEN
      IF may_create THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN', role);
      ELSE
        RAISE NOTICE 'role % does not exist and % may not create roles: not created',
          role, current_user;
      END IF;
    END IF;
  END LOOP;

  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'turnd_daemon') THEN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO turnd_daemon', current_schema());
    GRANT SELECT ON rooms, turnusers_lt, turn_secret TO turnd_daemon;
    GRANT SELECT, INSERT, UPDATE ON allocation_log, participation_log TO turnd_daemon;
    GRANT EXECUTE ON FUNCTION turnd_ensure_log_partitions(date, date) TO turnd_daemon;
    GRANT EXECUTE ON FUNCTION turnd_purge_logs(timestamptz) TO turnd_daemon;
  END IF;
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'turnd_report') THEN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO turnd_report', current_schema());
  END IF;
END
$$;
