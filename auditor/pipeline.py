"""The data path end to end: file → text → outline → Report (→ audit record).

Library entry points live here so the CLI stays thin and tests need no typer.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import Any

from auditor.findings import audit
from auditor.findings.history import BatchKey, pair_indices
from auditor.findings.records import audit_record
from auditor.findings.selectors import check_selectors
from auditor.findings.verdict import UNAUDITABLE_STATUS, Verdict, unauditable, verdict_for
from auditor.model.build import build_report
from auditor.model.serialize import report_record
from auditor.model.types import Meta, Problem, Report, Source
from auditor.rules.loader import bundled_packs, load_pack, pack_name_for
from auditor.rules.types import RulePack
from auditor.text.decode import MAX_BYTES, DecodedText, UnreadableInput, decode_report, normalise
from auditor.text.html import docx_to_text, html_to_text, looks_like_html
from auditor.tree.parser import parse_outline

REPORT_SUFFIXES = (".txt", ".md", ".text", ".html", ".htm", ".docx")


def parse_text(text: str, path: str = "<text>", *, encoding: str | None = "utf-8") -> Report:
    """Parse report text that is already decoded."""
    normalised, _ = normalise(text)
    data = text.encode("utf-8", errors="replace")
    source = Source(path, hashlib.sha256(data).hexdigest(), None, encoding, len(data))
    return build_report(normalised, parse_outline(normalised), source)


def unreadable_report(path: str, code: str, message: str, data: bytes = b"") -> Report:
    """A report that could not be read: no content, one problem saying why."""
    source = Source(path, hashlib.sha256(data).hexdigest(), None, None, len(data))
    return Report(source=source, meta=Meta(), problems=(Problem(code, message, None, "error"),))


def _docx_text(data: bytes) -> DecodedText:
    try:
        text = docx_to_text(data)
    except Exception as exc:  # python-docx raises many types for a broken package
        raise UnreadableInput("bad_docx", f"无法读取 DOCX 文件：{type(exc).__name__}") from exc
    normalised, stripped = normalise(text)
    return DecodedText(normalised, "docx", stripped)


def parse_bytes(data: bytes, path: str) -> Report:
    """Decode and parse report bytes; unreadable input gives a report with one problem.

    HTML pages and DOCX files are converted to text first; their tables keep exact cells.
    """
    converted: str | None = None
    try:
        if len(data) > MAX_BYTES:
            decode_report(data)  # raises the "too large" problem, whatever the format
        if path.lower().endswith(".docx") or data.startswith(b"PK\x03\x04"):
            decoded: DecodedText = _docx_text(data)
            converted = "docx"
        else:
            decoded = decode_report(data)
            if path.lower().endswith((".html", ".htm")) or looks_like_html(decoded.text):
                normalised, stripped = normalise(html_to_text(decoded.text))
                decoded = DecodedText(normalised, decoded.encoding, stripped)
                converted = "html"
    except UnreadableInput as exc:
        return unreadable_report(path, exc.code, exc.message, data)
    source = Source(path, hashlib.sha256(data).hexdigest(), None, decoded.encoding, len(data))
    notes = []
    if decoded.encoding not in ("utf-8", "ascii", "docx"):
        notes.append(Problem("encoding", f"文件编码为 {decoded.encoding}，已自动转换", None, "info"))
    return build_report(decoded.text, parse_outline(decoded.text), source, notes, converted_from=converted)


def read_report(path: Path) -> Report:
    """Read and parse one report file; never raises for bad content."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return unreadable_report(str(path), "unreadable", f"无法读取文件：{exc.strerror or exc}")
    return parse_bytes(data, str(path))


def _is_report_file(f: Path) -> bool:
    # A folder of reports often carries its own README or hidden files: those are not reports.
    return (
        f.is_file()
        and f.suffix.lower() in REPORT_SUFFIXES
        and not f.name.startswith((".", "~$"))
        and f.stem.upper() not in ("README", "CHANGELOG", "LICENSE")
    )


