"""Daily ingestion of every account and the completeness of ingested periods."""
