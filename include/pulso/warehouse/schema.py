"""The warehouse schema: the single source of truth for every table.

One row per fact, with natural primary keys so that every load is an upsert. Times are UTC
(`UtcDateTime`: aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike);
metrics a network does not provide are NULL, never 0.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from pulso.warehouse.types import UtcDateTime

metadata = MetaData()

MESSAGE_KINDS = ("comment", "reply", "mention", "dm")

account = Table(
    "account",
    metadata,
    Column("account_id", String(120), primary_key=True, comment="network:native id"),
    Column("network", String(20), nullable=False),
    Column("handle", String(200), nullable=False),
    Column("display_name", String(300)),
    Column("entity", String(300)),
    Column("source_kind", String(20), comment="api | export | demo"),
    Column("day_timezone", String(60), comment="time zone the network buckets days in"),
    Column("loaded_at", UtcDateTime()),
)

account_daily = Table(
    "account_daily",
    metadata,
    Column("account_id", String(120), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("followers", BigInteger, comment="total at end of day"),
    Column("followers_gained", BigInteger),
    Column("followers_lost", BigInteger),
    Column("followers_derived", Boolean, comment="gained/lost derived from total snapshots"),
    Column("reach", BigInteger),
    Column("views", BigInteger),
    Column("engagements", BigInteger),
    Column("profile_visits", BigInteger),
    Column("video_views", BigInteger),
    Column("posts_published", Integer),
    Column("source", String(40), nullable=False),
    Column("loaded_at", UtcDateTime()),
    Column("followers_net", BigInteger,
           comment="net change of the day as the network reports it (may be negative)"),
    Column("link_clicks", BigInteger, comment="clicks on the profile's link (Instagram)"),
    Column("watch_minutes", BigInteger, comment="minutes watched (YouTube)"),
)

post = Table(
    "post",
    metadata,
    Column("post_id", String(160), primary_key=True),
    Column("account_id", String(120), nullable=False),
    Column("published_at", UtcDateTime(),
           comment="unknown for unlisted/private videos whose export omits it"),
    Column("kind", String(40)),
    Column("text", Text),
    Column("permalink", String(1000)),
    Column("campaign", String(200)),
    Column("source", String(40), nullable=False),
    Column("loaded_at", UtcDateTime()),
    Index("ix_post_account_published", "account_id", "published_at"),
)

post_daily = Table(
    "post_daily",
    metadata,
    Column("post_id", String(160), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("reach", BigInteger, comment="lifetime snapshot at end of day"),
    Column("views", BigInteger),
    Column("reactions", BigInteger),
    Column("comments", BigInteger),
    Column("shares", BigInteger),
    Column("saves", BigInteger),
    Column("clicks", BigInteger),
    Column("video_views", BigInteger),
    Column("source", String(40), nullable=False),
    Column("loaded_at", UtcDateTime()),
    Column("watch_minutes", BigInteger, comment="lifetime minutes watched (videos)"),
    Column("reactions_by_type", Text,
           comment='JSON {"like": n, "love": n, ...} when the network splits reactions'),
)

message = Table(
    "message",
    metadata,
    Column("message_id", String(200), primary_key=True, comment="namespaced by network"),
    Column("account_id", String(120), nullable=False),
    Column("network", String(20), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("author_key", String(64), comment="keyed hash (HMAC-SHA256) of the author id"),
    Column("author_handle", String(200), comment="kept only to answer and file cases"),
    Column("is_own", Boolean, comment="written by the entity's own account"),
    Column("text", Text),
    Column("post_id", String(160)),
    Column("parent_id", String(200)),
    Column("permalink", String(1000)),
    Column("responded_at", UtcDateTime(), comment="first in-network answer by the entity"),
    Column("anonymised_at", UtcDateTime(), comment="set by retention: text and handle removed"),
    Column("source", String(40), nullable=False),
    Column("loaded_at", UtcDateTime()),
    Column("like_count", BigInteger, comment="likes on the comment when it was read"),
    Index("ix_message_account_created", "account_id", "created_at"),
    Index("ix_message_created", "created_at"),
)

message_label = Table(
    "message_label",
    metadata,
    Column("message_id", String(200), primary_key=True),
    Column("model_version", String(80), primary_key=True),
    Column("sentiment", String(10), nullable=False),
    Column("sentiment_score", Float, nullable=False),
    Column("pqrs_type", String(20)),
    Column("pqrs_subtype", String(20)),
    Column("pqrs_score", Float),
    Column("due_date", Date),
    Column("classified_at", UtcDateTime()),
)

pqrs_case = Table(
    "pqrs_case",
    metadata,
    Column("message_id", String(200), primary_key=True),
    Column("pqrs_type", String(20), nullable=False),
    Column("pqrs_subtype", String(20)),
    Column("pqrs_score", Float),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("due_date", Date),
    Column("status", String(20), nullable=False, comment="candidate|filed|discarded|answered"),
    Column("radicado", String(60)),
    Column("filed_at", UtcDateTime()),
    Column("responded_at", UtcDateTime()),
    Column("discard_reason", String(300)),
    Column("reviewed_by", String(120)),
    Column("updated_at", UtcDateTime()),
    Column("version", Integer, comment="bumped by every change; a change names the version "
                                       "its author saw (optimistic concurrency); NULL = 0"),
    Index("ix_pqrs_case_status_due", "status", "due_date"),
    Index("ix_pqrs_case_received", "received_at"),
)

pqrs_case_event = Table(
    "pqrs_case_event",
    metadata,
    Column("event_id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(200), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("action", String(40), nullable=False),
    Column("detail", Text),
)

load_reject = Table(
    "load_reject",
    metadata,
    Column("reject_key", String(64), primary_key=True, comment="hash of source,file,row,field"),
    Column("source", String(80), nullable=False),
    Column("file", String(500)),
    Column("row", Integer),
    Column("field", String(120)),
    Column("reason", Text, nullable=False),
    Column("raw", Text),
    Column("loaded_at", UtcDateTime()),
)

ingest_run = Table(
    "ingest_run",
    metadata,
    Column("account_id", String(120), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("source", String(40), nullable=False),
    Column("rows_loaded", Integer),
    Column("rows_rejected", Integer),
    Column("loaded_at", UtcDateTime()),
)

audience_breakdown = Table(
    "audience_breakdown",
    metadata,
    Column("account_id", String(120), primary_key=True),
    Column("day", Date, primary_key=True, comment="snapshot day, or last day of the period"),
    Column("dimension", String(40), primary_key=True,
           comment="age_gender | age | gender | country | city | subscription_status | ..."),
    Column("value", String(300), primary_key=True, comment="e.g. '25-34|female', 'Colombia'"),
    Column("metric", String(40), primary_key=True,
           comment="share (of followers/viewers) | views | watch_minutes | viewers"),
    Column("share", Float, comment="fraction 0..1 when the export gives a percentage"),
    Column("count", BigInteger, comment="absolute figure when the export gives one"),
    Column("period_start", Date, comment="first day the figure covers, when known"),
    Column("source", String(40), nullable=False),
    Column("loaded_at", UtcDateTime()),
)

source_file = Table(
    "source_file",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("name", String(500), nullable=False),
    Column("export_kind", String(60)),
    Column("header_signature", String(64)),
    Column("account_id", String(120)),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("status", String(20), nullable=False, comment="processed | rejected"),
    Column("rows_loaded", Integer),
    Column("rows_rejected", Integer),
    Column("message", Text),
    Column("loaded_at", UtcDateTime()),
)

report_run = Table(
    "report_run",
    metadata,
    Column("kind", String(40), primary_key=True),
    Column("period", String(20), primary_key=True),
    Column("files", Text, comment="JSON list of paths"),
    Column("checksum", String(64)),
    Column("recipients", Text),
    Column("sent_at", UtcDateTime()),
    Column("created_at", UtcDateTime()),
    Column("run_id", String(250)),
)

report_delivery = Table(
    "report_delivery",
    metadata,
    Column("delivery_id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(40), nullable=False),
    Column("period", String(20), nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("channel", String(10), nullable=False, comment="outbox | smtp"),
    Column("status", String(20), nullable=False,
           comment="sent (accepted by SMTP) | outbox (.eml written, not sent) | failed"),
    Column("checksum", String(64), comment="report_run.checksum of the files delivered"),
    Column("at", UtcDateTime(), nullable=False),
    Column("location", String(500), comment="SMTP server or .eml path"),
    Column("message_id", String(250)),
    Column("error", Text),
    Column("run_id", String(250)),
    Index("ix_report_delivery_report", "kind", "period"),
)

# Versioned entity PQRS models (pulso train): npz bytes, no pickles, so every worker reads the
# same one. At most one is active; see pulso.classify.registry.
classifier_model = Table(
    "classifier_model",
    metadata,
    Column("version", String(80), primary_key=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("n_labels", Integer, nullable=False),
    Column("figures", Text, comment="JSON: class counts, cross-validated macro-F1, shipped's"),
    Column("beats_shipped", Boolean, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("trained_by", String(120)),
    Column("model", LargeBinary, nullable=False),
)

credential = Table(
    "credential",
    metadata,
    Column("conn_id", String(250), primary_key=True),
    Column("account_id", String(120)),
    Column("rotated_at", UtcDateTime(), comment="when the password/secret was last changed"),
    Column("expires_at", UtcDateTime(),
           comment="known token expiry (e.g. Meta long-lived 60 days)"),
    Column("updated_at", UtcDateTime()),
)

TABLES: dict[str, Table] = {t.name: t for t in metadata.sorted_tables}


def primary_key(table: Table) -> list[str]:
    return [c.name for c in table.primary_key.columns]


def upgrade_columns(engine) -> list[str]:
    """Add the columns this schema has and an existing warehouse lacks (additive only).

    `metadata.create_all` creates missing tables but never alters existing ones, so a
    warehouse created before a column was added would reject every row naming it. Only
    nullable columns are added; PostgreSQL also drops NOT NULL where the schema relaxed it
    (post.published_at). Returns the DDL applied, for the log.
    """
    from sqlalchemy import inspect, text

    done: list[str] = []
    with engine.begin() as conn:
        insp = inspect(conn)
        existing_tables = set(insp.get_table_names())
        for table in metadata.sorted_tables:
            if table.name not in existing_tables:
                continue
            cols = {c["name"]: c for c in insp.get_columns(table.name)}
            for col in table.columns:
                if col.name not in cols and col.nullable:
                    ddl = (f'ALTER TABLE "{table.name}" ADD COLUMN "{col.name}" '
                           f"{col.type.compile(dialect=conn.dialect)}")
                    conn.execute(text(ddl))
                    done.append(ddl)
                elif (col.name in cols and col.nullable and not cols[col.name]["nullable"]
                      and not col.primary_key and conn.dialect.name == "postgresql"):
                    ddl = f'ALTER TABLE "{table.name}" ALTER COLUMN "{col.name}" DROP NOT NULL'
                    conn.execute(text(ddl))
                    done.append(ddl)
    return done
