"""A computed report table: one DataFrame plus how each column is shown, used by both renderers.

The Excel sheet stores the raw values with matching number formats; the PDF shows the same
values formatted es-CO with the same precision. Building both from one `ReportTable` is what
keeps the PDF, the workbook and the warehouse in agreement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ReportTable:
    df: Any  # pandas.DataFrame with Spanish column names
    kinds: dict[str, str] = field(default_factory=dict)  # column -> pdf display kind
    total: bool = False  # the last row is a total row (bold in the PDF)

    @property
    def empty(self) -> bool:
        return self.df is None or len(self.df) == 0

    def display(self, columns: list[str] | None = None) -> dict[str, Any]:
        from pulso.reports.pdf import display_table

        return display_table(self.df, self.kinds, columns)

    def write(self, wb, title: str, *, note: str | None = None,
              widths: dict[str, float] | None = None):
        from pulso.reports.excel import formats_for, write_table

        return write_table(wb, title, self.df, note=note, formats=formats_for(self.kinds),
                           widths=widths)
