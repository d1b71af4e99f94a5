"""The audit store's reads and writes: runs, reports with their findings, decisions, last year's source.

Only the main process writes (one transaction per report, so a run stopped half-way
leaves every report it recorded whole and nothing half-written); worker processes only
read last year's source through `previous_source`.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.findings.history import normalise_agency
from auditor.findings.review import DISMISSED, Review, dismissed
from auditor.findings.verdict import UNAUDITABLE_STATUS
from auditor.store.db import connect, errors_explained, now, transaction
from auditor.store.recheck import Earlier, annotate

RUNNING, COMPLETE, INTERRUPTED = "running", "complete", "interrupted"


def body_of(agency: str | None) -> str | None:
    """The body key a report is filed under: its normalised agency name (None when unknown)."""
    return normalise_agency(agency) or None if agency else None


@dataclass(frozen=True)
class StoredSource:
    """A report's bytes as audited in an earlier run (for the cross-year rules)."""

    path: str
    sha256: str
    year: int
    run: int
    data: bytes


class Store:
    """One open audit store (see `auditor.store.db.connect`)."""

    def __init__(self, path: Path, *, create: bool = True, busy_seconds: float | None = None) -> None:
        self.path = path
        self.conn = connect(path, create=create, busy_seconds=busy_seconds)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- runs ---------------------------------------------------------------------------

    def begin_run(self, auditor_version: str, options: Mapping[str, Any]) -> int:
        """A new run row (status running); its id."""
        with errors_explained(self.path), transaction(self.conn) as c:
            cur = c.execute(
                "INSERT INTO runs (started, status, auditor_version, packs, options) VALUES (?, ?, ?, ?, ?)",
                (now(), RUNNING, auditor_version, "{}", json.dumps(dict(options), ensure_ascii=False)),
            )
            return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, packs: Mapping[str, str], interrupted: bool) -> None:
        """Mark a run complete (or interrupted) with the packs its reports used.

        A complete run drops its whole records (kept only so an interrupted run can resume).
        """
        with errors_explained(self.path), transaction(self.conn) as c:
            c.execute(
                "UPDATE runs SET finished = ?, status = ?, packs = ? WHERE id = ?",
                (now(), INTERRUPTED if interrupted else COMPLETE, json.dumps(dict(packs), ensure_ascii=False), run_id),
            )
            if not interrupted:
                c.execute("UPDATE reports SET record = NULL WHERE run_id = ?", (run_id,))

    def mark_interrupted(self, run_id: int) -> None:
        """Mark a run stopped by Ctrl-C or SIGTERM (its recorded reports stay, for `--resume`)."""
        with errors_explained(self.path), transaction(self.conn) as c:
            c.execute(
                "UPDATE runs SET finished = ?, status = ? WHERE id = ? AND status = ?",
                (now(), INTERRUPTED, run_id, RUNNING),
            )

    def resumable_run(self) -> tuple[int, dict[str, Any]] | None:
        """The latest run if it did not complete (interrupted, or still "running" after a crash), with its options."""
        with errors_explained(self.path):
            row = self.conn.execute("SELECT id, status, options FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        if row is None or row[1] == COMPLETE:
            return None
        return int(row[0]), json.loads(row[2])

    def reopen_run(self, run_id: int) -> None:
        """Mark a resumed run running again."""
        with errors_explained(self.path), transaction(self.conn) as c:
            c.execute("UPDATE runs SET finished = NULL, status = ? WHERE id = ?", (RUNNING, run_id))

    def batch_sources(self, run_id: int) -> dict[int, tuple[str, str]]:
        """Position in the batch → (path, sha256) of every report a run recorded whole."""
        with errors_explained(self.path):
            rows = self.conn.execute(
                "SELECT batch_index, path, sha256 FROM reports WHERE run_id = ? AND record IS NOT NULL", (run_id,)
            ).fetchall()
        return {int(i): (path, sha) for i, path, sha in rows if i is not None}

    def batch_record(self, run_id: int, index: int) -> dict[str, Any] | None:
        """The whole record a run stored at position ``index`` of its batch."""
        with errors_explained(self.path):
            return batch_record(self.conn, run_id, index)

    # --- decisions ----------------------------------------------------------------------

    def reviews(self) -> dict[str, Review]:
        """Every fingerprint's latest decision."""
        with errors_explained(self.path):
            rows = self.conn.execute(
                "SELECT fingerprint, decision, reason, by, at FROM decisions d "
                "WHERE id = (SELECT max(id) FROM decisions WHERE fingerprint = d.fingerprint)"
            ).fetchall()
        return {row[0]: Review(*row) for row in rows}

    def dismissed(self) -> frozenset[str]:
        """Fingerprints whose latest decision is 已核实-不属问题."""
        return frozenset(fp for fp, r in self.reviews().items() if r.decision == DISMISSED)

    def known_fingerprints(self, fingerprints: Sequence[str]) -> set[str]:
        """Which of ``fingerprints`` some recorded finding has."""
        with errors_explained(self.path):
            return {
                fp
                for fp in fingerprints
                if self.conn.execute("SELECT 1 FROM findings WHERE fingerprint = ? LIMIT 1", (fp,)).fetchone()
            }

    def decide(self, decisions: Sequence[Review]) -> None:
        """Record decisions, all or none (a later decision on a fingerprint supersedes earlier ones)."""
        with errors_explained(self.path), transaction(self.conn) as c:
            c.executemany(
                "INSERT INTO decisions (fingerprint, decision, reason, by, at) VALUES (?, ?, ?, ?, ?)",
                [(d.fingerprint, d.decision, d.reason, d.by, d.at) for d in decisions],
            )

    # --- reports ------------------------------------------------------------------------

    def earlier(self, body: str | None, year: int | None, run_id: int) -> Earlier | None:
        """The latest audit of ``body``'s report for ``year`` recorded before run ``run_id``."""
        if body is None or year is None:
            return None
        with errors_explained(self.path):
            row = self.conn.execute(
                "SELECT id, run_id, recorded, sha256 FROM reports WHERE body = ? AND year = ? AND run_id < ? "
                "AND status = 'ok' AND verdict NOT IN ('unauditable', 'partial') ORDER BY run_id DESC, id DESC LIMIT 1",
                (body, year, run_id),
            ).fetchone()
            if row is None:
                return None
            items = self.conn.execute("SELECT fingerprint, rule, message FROM findings WHERE report_id = ?", (row[0],))
            return Earlier(row[0], row[1], row[2], row[3], {fp: (rule, msg) for fp, rule, msg in items})

    def record(
        self,
        run_id: int,
        record: dict[str, Any],
        source: Path | None,
        reviews: Mapping[str, Review] | None = None,
        index: int | None = None,
    ) -> dict[str, Any]:
        """Annotate one audit record (run, reviews, 复核) and store it in one transaction.

        ``source`` is the file the record was read from: its bytes are kept (once per
        content) so a later run can use this report as the previous year's. Bytes that no
        longer match the audited hash (the file changed meanwhile) are not kept. ``reviews``
        (`reviews()`, read once per run by the caller) saves reading them per report.
        ``index`` is the report's position in a streamed batch: the whole record is kept
        under it until the run completes, replacing what the run stored there before.
        """
        meta = record.get("meta") or {}
        body, year = body_of(meta.get("agency")), meta.get("year")
        decisions = self.reviews() if reviews is None else reviews
        annotate(record, run_id, decisions, self.earlier(body, year, run_id))
        src = record.get("source") or {}
        sha = str(src.get("sha256") or "")
        wanted = source is not None and _usable_next_year(record) and not self._has_source(sha)
        data = _read_matching(source, sha) if source is not None and wanted else None
        findings = record.get("findings") or []
        counts = (record.get("recheck") or {}).get("counts") or {}
        prev = record.get("previous") or {}
        whole = (
            None if index is None else zlib.compress(json.dumps(record, ensure_ascii=False, default=str).encode(), 1)
        )
        with errors_explained(self.path), transaction(self.conn) as c:
            if index is not None:
                _forget(c, run_id, index)
            if data is not None:
                c.execute("INSERT OR IGNORE INTO sources VALUES (?, ?)", (sha, zlib.compress(data, 6)))
            cur = c.execute(
                "INSERT INTO reports (run_id, body, agency, year, format, path, sha256, status, verdict, score, band,"
                " open_items, dismissed, new_items, persisting, fixed, against_report, previous_run, recorded,"
                " batch_index, record, body_kind)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    body,
                    meta.get("agency"),
                    year,
                    meta.get("format"),
                    str(src.get("path") or ""),
                    sha,
                    str(record.get("status") or "ok"),
                    str((record.get("verdict") or {}).get("status") or "scored"),
                    record.get("score"),
                    record.get("band"),
                    sum(1 for f in findings if not dismissed(f)),
                    sum(1 for f in findings if dismissed(f)),
                    counts.get("new"),
                    counts.get("persisting"),
                    counts.get("fixed"),
                    ((record.get("recheck") or {}).get("against") or {}).get("report"),
                    prev.get("run"),
                    now(),
                    index,
                    whole,
                    meta.get("body_kind"),
                ),
            )
            report_id = cur.lastrowid
            c.executemany(
                "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (report_id, f.get("fingerprint"), f["rule"], f["severity"], f["message"], f.get("recheck"))
                    for f in findings
                    if f.get("fingerprint")
                ],
            )
            c.executemany(
                "INSERT INTO fixed_items VALUES (?, ?, ?, ?)",
                [
                    (report_id, x["fingerprint"], x["rule"], x["message"])
                    for x in (record.get("recheck") or {}).get("fixed", [])
                ],
            )
        return record

    def _has_source(self, sha256: str) -> bool:
        """Whether these bytes are kept already (a re-audit, a copy): not read, hashed and packed again."""
        with errors_explained(self.path):
            return self.conn.execute("SELECT 1 FROM sources WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def previous_source(self, body: str, year: int) -> StoredSource | None:
        """The latest audited source of ``body``'s report for ``year``, with the run it was audited in."""
        return previous_source(self.conn, body, year)


def previous_source(conn: sqlite3.Connection, body: str, year: int) -> StoredSource | None:
    """See `Store.previous_source` (also used read-only by worker processes)."""
    row = conn.execute(
        "SELECT r.path, r.sha256, r.year, r.run_id, s.data FROM reports r JOIN sources s ON s.sha256 = r.sha256"
        " WHERE r.body = ? AND r.year = ? ORDER BY r.run_id DESC, r.id DESC LIMIT 1",
        (body, year),
    ).fetchone()
    if row is None:
        return None
    return StoredSource(row[0], row[1], row[2], row[3], zlib.decompress(row[4]))


def _forget(c: sqlite3.Connection, run_id: int, index: int) -> None:
    """Remove what a run recorded at one position of its batch (the report is recorded anew)."""
    ids = [r[0] for r in c.execute("SELECT id FROM reports WHERE run_id = ? AND batch_index = ?", (run_id, index))]
    for table in ("findings", "fixed_items"):
        c.executemany(f"DELETE FROM {table} WHERE report_id = ?", [(i,) for i in ids])
    c.executemany("DELETE FROM reports WHERE id = ?", [(i,) for i in ids])


def _usable_next_year(record: Mapping[str, Any]) -> bool:
    # Any report that was read and audited (a partial check too) can be next year's previous report.
    return record.get("status") == "ok" and (record.get("verdict") or {}).get("status") != UNAUDITABLE_STATUS


def _fixed(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    return list((record.get("recheck") or {}).get("fixed") or ())


def _read_matching(path: Path, sha256: str) -> bytes | None:
    import hashlib

    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def batch_record(conn: sqlite3.Connection, run_id: int, index: int) -> dict[str, Any] | None:
    """See `Store.batch_record` (also used read-only by render workers)."""
    row = conn.execute(
        "SELECT record FROM reports WHERE run_id = ? AND batch_index = ? AND record IS NOT NULL"
        " ORDER BY id DESC LIMIT 1",
        (run_id, index),
    ).fetchone()
    if row is None:
        return None
    record: dict[str, Any] = json.loads(zlib.decompress(row[0]))
    return record
