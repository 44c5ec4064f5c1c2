-- PQRS cases received in [:start, :end) (UTC) with the message's network and account.
SELECT c.message_id, c.pqrs_type, c.pqrs_subtype, c.received_at, c.due_date, c.status,
       c.radicado, c.filed_at, c.responded_at, m.network, m.account_id
FROM pqrs_case AS c
LEFT JOIN message AS m ON m.message_id = c.message_id
WHERE c.received_at >= :start AND c.received_at < :end
ORDER BY c.received_at, c.message_id
