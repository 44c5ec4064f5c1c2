"""Typed headline figures of each report: what the e-mail, the UI and `report_run` read.

Each builder returns one of these; readers use fields, never guessed dictionary keys. `as_dict()`
is the JSON form (report_run, XCom); item access (`summary["reach"]`) reads a field by name and
raises KeyError for a name the report does not have, so a typo cannot read as "no data".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ReportSummary:
    """Common behaviour of every report summary."""

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def __getitem__(self, name: str) -> Any:
        if name not in self.field_names():
            raise KeyError(name)
        return getattr(self, name)

    def __contains__(self, name: object) -> bool:
        return name in self.field_names()

    def items(self) -> Iterator[tuple[str, Any]]:
        return iter(self.as_dict().items())

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name) if name in self else default

    @classmethod
    def field_names(cls) -> frozenset[str]:
        return frozenset(f.name for f in dataclasses.fields(cls))

    def highlights(self) -> list[tuple[str, int | float]]:
        """(Spanish label, figure) pairs for the e-mail body; missing figures are left out."""
        return []


def _present(pairs: list[tuple[str, Any]]) -> list[tuple[str, int | float]]:
    return [(label, v) for label, v in pairs
            if isinstance(v, int | float) and not isinstance(v, bool)]


@dataclass(frozen=True)
class GrowthSummary(ReportSummary):
    period: str
    accounts_with_data: int
    accounts_without_data: int
    followers_end: int | None
    net_followers: int | None
    growth: float | None
    reach: int | None
    views: int | None
    engagements: int | None
    engagement_rate_reach: float | None
    posts: int | None
    posts_in_month: int
    best_slot: str | None
    reach_networks: list[str] = field(default_factory=list)
    text: str = ""

    def highlights(self) -> list[tuple[str, int | float]]:
        reach = ("Alcance (suma de alcance diario"
                 + (f": {', '.join(self.reach_networks)})" if self.reach_networks else ")"))
        return _present([("Seguidores al cierre", self.followers_end),
                         ("Crecimiento neto de seguidores", self.net_followers),
                         (reach, self.reach), ("Visualizaciones", self.views),
                         ("Interacciones", self.engagements), ("Publicaciones", self.posts)])


@dataclass(frozen=True)
class SentimentSummary(ReportSummary):
    messages: int
    labelled: int
    positive: int
    neutral: int
    negative: int
    unlabelled: int
    positive_share: float | None
    negative_share: float | None
    neutral_share: float | None
    top_negative_terms: list[str] = field(default_factory=list)
    message_sheets: int = 1

    def highlights(self) -> list[tuple[str, int | float]]:
        return _present([("Mensajes recibidos", self.messages), ("Positivos", self.positive),
                         ("Neutros", self.neutral), ("Negativos", self.negative)])


@dataclass(frozen=True)
class PqrsSummary(ReportSummary):
    """PQRS figures at the report's cut-off (`as_of`); felicitaciones are counted apart."""

    messages: int
    screened: int
    answered_in_network: int
    candidates: int
    valid: int
    filed: int
    answered: int
    discarded: int
    answered_in_network_cases: int
    median_hours_network: float | None
    pending_review: int
    on_time: int
    late: int
    pending_in_term: int
    overdue: int
    overdue_backlog: int
    felicitaciones: int
    by_type: dict[str, int]
    alerts: list[str]
    as_of: str


@dataclass(frozen=True)
class SemestralSummary(ReportSummary):
    period: str
    networks: int
    accounts: int
    accounts_with_data: int
    top_account: str | None
    obsolete: list[str]
    kept_for_citizens: list[str]
    engagements: int | None
    reach: int | None
    messages: int
    negative_share: float | None
    pqrs_cases: int
    recommendations: int
    text: str = ""
    # the semester's PQRS at its cut-off (felicitaciones apart); None when not computed
    pqrs_valid: int | None = None
    pqrs_answered_in_network: int | None = None
    pqrs_median_hours_network: float | None = None
    pqrs_filed: int | None = None
    pqrs_answered: int | None = None
    pqrs_on_time: int | None = None
    pqrs_late: int | None = None
    pqrs_pending_in_term: int | None = None
    pqrs_overdue: int | None = None
    pqrs_unreviewed: int | None = None
    pqrs_felicitaciones: int | None = None
    pqrs_as_of: str | None = None

    def highlights(self) -> list[tuple[str, int | float]]:
        return _present([("Interacciones", self.engagements), ("Mensajes recibidos", self.messages),
                         ("PQRS válidas", self.pqrs_valid), ("Radicadas", self.pqrs_filed),
                         ("Con respuesta formal", self.pqrs_answered)])


@dataclass(frozen=True)
class CampaignSummary(ReportSummary):
    campaign: str
    first_day: str
    last_day: str
    closing_day: str
    posts: int
    networks: int
    reach: int | None
    views: int | None
    interactions: int | None
    engagement_rate_reach: float | None
    messages: int
    answered_in_network: int
    pqrs: int
    pqrs_filed: int
    pqrs_answered: int
    felicitaciones: int

    def highlights(self) -> list[tuple[str, int | float]]:
        return _present([("Publicaciones", self.posts), ("Alcance", self.reach),
                         ("Interacciones", self.interactions), ("Mensajes recibidos", self.messages),
                         ("PQRS generadas", self.pqrs)])


def from_fields(cls: type[ReportSummary], values: dict[str, Any]) -> ReportSummary:
    """Build `cls` from a dict of its fields; an undeclared key is an error, not dropped."""
    unknown = set(values) - cls.field_names()
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {sorted(unknown)}")
    return cls(**values)
