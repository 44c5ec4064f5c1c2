-- PQRS cases received in [start, end) (UTC) with the message they come from.
SELECT c.message_id, c.pqrs_type, c.pqrs_subtype, c.pqrs_score, c.received_at, c.due_date,
       c.status, c.radicado, c.filed_at, c.responded_at, c.discard_reason, c.updated_at,
       m.network, m.kind, m.account_id, m.permalink, m.author_key, m.author_handle, m.text,
       m.responded_at AS net_responded_at
FROM pqrs_case AS c
LEFT JOIN message AS m ON m.message_id = c.message_id
WHERE c.received_at >= :start AND c.received_at < :end
ORDER BY c.received_at, c.message_id
