-- Inbound messages (comments and replies) on the posts of one campaign, with their latest
-- label and, when screened as a PQRS candidate, the case and its three facts.
SELECT m.message_id, m.network, m.kind, m.created_at, m.responded_at AS net_responded_at,
       l.sentiment, c.pqrs_type, c.status, c.radicado, c.filed_at, c.responded_at,
       c.due_date
FROM message AS m
JOIN post AS p ON p.post_id = m.post_id
LEFT JOIN pqrs_case AS c ON c.message_id = m.message_id
LEFT JOIN message_label AS l ON l.message_id = m.message_id
  AND l.model_version = (SELECT ml.model_version FROM message_label AS ml
                         WHERE ml.message_id = m.message_id
                         ORDER BY ml.classified_at DESC, ml.model_version DESC LIMIT 1)
WHERE p.campaign = :campaign
  AND (m.is_own IS NULL OR NOT m.is_own)
ORDER BY m.created_at, m.message_id