def collect_paths(paths: list[Path]) -> list[Path]:
    """Files named directly, plus report files found recursively in named folders (sorted)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if _is_report_file(f)))
        else:
            out.append(p)
    return out


# --- auditing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditOptions:
    """What to audit with: a pack (path or bundled name; None = the pack for each report's year)."""

    pack: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@cache
def _load_pack(ref: str) -> RulePack:
    # Loading validates the YAML against the schema: once per process, not once per report.
    return load_pack(ref)


def check_pack(ref: str | None) -> None:
    """Load the pack now so a broken rule file stops the run before any work (RuleFileError)."""
    for name in [ref] if ref else bundled_packs():
        _load_pack(name)


def check_options(options: AuditOptions) -> None:
    """Stop a run whose pack is broken (RuleFileError) or whose selectors match no rule (UsageError)."""
    check_pack(options.pack)
    names = [options.pack] if options.pack else bundled_packs()
    rules = [rule for name in names for rule in _load_pack(name).rules]
    check_selectors(options.select, rules, "--select")
    check_selectors(options.ignore, rules, "--ignore")


def failed_record(report: Report, reason: str, verdict: Verdict | None = None) -> dict[str, Any]:
    """The record of a file that could not be read: no score, one parse finding saying why."""
    parsed = report_record(report)
    verdict = verdict or unauditable(Problem("unreadable", reason))
    finding: dict[str, Any] = {
        "rule": "PARSE-000",
        "name": "file.unreadable",
        "severity": "error",
        "category": "parse",
        "failure_type": "发布内容不全面",
        "message": f"文件无法读取：{reason}",
        "cells": [],
        "expected": None,
        "actual": None,
        "line": None,
        "location": {"part": None, "table": None, "row": None, "column": None, "line": None},
        "corrections": [],
        "remediation": "请提供可读取的报告文件（UTF-8 或 GB18030 编码的文本、HTML 或 DOCX）。",
        "reference": "",
        "deduction": 0.0,
    }
    return {
        **parsed,
        "pack": None,
        "status": "failed",
        "error": reason,
        "verdict": verdict.record(),
        "score": None,
        "band": None,
        "veto": False,
        "deductions": [],
        "counts": {"error": 1, "warning": 0, "info": 0},
        "findings": [finding],
        "not_evaluated": [],
    }


def unauditable_record(report: Report, verdict: Verdict) -> dict[str, Any]:
    """The record of a text that was read but cannot be audited: the reason, no score, no findings."""
    parsed = report_record(report)
    return {
        **parsed,
        "pack": None,
        "status": "ok",
        "error": None,
        "verdict": verdict.record(),
        "score": None,
        "band": None,
        "veto": False,
        "deductions": [],
        "counts": {"error": 0, "warning": 0, "info": 0},
        "findings": [],
        "not_evaluated": [],
    }


def audit_report(report: Report, options: AuditOptions, previous: Report | None = None) -> dict[str, Any]:
    """Audit one parsed report (with the same body's previous-year report, if known)."""
    verdict = verdict_for(report, options.select, options.ignore)
    if verdict.status == UNAUDITABLE_STATUS:
        # Nothing was read at all: the file failed; else the text is there but no report to audit.
        if not report.lines:
            return failed_record(report, verdict.reason, verdict)
        return unauditable_record(report, verdict)
    pack = _load_pack(options.pack or pack_name_for(report))
    result = audit(report, pack, select=options.select, ignore=options.ignore, previous=previous)
    return audit_record(report, result, verdict)


def audit_file(path: Path, options: AuditOptions, previous: Path | None = None) -> dict[str, Any]:
    """Read, parse and audit one file. Never raises: an internal error fails only this file."""
    try:
        return audit_report(read_report(path), options, read_report(previous) if previous else None)
    except Exception as exc:  # one broken report must not stop a batch of hundreds
        detail = f"{type(exc).__name__}: {exc}"
        report = unreadable_report(str(path), "internal", detail)
        return failed_record(report, f"内部错误：{detail}", unauditable(report.problems[0]))


def _audit_pair(pair: tuple[Path, Path | None], options: AuditOptions) -> dict[str, Any]:
    return audit_file(pair[0], options, pair[1])


def _key(record: dict[str, Any]) -> BatchKey:
    meta = record.get("meta") or {}
    published = meta.get("published")
    return meta.get("agency"), meta.get("year"), date.fromisoformat(published) if published else None


Progress = Callable[[int, int], None]
"""Called with (work done, work in all) as files are audited; the total may grow."""


def audit_files(
    paths: Sequence[Path],
    options: AuditOptions,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> list[dict[str, Any]]:
    """Audit many files on every core; records come back in input order.

    Reports of the same body for consecutive years are compared (cross-year rules): a
    first pass audits every file, then the reports that have a previous-year report in the
    batch are audited again with it. Batches of one year pay nothing for this.
    """
    workers = jobs or os.cpu_count() or 1
    total = len(paths)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    work = [(p, None) for p in paths]
    records = _run(work, options, workers, tick)
    pairs = [(i, prev) for i, prev in enumerate(pair_indices([_key(r) for r in records])) if prev is not None]
    total += len(pairs)
    redone = _run([(paths[i], paths[prev]) for i, prev in pairs], options, workers, tick)
    for (i, _), record in zip(pairs, redone, strict=True):
        records[i] = record
    return records


def _run(
    work: Sequence[tuple[Path, Path | None]], options: AuditOptions, workers: int, tick: Callable[[], None]
) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    if workers == 1 or len(work) < 4:
        for item in work:
            records.append(_audit_pair(item, options))
            tick()
        return records
    chunk = max(1, min(16, len(work) // (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for record in pool.map(partial(_audit_pair, options=options), work, chunksize=chunk):
            records.append(record)
            tick()
    return records
