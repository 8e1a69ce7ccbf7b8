-- A dual-stack allocation (RFC 8656 ADDITIONAL-ADDRESS-FAMILY) relays from an
-- IPv4 and an IPv6 address at once: its session log row says 'dual'.
ALTER TABLE allocation_log DROP CONSTRAINT allocation_log_relay_family_check;
ALTER TABLE allocation_log ADD CONSTRAINT allocation_log_relay_family_check
  CHECK (relay_family IN ('ipv4', 'ipv6', 'dual'));
