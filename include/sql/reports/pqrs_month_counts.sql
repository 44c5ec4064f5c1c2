-- Headline counts for [start, end) (UTC): inbound messages and PQRS cases by status.
SELECT 'messages' AS metric,
       (SELECT COUNT(*) FROM message AS m
        WHERE m.created_at >= :start AND m.created_at < :end
          AND (m.is_own IS NULL OR NOT m.is_own)) AS n
UNION ALL
SELECT 'status:' || c.status AS metric, COUNT(*) AS n
FROM pqrs_case AS c
WHERE c.received_at >= :start AND c.received_at < :end
GROUP BY c.status
