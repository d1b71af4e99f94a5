"""The report list: the store's reports filtered by 单位, 年度, verdict, band, rule and review state."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import Any

from auditor.findings.history import normalise_agency
from auditor.model.types import BodyKind

REVIEW_FILTERS = {
    "open": ("有未整改问题", "r.open_items > 0"),
    "dismissed": ("有已核实-不属问题", "r.dismissed > 0"),
    "fixed": ("有已整改", "coalesce(r.fixed, 0) > 0"),
    "clean": ("无未整改问题", "r.open_items = 0"),
}
SORTS = {"score": "r.score IS NULL, r.score, r.id", "-score": "r.score IS NULL, r.score DESC, r.id", "": "r.id DESC"}


LEVELS = {kind.value: kind.label for kind in BodyKind}
"""层级 choices: the body kinds the model knows, with their Chinese names."""


@dataclass(frozen=True)
class Filters:
    """The list page's query string, each value as given (empty: no filter)."""

    agency: str = ""
    year: str = ""
    level: str = ""  # the body's kind (层级): government / department / township
    verdict: str = ""
    band: str = ""
    rule: str = ""
    review: str = ""
    sort: str = ""

    @classmethod
    def of(cls, params: Any) -> Filters:
        return cls(**{name: str(params.get(name, "")).strip()[:100] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Row:
    """One audited report as listed."""

    id: int
    run: int
    agency: str
    year: int | None
    path: str
    verdict: str
    score: float | None
    band: str | None
    open_items: int
    dismissed: int
    new_items: int | None
    persisting: int | None
    fixed: int | None
    recorded: str


def _where(f: Filters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    if f.agency:
        clauses.append("instr(coalesce(r.body, ''), ?) > 0")
        args.append(normalise_agency(f.agency))
    if f.year.isdigit():
        clauses.append("r.year = ?")
        args.append(int(f.year))
    if f.level in LEVELS:
        clauses.append("r.body_kind = ?")
        args.append(f.level)
    if f.verdict:
        clauses.append("r.verdict = ?")
        args.append(f.verdict)
    if f.band:
        clauses.append("r.band = ?")
        args.append(f.band)
    if f.rule:
        clauses.append("EXISTS (SELECT 1 FROM findings x WHERE x.report_id = r.id AND x.rule = ?)")
        args.append(f.rule.upper())
    if f.review in REVIEW_FILTERS:
        clauses.append(REVIEW_FILTERS[f.review][1])  # fixed text chosen by key, never the user's
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def rows(conn: sqlite3.Connection, f: Filters, limit: int = 500) -> tuple[list[Row], int]:
    """The matching reports (at most ``limit``, sorted as asked) and how many match in all."""
    where, args = _where(f)
    order = SORTS.get(f.sort, SORTS[""])
    found = conn.execute(
        "SELECT r.id, r.run_id, coalesce(r.agency, ''), r.year, r.path, r.verdict, r.score, r.band, r.open_items,"
        f" r.dismissed, r.new_items, r.persisting, r.fixed, r.recorded FROM reports r{where} ORDER BY {order} LIMIT ?",
        [*args, limit],
    ).fetchall()
    total = conn.execute(f"SELECT count(*) FROM reports r{where}", args).fetchone()[0]
    return [Row(*r) for r in found], int(total)


def facets(conn: sqlite3.Connection) -> dict[str, list[Any]]:
    """The values each filter can take (years, verdicts, bands, rules), for the form's choices."""

    def values(sql: str) -> list[Any]:
        return [r[0] for r in conn.execute(sql) if r[0] is not None]

    return {
        "year": values("SELECT DISTINCT year FROM reports ORDER BY year DESC"),
        "verdict": values("SELECT DISTINCT verdict FROM reports ORDER BY verdict"),
        "band": values("SELECT DISTINCT band FROM reports ORDER BY band"),
        "level": [k for k in values("SELECT DISTINCT body_kind FROM reports ORDER BY body_kind") if k in LEVELS],
        "rule": values("SELECT DISTINCT rule FROM findings ORDER BY rule"),
    }


def counts(conn: sqlite3.Connection, f: Filters) -> Counter[str]:
    """The matching reports per band (or verdict when unscored), for the counts at the top."""
    where, args = _where(f)
    out: Counter[str] = Counter()
    for key, n in conn.execute(f"SELECT coalesce(r.band, r.verdict), count(*) FROM reports r{where} GROUP BY 1", args):
        out[str(key)] = int(n)
    return out
