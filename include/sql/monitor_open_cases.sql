-- Open PQRS cases (not answered, not discarded) with their message's network and link.
SELECT c.message_id, c.pqrs_type, c.pqrs_subtype, c.pqrs_score, c.received_at, c.due_date,
       c.status, c.radicado, m.network, m.account_id, m.permalink, m.text
FROM pqrs_case AS c
JOIN message AS m ON m.message_id = c.message_id
WHERE c.status IN ('candidate', 'filed') AND c.responded_at IS NULL
ORDER BY c.due_date, c.received_at
