"""The report contract: what a builder receives and what it returns.

Each report module exposes `build(ctx: ReportContext) -> ReportFiles`; the runner
(`pulso.reports.runner`) calls it, records `report_run` and delivers the files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from pulso.core.config import PulsoConfig
from pulso.core.periods import Period
from pulso.core.vocab import REPORT_FILE_STEMS as STEMS
from pulso.reports.summary import ReportSummary

AUDIENCES = ("internal", "citizen_service", "leadership")


@dataclass(frozen=True)
class ReportContext:
    engine: Engine
    config: PulsoConfig
    period: Period
    out_dir: Path
    audience: str = "internal"  # who reads it: decides how personal data is shown
    personal_data: bool = False  # every recipient may see raw handles and full texts
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(f"unknown audience {self.audience!r}; use one of {AUDIENCES}")

    @property
    def masks_personal_data(self) -> bool:
        """Texts and authors are masked for anything that leaves the social-media office,
        unless every recipient may see them (`personal_data`, set by the runner from
        `pulso.core.privacy.may_see_personal_data`): the one rule every report follows."""
        return self.audience != "internal" and not self.personal_data


@dataclass
class ReportFiles:
    kind: str
    period: Period
    xlsx: Path
    pdf: Path
    summary: ReportSummary


def report_path(ctx: ReportContext, kind: str, ext: str) -> Path:
    """out_dir/<period key>/<Spanish stem>_<period key>.<ext>"""
    path = Path(ctx.out_dir) / ctx.period.key / f"{STEMS[kind]}_{ctx.period.key}.{ext}"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def render_files(ctx: ReportContext, kind: str, tables: Any, write_excel: Any,
                 write_pdf: Any) -> ReportFiles:
    """Render one report's Excel and PDF from the same computed tables.

    `tables.summary()` gives the headline figures; both writers take (tables, ctx, path).
    """
    xlsx, pdf = report_path(ctx, kind, "xlsx"), report_path(ctx, kind, "pdf")
    write_excel(tables, ctx, xlsx)
    write_pdf(tables, ctx, pdf)
    return ReportFiles(kind=kind, period=ctx.period, xlsx=xlsx, pdf=pdf,
                       summary=tables.summary())
