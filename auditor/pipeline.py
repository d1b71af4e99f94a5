"""The data path end to end: file → text → outline → Report (→ audit record).

Library entry points live here so the CLI stays thin and tests need no typer.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from auditor.batch import Budget, Failure, available_cores, iter_dask, iter_isolated, warm_up
from auditor.findings import audit
from auditor.findings.history import BatchKey, pair_indices
from auditor.findings.records import audit_record
from auditor.findings.selectors import check_selectors
from auditor.findings.verdict import UNAUDITABLE_STATUS, Verdict, unauditable, verdict_for
from auditor.model.build import build_report
from auditor.model.dump import reline, wrapped_dump
from auditor.model.serialize import report_record
from auditor.model.types import CellState, Meta, Problem, Report, Source
from auditor.processes import settle_worker_memory
from auditor.render import renderer_modules
from auditor.render.output import Blobs, LazySequence, RecordSource, SpooledRecord, is_run_dir, packed, unpacked
from auditor.rules.checks.pre_format import predates_formats
from auditor.rules.loader import bundled_packs, load_pack, pack_name_for
from auditor.rules.types import RulePack
from auditor.store.reader import read_previous
from auditor.store.store import StoredSource, body_of
from auditor.text.decode import MAX_BYTES, UnreadableInput, decode_report, wrap_document
from auditor.text.document import Document, Notice
from auditor.text.limits import read_limited
from auditor.text.readers import read_document
from auditor.tree.parser import parse_document

REPORT_SUFFIXES = (".txt", ".md", ".text", ".html", ".htm", ".docx", ".pdf")


def _problems(notices: Sequence[Notice]) -> list[Problem]:
    return [Problem(n.code, n.message, n.place.line if n.place else None, n.severity) for n in notices]


def report_from_document(document: Document, source: Source) -> Report:
    """The canonical model of a read document."""
    converted = None if document.reader == "text" else document.reader
    relined = wrap_document(reline(document))
    report = build_report(parse_document(relined), source, _problems(relined.notices), converted_from=converted)
    read = any(c.state in (CellState.NUMBER, CellState.BLANK) for c in report.cells.values())
    if converted is None and not read and (wrapped := wrapped_dump(document)) is not None:
        # No table cell read: a dump wrapped to a width reads once its lines are joined.
        relined = wrap_document(reline(wrapped))
        report = build_report(parse_document(relined), source, _problems(relined.notices))
    return report


def parse_text(text: str, path: str = "<text>", *, encoding: str | None = "utf-8") -> Report:
    """Parse report text that is already decoded."""
    data = text.encode("utf-8", errors="replace")
    source = Source(path, hashlib.sha256(data).hexdigest(), None, encoding, len(data))
    try:
        document = read_document(data, ".txt")
    except UnreadableInput as exc:
        return unreadable_report(path, exc.code, exc.message, data)
    return report_from_document(replace(document, encoding=encoding), source)


def unreadable_report(path: str, code: str, message: str, data: bytes = b"") -> Report:
    """A report that could not be read: no content, one problem saying why."""
    source = Source(path, hashlib.sha256(data).hexdigest(), None, None, len(data))
    return Report(source=source, meta=Meta(), problems=(Problem(code, message, None, "error"),))


def parse_bytes(data: bytes, path: str) -> Report:
    """Read and parse report bytes of any kind; unreadable input gives a report with one problem."""
    try:
        if len(data) > MAX_BYTES:
            decode_report(data)  # raises the "too large" problem, whatever the format
        document = read_document(data, Path(path).suffix)
    except UnreadableInput as exc:
        return unreadable_report(path, exc.code, exc.message, data)
    source = Source(path, hashlib.sha256(data).hexdigest(), None, document.encoding, len(data))
    return report_from_document(document, source)


def read_report(path: Path) -> Report:
    """Read and parse one report file; never raises for bad content."""
    name = display_path(path)
    try:
        data = read_limited(path)
    except UnreadableInput as exc:
        return unreadable_report(name, exc.code, exc.message)
    return parse_bytes(data, name)


def display_path(path: Path) -> str:
    """The path as text that is always valid Unicode: undecodable bytes of a file name become U+FFFD."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def _is_report_file(f: Path) -> bool:
    # A folder of reports often carries its own README or hidden files: those are not reports.
    return (
        f.is_file()
        and f.suffix.lower() in REPORT_SUFFIXES
        and not f.name.startswith((".", "~$"))
        and f.stem.upper() not in ("README", "CHANGELOG", "LICENSE")
    )


