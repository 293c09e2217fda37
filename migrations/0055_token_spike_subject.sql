-- An API token's spike was kept with its UTC day ("…|read|acme.atlassian.net|spike@20761"): a
-- mute or suppression set from its alert covered that day's spike alone, and its words named the
-- day's number. A spike is now kept as the pattern's spikes whatever the day ("…|spike"): those
-- kept before say so too, and a spike alert still taking findings is found by the run's next ones.
UPDATE alerts
   SET subject = rtrim(rtrim(subject, '0123456789'), '@')
 WHERE rule_id = 'mcp-api-token' AND subject GLOB '*|spike@[0-9]*';

-- Its group key holds the day before any "|suppressed".
UPDATE alerts
   SET group_key = substr(group_key, 1, instr(group_key, '|spike@') + 5)
       || ltrim(substr(group_key, instr(group_key, '|spike@') + 7), '0123456789')
 WHERE rule_id = 'mcp-api-token' AND group_key GLOB '*|spike@[0-9]*';

UPDATE mutes
   SET subject = rtrim(rtrim(subject, '0123456789'), '@'),
       subject_label = CASE WHEN subject_label GLOB '* · spike@[0-9]*'
         THEN rtrim(rtrim(subject_label, '0123456789'), '@') ELSE subject_label END
 WHERE rule_id = 'mcp-api-token' AND subject GLOB '*|spike@[0-9]*';

UPDATE suppressions
   SET subject = rtrim(rtrim(subject, '0123456789'), '@'),
       subject_label = CASE WHEN subject_label GLOB '* · spike@[0-9]*'
         THEN rtrim(rtrim(subject_label, '0123456789'), '@') ELSE subject_label END
 WHERE rule_id = 'mcp-api-token' AND subject GLOB '*|spike@[0-9]*';
