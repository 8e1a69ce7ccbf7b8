-- Any change to rooms, TURN users or REST secrets sends NOTIFY turnd_changes with
-- the table name as payload (once per statement, delivered at commit), so turnd
-- reloads its in-memory copy without a restart and never queries the database
-- on the packet path.
CREATE FUNCTION turnd_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('turnd_changes', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER rooms_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rooms
  FOR EACH STATEMENT EXECUTE FUNCTION turnd_notify_change();
CREATE TRIGGER turnusers_lt_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON turnusers_lt
  FOR EACH STATEMENT EXECUTE FUNCTION turnd_notify_change();
CREATE TRIGGER turn_secret_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON turn_secret
  FOR EACH STATEMENT EXECUTE FUNCTION turnd_notify_change();
