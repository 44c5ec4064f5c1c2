"""The entity's configuration (`pulso.yaml`): accounts, recipients, calendar, paths.

Validated with pydantic on load; any bad key fails fast with a message naming the key path.
"""

from __future__ import annotations

import os
import re
from datetime import date, time
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pulso.core.paths import PROJECT_ROOT

Network = Literal["facebook", "instagram", "x", "youtube", "tiktok", "linkedin"]
SourceKind = Literal["api", "export", "demo"]

# Day bucket time zone of each network's statistics (reference/networks.md).
NETWORK_DAY_TZ: dict[str, str] = {
    "facebook": "America/Los_Angeles", "instagram": "America/Los_Angeles",
    "youtube": "America/Los_Angeles", "x": "UTC", "linkedin": "UTC", "tiktok": "UTC",
}


# The entity time zone when pulso.yaml names none (the entities served are Colombian).
DEFAULT_TIMEZONE = "America/Bogota"

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ConfigError(ValueError):
    """The configuration file is missing, unreadable or invalid."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entity(_Strict):
    name: str = Field(min_length=3)
    short_name: str = Field(min_length=1, max_length=20)
    timezone: str = DEFAULT_TIMEZONE
    website: str | None = None


class Office(_Strict):
    close_time: time = time(17, 0)
    extra_closed_days: tuple[date, ...] = ()
    # Business days after a period ends that the citizen-service office needs to bring the
    # register up to date; PQRS timeliness of a monthly report is judged at that cut-off.
    report_cutoff_business_days: int = Field(default=5, ge=0, le=30)


class Account(_Strict):
    network: Network
    handle: str = Field(min_length=1)
    native_id: str | None = None
    display_name: str | None = None
    source: SourceKind
    conn_id: str | None = None
    export_inbox: str | None = None

    @field_validator("handle")
    @classmethod
    def _strip_at(cls, v: str) -> str:
        return v.lstrip("@")

    @model_validator(mode="after")
    def _conn_for_api(self) -> Account:
        if self.source == "api" and not self.conn_id:
            raise ValueError("conn_id is required when source is 'api'")
        return self

    @property
    def account_id(self) -> str:
        return f"{self.network}:{self.native_id or self.handle}"

    @property
    def day_timezone(self) -> str:
        return NETWORK_DAY_TZ[self.network]


class Recipients(_Strict):
    pqrs_report: tuple[str, ...] = ()
    semestral: tuple[str, ...] = ()
    campaign: tuple[str, ...] = ()
    monitor: tuple[str, ...] = ()
    personal_data_allowed: tuple[str, ...] = Field(
        default=(), description="recipients allowed to see raw handles and full texts")

    @field_validator("pqrs_report", "semestral", "campaign", "monitor",
                     "personal_data_allowed")
    @classmethod
    def _emails(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for addr in v:
            if not _EMAIL.match(addr.strip()):
                raise ValueError(f"not an e-mail address: {addr!r}")
        return tuple(a.strip() for a in v)


class Targets(_Strict):
    """Monthly KPI targets of the communications plan (all optional; totals of all accounts)."""

    followers_net: int | None = Field(default=None, description="net new followers a month")
    engagements: int | None = Field(default=None, ge=0, description="interactions a month")
    engagement_rate_reach: float | None = Field(default=None, ge=0, le=1)
    posts: int | None = Field(default=None, ge=0, description="publications a month")
    answered_in_network: float | None = Field(
        default=None, ge=0, le=1, description="share of PQRS candidates answered in the network")
    first_response_hours: float | None = Field(
        default=None, gt=0, description="median hours to the first answer in the network")
    on_time: float | None = Field(
        default=None, ge=0, le=1, description="share of PQRS with a legal term answered on time")


class Retention(_Strict):
    message_text_months: int = Field(default=24, ge=1, le=240)


class Demo(_Strict):
    seed: int = 2026
    messages_per_day: int = Field(default=300, ge=0)
    start: date = date(2026, 1, 1)
    end: date = date(2026, 6, 30)

    @model_validator(mode="after")
    def _order(self) -> Demo:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class Monitor(_Strict):
    due_soon_business_days: int = 2
    unreviewed_after_business_days: int = 1
    spike_z: float = 3.0
    spike_min_messages: int = 10
    rotation_days: int = 90
    rotation_warn_days: int = 14


class PulsoConfig(_Strict):
    entity: Entity
    office: Office = Office()
    accounts: tuple[Account, ...] = Field(min_length=1)
    recipients: Recipients = Recipients()
    targets: Targets = Targets()
    retention: Retention = Retention()
    demo: Demo = Demo()
    monitor: Monitor = Monitor()
    exports_inbox: str = "var/inbox"

    @model_validator(mode="after")
    def _unique_accounts(self) -> PulsoConfig:
        seen: set[str] = set()
        for a in self.accounts:
            if a.account_id in seen:
                raise ValueError(f"duplicate account {a.account_id}")
            seen.add(a.account_id)
        return self

    def account(self, account_id: str) -> Account:
        for a in self.accounts:
            if a.account_id == account_id:
                return a
        raise KeyError(f"account {account_id!r} is not in the configuration")

    @property
    def own_handles(self) -> frozenset[str]:
        return frozenset(a.handle.lower() for a in self.accounts)

    def resolve_path(self, p: str) -> Path:
        path = Path(p)
        return path if path.is_absolute() else PROJECT_ROOT / path


def config_path() -> Path:
    return Path(os.environ.get("PULSO_CONFIG") or PROJECT_ROOT / "pulso.yaml")


def _loc(loc: tuple) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def load_config(path: str | Path | None = None) -> PulsoConfig:
    """Read and validate the configuration; raise ConfigError naming the file and key."""
    path = Path(path) if path else config_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top level")
    try:
        return PulsoConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{_loc(e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{path}: invalid configuration: {problems}") from None


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> PulsoConfig:
    return load_config(path)


def get_config(path: str | Path | None = None) -> PulsoConfig:
    """The configuration, cached while the file is unchanged."""
    p = Path(path) if path else config_path()
    try:
        mtime = p.stat().st_mtime
    except OSError:
        return load_config(p)
    return _cached(str(p), mtime)
