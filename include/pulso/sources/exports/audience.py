"""Meta's "Audience" export: titled sections (age & gender, top countries, top cities).

Unlike every other export it is not one table under one header: each section is a title line
followed by its own little table, and the countries/cities sections are *transposed* (names on
one line, percentages on the next). So it has its own reader instead of a header alias map.
The shares go to `audience_breakdown` (one row per dimension value), the profile the reports
show next to growth.
"""

from __future__ import annotations

from dataclasses import dataclass

from pulso.sources.exports.kinds import norm_header
from pulso.sources.exports.values import BadValue, is_null, parse_number

# section title (EN / ES / PT, normalised) -> dimension
SECTIONS: dict[str, str] = {}
for _dim, _titles in {
    "age_gender": ("Age & gender", "Age and gender", "Edad y sexo", "Edad y género",
                   "Idade e gênero", "Idade e sexo"),
    "country": ("Top countries", "Countries", "Principales países", "Países principales",
                "Países", "Principais países"),
    "city": ("Top cities", "Cities", "Principales ciudades", "Ciudades principales",
             "Ciudades", "Principais cidades", "Cidades"),
    "age": ("Age", "Edad", "Idade"),
    "gender": ("Gender", "Sexo", "Género", "Gênero"),
}.items():
    for _t in _titles:
        SECTIONS[norm_header(_t)] = _dim

_GENDERS = {"women": "female", "woman": "female", "female": "female", "mujeres": "female",
            "mujer": "female", "mulheres": "female", "men": "male", "man": "male",
            "male": "male", "hombres": "male", "hombre": "male", "homens": "male"}


@dataclass
class AudienceValue:
    line: int
    dimension: str
    value: str
    share: float


class AudienceError(ValueError):
    """A cell of an audience section that is not a percentage."""

    def __init__(self, line: int, field: str, reason: str):
        super().__init__(reason)
        self.line, self.field, self.reason = line, field, reason


def _title(cells: list[object]) -> str | None:
    """The section a title line opens: exactly one filled cell, a known title."""
    filled = None
    for c in cells:  # stops at the second filled cell: data lines cost two or three checks
        if c is None or c == "":
            continue
        if not (type(c) is str and c[0].isdigit()) and is_null(c):  # no null token has a digit
            continue
        if filled is not None:
            return None
        filled = c
    if not isinstance(filled, str):
        return None
    return SECTIONS.get(norm_header(filled))


def audience_sections(rows: list[tuple[int, list[object]]]) -> list[str]:
    """Dimensions of the titled sections in a grid ([] when it is not an audience export)."""
    found = [d for _, cells in rows if (d := _title(cells))]
    if len(found) >= 2 or (found and _title(rows[0][1]) is not None):
        return found
    return []


def _numeric(v: object) -> bool:
    try:
        return parse_number(v) is not None
    except BadValue:
        return False


def _pct(v: object, line: int, label: str) -> float | None:
    if is_null(v):
        return None
    try:
        x = parse_number(v)
    except BadValue as exc:
        raise AudienceError(line, label, str(exc)) from None
    if x is None:
        return None
    pct_sign = isinstance(v, str) and v.strip().endswith("%")
    return float(x) if pct_sign else float(x) / 100.0


def read_audience(rows: list[tuple[int, list[object]]]
                  ) -> tuple[list[AudienceValue], list[AudienceError]]:
    """Every (dimension, value, share) in the sections; bad cells come back as errors."""
    out: list[AudienceValue] = []
    errors: list[AudienceError] = []
    i = 0
    while i < len(rows):
        dim = _title(rows[i][1])
        if dim is None:
            i += 1
            continue
        body: list[tuple[int, list[object]]] = []
        i += 1
        while i < len(rows) and _title(rows[i][1]) is None:
            body.append(rows[i])
            i += 1
        if not body:
            continue
        first = body[0][1]
        if dim == "age_gender" or (first and is_null(first[0])):
            # a matrix: header line ("", Women, Men), then one line per age bracket
            genders = [str(c).strip() for c in first[1:]]
            for line, cells in body[1:]:
                age = str(cells[0]).strip() if cells and not is_null(cells[0]) else None
                if not age:
                    continue
                for j, g in enumerate(genders, start=1):
                    if not g:
                        continue
                    try:
                        share = _pct(cells[j] if j < len(cells) else None, line, g)
                    except AudienceError as e:
                        errors.append(e)
                        continue
                    if share is not None:
                        gender = _GENDERS.get(norm_header(g), norm_header(g) or g)
                        out.append(AudienceValue(line, dim, f"{age}|{gender}", share))
        elif len(body) >= 2 and len(first) >= 2 and not _numeric(first[1]):
            # transposed: names on one line, percentages on the next
            names_line, names = body[0]
            line, values = body[1]
            for j, name in enumerate(names):
                if is_null(name):
                    continue
                try:
                    share = _pct(values[j] if j < len(values) else None, line, str(name))
                except AudienceError as e:
                    errors.append(e)
                    continue
                if share is not None:
                    out.append(AudienceValue(line, dim, str(name).strip(), share))
        else:
            for line, cells in body:  # one "name, percentage" per line
                if len(cells) < 2 or is_null(cells[0]):
                    continue
                try:
                    share = _pct(cells[1], line, str(cells[0]))
                except AudienceError as e:
                    errors.append(e)
                    continue
                if share is not None:
                    out.append(AudienceValue(line, dim, str(cells[0]).strip(), share))
    return out, errors
