-- Conference rooms. Access codes are never stored: only slow, salted hashes with
-- their parameters ("$scrypt$N=32768,r=8,p=1$<salt>$<hash>", see db/code_hash.h);
-- NULL means no code is set. The slug is the room's URL-safe name.
CREATE TABLE rooms (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug text NOT NULL UNIQUE
    CONSTRAINT rooms_slug_url_safe CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$'),
  display_name text NOT NULL DEFAULT '' CHECK (length(display_name) <= 200),
  participant_code_hash text CHECK (participant_code_hash LIKE '$%$%$%'),
  moderator_code_hash text CHECK (moderator_code_hash LIKE '$%$%$%'),
  max_participants integer CHECK (max_participants > 0),  -- NULL: no limit
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,                                 -- NULL: never
  recording_allowed boolean NOT NULL DEFAULT false
);

CREATE FUNCTION turnd_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

CREATE TRIGGER rooms_touch_updated_at BEFORE UPDATE ON rooms
  FOR EACH ROW EXECUTE FUNCTION turnd_touch_updated_at();
