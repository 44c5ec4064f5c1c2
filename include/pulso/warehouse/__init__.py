"""The warehouse: schema, engine and idempotent loads (SQLAlchemy 2 Core)."""
