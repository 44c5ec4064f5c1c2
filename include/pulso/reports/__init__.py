"""The reports: one module per report, each `build(ctx) -> ReportFiles` (see `base`)."""

import logging

# WeasyPrint's font subsetting logs every table it prunes at INFO: noise in task logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)

BUILDERS = {
    "growth": "pulso.reports.growth",
    "sentiment": "pulso.reports.sentiment",
    "pqrs": "pulso.reports.pqrs",
    "semestral": "pulso.reports.semestral",
}
