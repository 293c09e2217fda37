-- The place of the stream whose page keeps answering JSON that does not parse (see StuckPage):
-- kept with the poll state, so polls failing there are counted across restarts and `poll --once`.
ALTER TABLE poll_state ADD COLUMN stuck_key TEXT;
ALTER TABLE poll_state ADD COLUMN stuck_place TEXT;
ALTER TABLE poll_state ADD COLUMN stuck_since INTEGER;
ALTER TABLE poll_state ADD COLUMN stuck_polls INTEGER;
ALTER TABLE poll_state ADD COLUMN stuck_limit INTEGER;
