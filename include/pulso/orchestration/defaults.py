"""Defaults shared by every Pulso DAG (kept tiny: DAG files import it at parse time)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pulso.core.config import get_config

# The entity's time zone (pulso.yaml `entity.timezone`): schedules run on its clock. A broken
# config fails DAG parsing with the config's own message, shown in the UI's import errors.
TIMEZONE = get_config().entity.timezone
START_DATE = datetime(2026, 1, 1, tzinfo=ZoneInfo(TIMEZONE))

DEFAULT_ARGS = {
    "owner": "pulso",
    "retries": 2,
    # PULSO_RETRY_DELAY_SECONDS shortens the wait in tests; production keeps minutes.
    "retry_delay": timedelta(seconds=int(os.environ.get("PULSO_RETRY_DELAY_SECONDS", "120"))),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
}

# Asset URIs for lineage: ingestion produces them, reports read them.
ASSET_ACCOUNT_DAILY = "pulso://warehouse/account_daily"
ASSET_POSTS = "pulso://warehouse/post"
ASSET_MESSAGES = "pulso://warehouse/message"
ASSET_LABELS = "pulso://warehouse/message_label"
