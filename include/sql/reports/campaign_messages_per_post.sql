-- Per post of one campaign: inbound comments and replies it drew, and how many of them were
-- screened as PQRS candidates (felicitaciones and discarded cases excluded).
SELECT m.post_id, COUNT(*) AS messages,
       SUM(CASE WHEN c.message_id IS NOT NULL AND c.pqrs_type <> 'felicitacion'
                     AND c.status <> 'discarded' THEN 1 ELSE 0 END) AS pqrs
FROM message AS m
JOIN post AS p ON p.post_id = m.post_id
LEFT JOIN pqrs_case AS c ON c.message_id = m.message_id
WHERE p.campaign = :campaign
  AND (m.is_own IS NULL OR NOT m.is_own)
GROUP BY m.post_id
