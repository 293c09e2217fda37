-- Retention keeps an alert a mute or suppression hid while one still running about its person
-- could raise it again (a "not me" raises what they hid by label, whatever the rule): mutes and
-- suppressions looked up by person (src/store/unposted-alerts.ts).
CREATE INDEX mutes_person ON mutes (org_id, user_key, until);
CREATE INDEX suppressions_person ON suppressions (org_id, user_key) WHERE removed_at IS NULL;