# Office and archive formats a report is also published in that no reader here takes: a
# folder's files of these kinds are named to the user, not passed over in silence.
OTHER_DOCUMENT_SUFFIXES = (".doc", ".wps", ".rtf", ".odt", ".ofd", ".xls", ".xlsx", ".et", ".caj")


def collect_paths(paths: list[Path], exclude: Sequence[Path] = ()) -> list[Path]:
    """Files named directly, plus report files found recursively in named folders (sorted).

    Folders in ``exclude`` (the output folder) and every run folder an earlier run wrote are
    skipped: `audit .` audits the same reports however often it runs.
    """
    out: list[Path] = []
    for p in paths:
        out.extend(_in_folder(p, exclude, _is_report_file) if p.is_dir() else [p])
    return out


def other_documents(paths: list[Path], exclude: Sequence[Path] = ()) -> list[Path]:
    """Documents in the named folders that no reader takes (.doc, .ofd…), to name to the user."""

    def other(f: Path) -> bool:
        return f.is_file() and f.suffix.lower() in OTHER_DOCUMENT_SUFFIXES and not f.name.startswith((".", "~$"))

    return [f for p in paths if p.is_dir() for f in _in_folder(p, exclude, other)]


def _in_folder(folder: Path, exclude: Sequence[Path], keep: Callable[[Path], bool]) -> list[Path]:
    skip = {e.resolve() for e in exclude}
    if folder.resolve() in skip or is_run_dir(folder):
        return []
    found: list[Path] = []
    for name, dirs, files in os.walk(folder):
        here = Path(name)
        dirs[:] = [d for d in dirs if (here / d).resolve() not in skip and not is_run_dir(here / d)]
        found += [here / f for f in files if keep(here / f)]
    return sorted(found)


# --- auditing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditOptions:
    """What to audit with: a pack (path or bundled name; None = the pack for each report's year)."""

    pack: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    waived: frozenset[str] = frozenset()  # fingerprints dismissed by an inspector: reported, no deduction
    store: Path | None = None  # audit store to take last year's report from when the batch lacks it


# Packs loaded in this process by reference. Loading validates the YAML against the schema
# (about 0.2 s for the bundled packs): once per process, not once per report; a worker gets
# the batch process's loaded packs instead (`use_packs`).
_PACKS: dict[str, RulePack] = {}


def _load_pack(ref: str) -> RulePack:
    pack = _PACKS.get(ref)
    if pack is None:
        pack = _PACKS[ref] = load_pack(ref)
    return pack


def check_pack(ref: str | None) -> None:
    """Load the pack now so a broken rule file stops the run before any work (RuleFileError)."""
    loaded_packs(ref)


def loaded_packs(ref: str | None) -> dict[str, RulePack]:
    """The pack ``ref`` (None: every bundled pack) by reference, loaded (and checked) once."""
    return {name: _load_pack(name) for name in ([ref] if ref else bundled_packs())}


def use_packs(packs: Mapping[str, RulePack]) -> None:
    """Take packs another process loaded and checked (a worker starting: no second validation)."""
    _PACKS.update(packs)


