-- Every account the warehouse knows.
SELECT account_id, network, handle, display_name, entity, source_kind
FROM account
ORDER BY network, account_id
