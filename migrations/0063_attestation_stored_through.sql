-- The newest event seq given when a weekly check's figures were read: of the week's calls stored
-- at an answer, those up to it are the ones the check counted, those after it (a poller catching
-- up) it never showed. Checks made before this keep none: all the week's stored calls count as shown.
ALTER TABLE attestations ADD COLUMN stored_through INTEGER;
