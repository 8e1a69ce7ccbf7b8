-- TURN long-term credential users and REST API secrets, with coturn's table and
-- column names and types (coturn's turndb/schema.sql), so both servers can share
-- the data during a migration from coturn. IF NOT EXISTS: a coturn database that
-- already has them is adopted as it is.
--
-- turnusers_lt.hmackey is coturn's key: hex(MD5(name ":" realm ":" password)),
-- 32 hex digits (char(128) pads it with spaces). turn_secret.value is a REST API
-- secret; a realm may have several (rotation): all are accepted.
CREATE TABLE IF NOT EXISTS turnusers_lt (
  realm varchar(127) DEFAULT '',
  name varchar(512),
  hmackey char(128),
  PRIMARY KEY (realm, name)
);

CREATE TABLE IF NOT EXISTS turn_secret (
  realm varchar(127) DEFAULT '',
  value varchar(256),
  PRIMARY KEY (realm, value)
);