def check_options(options: AuditOptions) -> None:
    """Stop a run whose pack is broken (RuleFileError) or whose selectors match no rule (UsageError)."""
    check_pack(options.pack)
    names = [options.pack] if options.pack else bundled_packs()
    rules = [rule for name in names for rule in _load_pack(name).rules]
    check_selectors(options.select, rules, "--select")
    check_selectors(options.ignore, rules, "--ignore")


def failed_record(
    report: Report, reason: str, verdict: Verdict | None = None, heading: str = "文件无法读取"
) -> dict[str, Any]:
    """The record of a file that could not be read (or audited): no score, one parse finding saying why."""
    parsed = report_record(report)
    verdict = verdict or unauditable(Problem("unreadable", reason))
    finding: dict[str, Any] = {
        "rule": "PARSE-000",
        "name": "file.unreadable",
        "severity": "error",
        "category": "parse",
        "failure_type": "发布内容不全面",
        "message": f"{heading}：{reason}",
        "cells": [],
        "expected": None,
        "actual": None,
        "line": None,
        "location": {"part": None, "table": None, "row": None, "column": None, "line": None, "page": None},
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


def audit_report(
    report: Report, options: AuditOptions, previous: Report | None = None, previous_run: int | None = None
) -> dict[str, Any]:
    """Audit one parsed report (with the same body's previous-year report, if known).

    ``previous_run`` is the store run ``previous`` was taken from (None: the same batch).
    """
    verdict = verdict_for(report, options.select, options.ignore)
    if verdict.status == UNAUDITABLE_STATUS:
        # Nothing was read at all: the file failed; else the text is there but no report to audit.
        if not report.lines:
            return failed_record(report, verdict.reason, verdict)
        if not predates_formats(report):
            return unauditable_record(report, verdict)
        # A report from before the formats is audited for the one finding that says so.
    pack = _load_pack(options.pack or pack_name_for(report))
    result = audit(report, pack, select=options.select, ignore=options.ignore, previous=previous, waived=options.waived)
    record = audit_record(report, result, verdict)
    record["previous"] = _previous_info(previous, previous_run)
    return record


def _previous_info(previous: Report | None, run: int | None) -> dict[str, Any] | None:
    if previous is None:
        return None
    source = previous.source
    return {"path": source.path, "sha256": source.sha256, "year": previous.meta.year, "run": run}


def audit_file(path: Path, options: AuditOptions, previous: Path | None = None) -> dict[str, Any]:
    """Read, parse and audit one file. Never raises: an internal error fails only this file.

    Without a ``previous`` file from the batch, the body's previous-year report is taken
    from ``options.store`` when it holds one.
    """
    return _audit_job(_Job(path, previous), options)[0]


@dataclass(frozen=True)
class _Job:
    """One report's work in a batch: its file, its previous-year file (second pass), and
    the reports already parsed by the first pass, so a cross-year pair is not parsed again."""

    path: Path
    previous: Path | None = None
    keep: bool = False  # send the parsed report back: the batch holds several years, it may pair
    parsed: bytes | None = None
    previous_parsed: bytes | None = None


Audited = tuple[dict[str, Any], bytes | None]
"""A job's record and, when the job asked to keep it, its parsed report (`packed`)."""


def _unpacked(data: bytes) -> Report:
    report: Report = unpacked(data)
    return report


def _audit_job(job: _Job, options: AuditOptions) -> Audited:
    try:
        report = _unpacked(job.parsed) if job.parsed is not None else read_report(job.path)
        if job.previous is not None:
            previous = _unpacked(job.previous_parsed) if job.previous_parsed is not None else read_report(job.previous)
            record = audit_report(report, options, previous)
        elif (stored := stored_previous(options.store, report)) is not None:
            record = audit_report(report, options, parse_bytes(stored.data, stored.path), stored.run)
        else:
            record = audit_report(report, options)
    except Exception as exc:  # one broken report must not stop a batch of hundreds
        detail = f"{type(exc).__name__}: {exc}"
        report = unreadable_report(display_path(job.path), "internal", detail)
        return failed_record(
            report, f"内部错误：{detail}", unauditable(report.problems[0]), heading="未能完成审计"
        ), None
    if not job.keep or report.meta.agency is None or report.meta.year is None:
        return record, None
    try:
        return record, packed(report)
    except Exception:  # not picklable: the second pass parses the file again, as it always could
        return record, None


def stored_previous(store: Path | None, report: Report) -> StoredSource | None:
    """The store's latest audited report of the same body for the year before, if any."""
    body, year = body_of(report.meta.agency), report.meta.year
    if store is None or body is None or year is None:
        return None
    return read_previous(store, body, year - 1)


def _key(record: dict[str, Any]) -> BatchKey:
    meta = record.get("meta") or {}
    published = meta.get("published")
    return meta.get("agency"), meta.get("year"), date.fromisoformat(published) if published else None


Progress = Callable[[int, int], None]
"""Called with (work done, work in all) as files are audited; the total may grow."""


class Sink(Protocol):
    """Where a streamed batch puts each record as it arrives (a store, a spool, a dict).

    ``put`` may be called twice for one index: a report re-audited with its previous-year
    report replaces its first record. ``get`` gives back the latest record put; ``locate``
    says where another process can read it itself (None: only ``get`` gives it).
    """

    def put(self, index: int, record: dict[str, Any]) -> None: ...

    def get(self, index: int) -> dict[str, Any] | None: ...

    def locate(self, index: int) -> RecordSource | None: ...


class MemorySink:
    """Records kept in memory (`audit_files`: small batches, library callers)."""

    def __init__(self) -> None:
        self.records: dict[int, dict[str, Any]] = {}

    def put(self, index: int, record: dict[str, Any]) -> None:
        self.records[index] = record

    def get(self, index: int) -> dict[str, Any] | None:
        return self.records.get(index)

    def locate(self, index: int) -> None:
        return None  # held here: a worker would need it sent anyway


class SpoolSink:
    """Records pickled to a temporary file as they arrive; memory holds only their offsets."""

    def __init__(self) -> None:
        self.blobs = Blobs()

    def put(self, index: int, record: dict[str, Any]) -> None:
        # Compressed (about a third): a 100k-report batch spools ~0.6 GB, not 2 GB.
        self.blobs.put(index, packed(record))

    def get(self, index: int) -> dict[str, Any] | None:
        data = self.blobs.get(index)
        if data is None:
            return None
        record: dict[str, Any] = unpacked(data)
        return record

    def locate(self, index: int) -> SpooledRecord | None:
        """The record at ``index`` as a source another process reads itself (while open)."""
        ref = self.blobs.locate(index)
        return None if ref is None else SpooledRecord(ref)

    def close(self) -> None:
        self.blobs.close()


def audit_files(
    paths: Sequence[Path],
    options: AuditOptions,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    budget: Budget | None = Budget(),
    dask: str | None = None,
) -> list[dict[str, Any]]:
    """Audit many files on the available cores; records come back in input order.

    Each report is audited in a worker process within ``budget`` (time and memory): one
    that overruns it, crashes or is killed becomes a failed record and the batch goes on.
    ``budget=None`` audits in this process (no isolation; for library callers and tests).
    ``jobs`` is capped at the cores this process may use. A batch too large to hold in
    memory goes through `audit_batch` with a `SpoolSink` or a store instead.
    """
    sink = MemorySink()
    audit_batch(paths, options, sink, jobs=jobs, progress=progress, budget=budget, dask=dask)
    return [sink.records[i] for i in range(len(paths))]


def audit_batch(
    paths: Sequence[Path],
    options: AuditOptions,
    sink: Sink,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    budget: Budget | None = Budget(),
    dask: str | None = None,
    done: Callable[[int], bool] = lambda index: False,
) -> bool:
    """Audit ``paths`` into ``sink`` record by record as they arrive; False when SIGTERM stopped it.

    ``done(i)`` says the sink already holds the final first-pass record of ``paths[i]``
    (a resumed run): it is not audited again. ``dask`` is a scheduler address (or
    ``"local"``) to audit on instead of local worker processes.

    Reports of the same body for consecutive years are compared (cross-year rules): a
    first pass audits every file, then the reports that have a previous-year report in the
    batch are audited again with it. Batches of one year pay nothing for this.
    """
    cores = available_cores()
    workers = min(jobs or cores, cores)
    total = len(paths)
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        if progress:
            progress(count, total)

    keys: list[BatchKey | None] = [None] * len(paths)
    todo = [i for i in range(len(paths)) if not done(i)]
    count = len(paths) - len(todo)
    interrupted = False
    first = _FirstPass([paths[i] for i in todo])
    parsed = Blobs()
    try:
        for i, (record, report) in _run(first, options, workers, tick, budget, dask):
            index = todo[i]
            interrupted = interrupted or INTERRUPTED in problem_codes(record)
            keys[index] = key = _key(record)
            first.seen(key)
            sink.put(index, record)
            if report is not None:
                parsed.put(index, report)
        if interrupted:
            return False  # stopped by SIGTERM: no second pass
        pairs = _pairs(keys, sink)
        total += len(pairs)
        work = _PairJobs(paths, pairs, parsed)
        for n, (record, _) in _run(work, options, workers, tick, budget, dask):
            interrupted = interrupted or INTERRUPTED in problem_codes(record)
            sink.put(pairs[n][0], record)
        return not interrupted
    finally:
        parsed.close()


def _pairs(keys: list[BatchKey | None], sink: Sink) -> list[tuple[int, int]]:
    """(report, its previous-year report) positions of the batch, not yet audited together."""
    for index, key in enumerate(keys):
        if key is None:  # done by the interrupted run being resumed
            keys[index] = _key(sink.get(index) or {})
    return [
        (i, prev)
        for i, prev in enumerate(pair_indices([k or (None, None, None) for k in keys]))
        if prev is not None and not _paired_already(sink.get(i), sink.get(prev))
    ]


class _FirstPass(LazySequence[_Job]):
    """The first pass's jobs, each made as a worker asks for it (`iter_isolated` reads
    ``items[i]`` then): once the batch has shown reports of two different years, a job also
    returns its parsed report, which the second pass reuses if the report pairs. A batch of
    one year pays nothing for pairing."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths, self.size = paths, len(paths)
        self.years: set[int] = set()

    def seen(self, key: BatchKey) -> None:
        agency, year, _ = key
        if agency and year is not None and len(self.years) < 2:
            self.years.add(year)

    def item(self, index: int) -> _Job:
        return _Job(self.paths[index], keep=len(self.years) > 1)


class _PairJobs(LazySequence[_Job]):
    """The second pass's jobs, with their reports as the first pass parsed them (when it
    kept them), read from disk as each job is handed out."""

    def __init__(self, paths: Sequence[Path], pairs: Sequence[tuple[int, int]], parsed: Blobs) -> None:
        self.paths, self.pairs, self.parsed, self.size = paths, pairs, parsed, len(pairs)

    def item(self, index: int) -> _Job:
        i, prev = self.pairs[index]
        return _Job(self.paths[i], self.paths[prev], parsed=self.parsed.get(i), previous_parsed=self.parsed.get(prev))


def already_done(paths: Sequence[Path], recorded: dict[int, tuple[str, str]]) -> set[int]:
    """Positions of ``paths`` recorded by an interrupted run from the same file (path and hash)."""
    out = set()
    for index, (path, sha) in recorded.items():
        if index >= len(paths) or display_path(paths[index]) != path:
            continue
        try:
            if hashlib.sha256(paths[index].read_bytes()).hexdigest() == sha:
                out.add(index)
        except OSError:
            continue  # gone or unreadable now: audited again, which says so
    return out


def _paired_already(record: dict[str, Any] | None, previous: dict[str, Any] | None) -> bool:
    """Whether ``record`` was audited against ``previous``'s file of this batch (a resumed run)."""
    if record is None or previous is None:
        return False
    used = record.get("previous") or {}
    source = previous.get("source") or {}
    return (
        used.get("run") is None
        and used.get("path") == source.get("path")
        and used.get("sha256") == source.get("sha256")
    )


