-- The title of the finding that linked each event to its alert: a growth reply names what each
-- joined call was (the second person made admin, the new site), not only its tool or action.
-- Links made before this have none: the reply describes those by their call, as before.
ALTER TABLE alert_events ADD COLUMN title TEXT;
