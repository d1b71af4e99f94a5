"""What inspectors read back from the store: a body's audited versions, and the table an office reports upward."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from auditor.findings.history import normalise_agency


@dataclass(frozen=True)
class Item:
    """One item of an audited version: its fingerprint, rule, message and 复核 status."""

    fingerprint: str
    rule: str
    message: str
    status: str  # new | persisting | fixed | "" (first audit)


@dataclass(frozen=True)
class Version:
    """One audit of one body's report for one year."""

    report_id: int
    run: int
    recorded: str
    agency: str
    body: str
    year: int | None
    path: str
    sha256: str
    verdict: str
    score: float | None
    band: str | None
    items: tuple[Item, ...]


_VERSION_COLUMNS = (
    "id, run_id, recorded, coalesce(agency, ''), coalesce(body, ''), year, path, sha256, verdict, score, band"
)


def versions(conn: sqlite3.Connection, body: str | None = None) -> list[Version]:
    """Every recorded audit, oldest first; with ``body``, of the bodies whose normalised name contains it."""
    where, args = ("WHERE instr(body, ?) > 0", (normalise_agency(body),)) if body else ("", ())
    # Only fixed text is interpolated; the body is a parameter.
    rows = conn.execute(
        f"SELECT {_VERSION_COLUMNS} FROM reports {where} ORDER BY body, year, run_id, id",
        args,
    ).fetchall()
    out = []
    for row in rows:
        current = conn.execute(
            "SELECT fingerprint, rule, message, coalesce(recheck, '') FROM findings WHERE report_id = ?", (row[0],)
        ).fetchall()
        fixed = conn.execute("SELECT fingerprint, rule, message FROM fixed_items WHERE report_id = ?", (row[0],))
        items = [Item(*r) for r in current] + [Item(fp, rule, msg, "fixed") for fp, rule, msg in fixed]
        rid, run, recorded, agency, body_key, year, path, sha, verdict, score, band = row
        out.append(Version(rid, run, recorded, agency, body_key, year, path, sha, verdict, score, band, tuple(items)))
    return out


@dataclass(frozen=True)
class ExportRow:
    """One body and year: its latest audit and how its items went over every audit."""

    agency: str
    year: int | None
    audits: int
    last_run: int
    recorded: str
    verdict: str
    score: float | None
    band: str | None
    open_items: int
    dismissed: int
    fixed: int
    path: str


def export_rows(conn: sqlite3.Connection) -> list[ExportRow]:
    """Bodies × years: the latest audit's verdict, score and open items; 已整改 summed over the re-audits."""
    rows = conn.execute(
        """
        SELECT r.agency, r.year, t.audits, r.run_id, r.recorded, r.verdict, r.score, r.band,
               r.open_items, r.dismissed, t.fixed, r.path
        FROM reports r
        JOIN (SELECT body, year, count(*) AS audits, coalesce(sum(fixed), 0) AS fixed, max(id) AS last
              FROM reports WHERE body IS NOT NULL GROUP BY body, year) t ON t.last = r.id
        ORDER BY r.body, r.year
        """
    ).fetchall()
    return [ExportRow(str(r[0] or ""), *r[1:]) for r in rows]
