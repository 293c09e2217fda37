-- A mute or suppression set from an alert covers that alert's subject only (the account an
-- admin acted on, a person's country or /24, an API token's pattern of use, an AI tool new to the
-- organization…), kept with the words a responder reads for it; NULL covers every subject of its
-- rule and person, as every mute and suppression set before this did.
ALTER TABLE alerts ADD COLUMN subject TEXT;
ALTER TABLE mutes ADD COLUMN subject TEXT;
ALTER TABLE mutes ADD COLUMN subject_label TEXT;
ALTER TABLE suppressions ADD COLUMN subject TEXT;
ALTER TABLE suppressions ADD COLUMN subject_label TEXT;
