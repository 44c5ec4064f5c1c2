-- Messages created in the [start, end) UTC window that have no label of the given model version yet.
SELECT m.message_id, m.text, m.created_at, m.kind, m.author_handle, m.author_key, m.is_own
FROM message AS m
WHERE m.created_at >= :start
  AND m.created_at < :end
  AND NOT EXISTS (
    SELECT 1 FROM message_label AS l
    WHERE l.message_id = m.message_id AND l.model_version = :model_version
  )
ORDER BY m.created_at, m.message_id
