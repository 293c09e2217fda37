-- What each digest reported: the newest event stored (its seq) when it was made. The next digest
-- of its kind counts as seen before only the calls stored by then; a call dated before its period
-- but stored after (Atlassian processed it after that digest) is new to it, and counted as late.
-- NULL for digests made before this: the next one counts every earlier call as seen, as they did.
ALTER TABLE digests ADD COLUMN stored_through INTEGER;
