-- An API token's spike was kept with its UTC day as its subject ("…|read|acme.atlassian.net|spike@20761"):
-- a mute or suppression set from its alert covered that day's spike alone, and its words named
-- the day's number. Set from an mcp-api-token alert, one now covers the token's pattern of use
-- (account, class of tool, site) whatever the day: those kept before say so too.
UPDATE alerts
   SET subject = substr(rtrim(subject, '0123456789'), 1, length(rtrim(subject, '0123456789')) - length('spike@'))
 WHERE rule_id = 'mcp-api-token' AND subject GLOB '*|spike@[0-9]*';

UPDATE mutes
   SET subject = substr(rtrim(subject, '0123456789'), 1, length(rtrim(subject, '0123456789')) - length('spike@')),
       subject_label = CASE WHEN subject_label GLOB '* · spike@[0-9]*'
         THEN substr(rtrim(subject_label, '0123456789'), 1, length(rtrim(subject_label, '0123456789')) - length(' · spike@'))
         ELSE subject_label END
 WHERE rule_id = 'mcp-api-token' AND subject GLOB '*|spike@[0-9]*';

UPDATE suppressions
   SET subject = substr(rtrim(subject, '0123456789'), 1, length(rtrim(subject, '0123456789')) - length('spike@')),
       subject_label = CASE WHEN subject_label GLOB '* · spike@[0-9]*'
         THEN substr(rtrim(subject_label, '0123456789'), 1, length(rtrim(subject_label, '0123456789')) - length(' · spike@'))
         ELSE subject_label END
 WHERE rule_id = 'mcp-api-token' AND subject GLOB '*|spike@[0-9]*';
