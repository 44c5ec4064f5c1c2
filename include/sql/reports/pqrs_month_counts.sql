-- Headline counts for [start, end) (UTC), judged at the cut-off (UTC, exclusive): inbound
-- messages; PQRS cases (felicitaciones apart) discarded, filed, formally answered and
-- answered in the network by the cut-off; cases still unreviewed at the cut-off.
SELECT
  (SELECT COUNT(*) FROM message AS m
   WHERE m.created_at >= :start AND m.created_at < :end
     AND (m.is_own IS NULL OR NOT m.is_own)) AS messages,
  COALESCE(SUM(CASE WHEN c.pqrs_type = 'felicitacion' AND c.status <> 'discarded'
                    THEN 1 ELSE 0 END), 0) AS felicitaciones,
  COALESCE(SUM(CASE WHEN c.pqrs_type <> 'felicitacion' THEN 1 ELSE 0 END), 0) AS cases,
  COALESCE(SUM(CASE WHEN c.pqrs_type <> 'felicitacion' AND c.status = 'discarded'
                    THEN 1 ELSE 0 END), 0) AS discarded,
  COALESCE(SUM(CASE WHEN c.pqrs_type <> 'felicitacion' AND c.status IN ('filed', 'answered')
                     AND (c.filed_at IS NULL OR c.filed_at < :cutoff) THEN 1 ELSE 0 END), 0)
    AS filed,
  COALESCE(SUM(CASE WHEN c.pqrs_type <> 'felicitacion' AND c.status <> 'discarded'
                     AND c.responded_at IS NOT NULL AND c.responded_at < :cutoff
                    THEN 1 ELSE 0 END), 0) AS answered,
  COALESCE(SUM(CASE WHEN c.pqrs_type <> 'felicitacion' AND c.status <> 'discarded'
                     AND m2.responded_at IS NOT NULL AND m2.responded_at < :cutoff
                    THEN 1 ELSE 0 END), 0) AS answered_in_network
FROM pqrs_case AS c
LEFT JOIN message AS m2 ON m2.message_id = c.message_id
WHERE c.received_at >= :start AND c.received_at < :end