def _failed_job(job: _Job, failure: Failure) -> Audited:
    report = unreadable_report(display_path(job.path), failure.code, failure.reason)
    return failed_record(report, failure.reason, heading="未能完成审计"), None


def _failed_indexed(item: tuple[int, _Job], failure: Failure) -> tuple[int, Audited]:
    return item[0], _failed_job(item[1], failure)


def _audit_chunk(chunk: Sequence[tuple[int, _Job]], options: AuditOptions) -> list[tuple[int, Audited]]:
    """The work of one Dask task: a chunk of reports, audited in the Dask worker's process."""
    return [(i, _audit_job(job, options)) for i, job in chunk]


def _run(
    work: Sequence[_Job],
    options: AuditOptions,
    workers: int,
    tick: Callable[[], None],
    budget: Budget | None,
    dask: str | None = None,
) -> Iterator[tuple[int, Audited]]:
    """``(index in work, (record, parsed report))`` pairs as they arrive."""
    if not work:
        return
    if dask is not None:
        chunked = partial(_audit_chunk, options=options)
        for index, audited in iter_dask(chunked, list(enumerate(work)), dask, _failed_indexed):
            tick()
            yield index, audited
        return
    if budget is None:
        for index, job in enumerate(work):
            yield index, _audit_job(job, options)
            tick()
        return
    yield from iter_isolated(
        partial(_audit_job, options=options),
        work,
        _failed_job,
        workers=workers,
        budget=budget,
        tick=tick,
        preload=_WORKER_MODULES,
        initializer=partial(_worker_setup, loaded_packs(options.pack)),
    )


