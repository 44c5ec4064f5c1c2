"""PDF rendering: Jinja2 templates in include/templates/reports/ -> HTML -> WeasyPrint.

Every report template extends `base.html`, which puts the entity's name, the report title and
the period in each page's running header and the generation date and "Página n de N" in the
footer (CSS @page rules in `reports.css`). Tables shown in a PDF are formatted here from the
same DataFrames the Excel workbook is written from (`display_table`), so both show the same
figures. WeasyPrint and Jinja2 are imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from pulso.core.paths import TEMPLATES_DIR
from pulso.reports import fmt

REPORTS_TEMPLATES = TEMPLATES_DIR / "reports"
NUMERIC_KINDS = {"num", "num1", "num2", "signed_num", "pct", "pct2", "signed_pct"}
_FORMATTERS: dict[str, Callable[[Any], str]] = {
    "num": fmt.num,
    "num1": lambda v: fmt.num(v, 1),
    "num2": lambda v: fmt.num(v, 2),
    "signed_num": fmt.signed_num,
    "pct": fmt.pct,
    "pct2": lambda v: fmt.pct(v, 2),
    "signed_pct": fmt.signed_pct,
    "day": fmt.day,
    "day_time": fmt.day_time,
    "text": fmt.printable,
}


def css_string(value: Any) -> Any:
    """A value as the inside of a CSS double-quoted string (for @page content)."""
    from markupsafe import Markup

    s = str(value)
    s = (s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
         .replace("<", "\\3C ").replace(">", "\\3E "))
    return Markup(s)


def jinja_env():
    """The report templates' environment: autoescaped, strict, es-CO filters."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(str(REPORTS_TEMPLATES)),
                      autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(fmt.FILTERS)
    env.filters["css_string"] = css_string
    return env


def page_context(ctx, title: str, *, subtitle: str | None = None) -> dict[str, Any]:
    """What base.html needs: entity, report title, period label and range, generation date."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(ctx.config.entity.timezone)
    generated = ctx.generated_at
    if isinstance(generated, datetime) and generated.tzinfo is not None:
        generated = generated.astimezone(tz)
    return {
        "entity_name": ctx.config.entity.name,
        "report_title": title,
        "report_subtitle": subtitle,
        "period_label": ctx.period.label,
        "period_range": f"{fmt.day(ctx.period.start)} a {fmt.day(ctx.period.end)}",
        "generated": fmt.day_time(generated),
        "audience": ctx.audience,
    }


def render_html(template: str, **context: Any) -> str:
    return jinja_env().get_template(template).render(**context)


def render_pdf(template: str, path: Path, **context: Any) -> Path:
    """Render `template` with `context` into a PDF at `path`."""
    from weasyprint import HTML

    html = render_html(template, **context)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, base_url=str(REPORTS_TEMPLATES)).write_pdf(path)
    return path


def display_table(df, formats: Mapping[str, str] | None = None,
                  columns: Sequence[str] | None = None) -> dict[str, Any]:
    """A DataFrame as {'header', 'rows', 'numeric'} of es-CO strings for the `table` macro.

    `formats` maps a column to one of: num, num1, num2, signed_num, pct, pct2, signed_pct,
    day, day_time, text (default: num for numbers, text otherwise). Numeric columns are
    right-aligned.
    """
    import pandas as pd

    cols = list(columns) if columns is not None else [str(c) for c in df.columns]
    kinds = {}
    for c in cols:
        kind = (formats or {}).get(c)
        if kind is None:
            s = df[c]
            if pd.api.types.is_bool_dtype(s):
                kind = "text"
            elif pd.api.types.is_numeric_dtype(s):
                kind = "num"
            elif pd.api.types.is_datetime64_any_dtype(s):
                kind = "day"
            else:
                kind = "text"
        kinds[c] = kind
    rows = []
    for rec in df[cols].itertuples(index=False, name=None):
        rows.append([_FORMATTERS[kinds[c]](v) for c, v in zip(cols, rec, strict=True)])
    return {"header": cols, "rows": rows, "numeric": [kinds[c] in NUMERIC_KINDS for c in cols]}


def rows(df, columns: Sequence[str] | None = None) -> list[dict]:
    """DataFrame rows as dicts for templates (NaN -> None)."""
    cols = list(columns) if columns is not None else list(df.columns)
    return [{c: (None if fmt.is_missing(v) else v) for c, v in zip(cols, r, strict=True)}
            for r in df[cols].itertuples(index=False, name=None)]