def _worker_setup(packs: Mapping[str, RulePack]) -> None:
    """A fresh audit worker: the batch's checked packs, and the collector tuned for a batch."""
    use_packs(packs)
    settle_worker_memory()


# What an audit worker imports before its first report.
_WORKER_MODULES = [__name__]


def start_workers(render: bool) -> None:
    """Get the workers' imports going now, beside this process's own set-up: once, in the
    process workers are forked from (with the renderers' too when the run writes files)."""
    warm_up([*_WORKER_MODULES, *(renderer_modules() if render else ())])


# Problem codes of failures that are the auditor's fault, not the report's: exit status 2.
INTERRUPTED = "interrupted"
INTERNAL_CODES = frozenset({"internal", "worker_died", INTERRUPTED})


def problem_codes(record: Mapping[str, Any]) -> set[str]:
    """The codes of a record's parse problems (a failed record's reason is one of them)."""
    return {str(p.get("code")) for p in record.get("problems") or ()}


def internal_errors(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """One line per internal error of a run (failed records, rules that crashed), for exit status 2."""
    out = []
    for record in records:
        path = (record.get("source") or {}).get("path", "?")
        if problem_codes(record) & INTERNAL_CODES:
            out.append(f"{path}：{record.get('error')}")
        out += [f"{path}：{n['rule']} {n['reason']}" for n in record.get("not_evaluated") or () if n.get("internal")]
    return out


def pack_versions(options: AuditOptions) -> dict[str, str]:
    """The version of each pack a run may use: a hash of the rule files it merges."""
    out: dict[str, str] = {}
    for ref in [options.pack] if options.pack else bundled_packs():
        pack = _load_pack(ref)
        digest = hashlib.sha256()
        for part in pack.chain:
            try:
                digest.update(Path(part).read_bytes())
            except OSError:
                digest.update(str(part).encode("utf-8"))
        out[pack.name] = digest.hexdigest()[:12]
    return out
