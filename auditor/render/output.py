"""Write a run's files: one run dir per invocation, never overwriting an earlier run.

Layout of a run dir::

    reports_out/20250301-093000/
        index.html            sortable overview with charts
        summary.xlsx          问题明细 + 报告汇总
        reports/<stem>.html   one page per readable report
        reports/<stem>-整改清单.md / .docx
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import tempfile
import unicodedata
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Sequence as SequenceABC
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path, PurePath
from typing import IO, Any, TypeVar, overload

from auditor.findings.review import RECHECK_LABELS, dismissed
from auditor.model.template import FORMATS
from auditor.processes import settle_worker_memory, start_context
from auditor.render import batch_renderers, get_renderer, report_renderers
from auditor.render import records as rec
from auditor.render.kinds import BatchBuilder, BatchRenderer, Record, RenderOptions, ReportEntry

T = TypeVar("T")
REPORTS_SUBDIR = "reports"
Progress = Callable[[int, int, str], None]
"""Called after each report with (done, total, source path)."""

_UNSAFE = re.compile(r"[^\w\-.()（）]+")
_STEM_MAX = 80
# File systems limit a name to 255 bytes; the stem leaves room for "-整改清单.docx" and a "-N".
_STEM_MAX_BYTES = 150
# In every run dir: marks it as ours, so no later run reads it as input.
RUN_MARKER = ".audit-run"
# In a run dir until its last file is written: an interrupted run is never mistaken for a whole one.
INCOMPLETE_MARKER = "INCOMPLETE.txt"
_INCOMPLETE_TEXT = "本次审计的输出尚未全部写完（运行被中断或写出失败），本文件夹中的结果不完整。\n"
# Names Windows refuses whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def new_run_dir(base: Path = Path("reports_out")) -> Path:
    """Create and return ``base/<YYYYmmdd-HHMMSS>[-N]``; an existing dir is never reused."""
    base.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    n = 1
    while True:
        candidate = base / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            candidate.mkdir()  # atomic: two runs in the same second get different dirs
        except FileExistsError:
            n += 1
            continue
        (candidate / RUN_MARKER).write_bytes(b"")
        (candidate / INCOMPLETE_MARKER).write_text(_INCOMPLETE_TEXT, encoding="utf-8")
        return candidate


def is_run_dir(folder: Path) -> bool:
    """Whether a folder is (or was being) written by a run: never input."""
    return (folder / RUN_MARKER).exists()


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary name beside ``target``, then rename: never a truncated file."""
    write_atomic_with(target, lambda f: f.write(data))


def write_atomic_with(target: Path, write: Callable[[IO[bytes]], object], *, durable: bool = True) -> None:
    """`write_atomic` of what ``write`` writes into the open temporary file.

    ``durable``: on disk (fsync) before the rename. A run's per-report files skip it, each;
    the run syncs once before it calls itself complete (`OutputWriter.finish`).
    """
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "wb") as f:
            write(f)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def safe_stem(path: str) -> str:
    """A portable file stem from a source path: letters (any script), digits, ``-_.()``."""
    stem = PurePath(path.replace("\\", "/")).stem
    stem = _UNSAFE.sub("_", unicodedata.normalize("NFC", stem)).strip("._ ")[:_STEM_MAX]
    while len(stem.encode("utf-8")) > _STEM_MAX_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip("._ ")
    if not stem or stem.lower() in _RESERVED:
        stem = f"report_{stem}" if stem else "report"
    return stem


def unique_stems(paths: Sequence[str]) -> list[str]:
    """`safe_stem` of each path, numbered ``-2``, ``-3``… where two would clash (case-insensitively)."""
    taken: set[str] = set()
    out = []
    for path in paths:
        base = safe_stem(path)
        stem = base
        n = 1
        while stem.casefold() in taken:
            n += 1
            stem = f"{base}-{n}"
        taken.add(stem.casefold())
        out.append(stem)
    return out


@dataclass(frozen=True)
class OutputSummary:
    """What a run wrote and what it found."""

    run_dir: Path
    reports: int
    failed: tuple[tuple[str, str], ...]  # (source path, reason)
    counts: dict[str, int]  # findings per severity
    batch_files: dict[str, Path]  # renderer name -> file
    report_files: int
    unwritten: tuple[tuple[str, str], ...] = ()  # (file in the run dir, reason) not written
    findings_lines: tuple[str, ...] = ()  # `batch_summary_lines` of the records


def write_outputs(
    records: Sequence[Record],
    run_dir: Path,
    progress: Progress | None = None,
    options: RenderOptions | None = None,
) -> OutputSummary:
    """Write every report's files, then the batch files, into ``run_dir`` (which must exist).

    Each file is written atomically; one that cannot be rendered or written is listed in
    ``unwritten`` and the rest are still written. The incomplete marker is removed only
    when every file was written.
    """
    writer = OutputWriter(run_dir, [rec.source_path(r) for r in records], options)
    for done, record in enumerate(records, 1):
        writer.add(record)
        if progress is not None:
            progress(done, len(records), rec.source_path(record))
    return writer.finish()


# What the batch files and the end-of-run summary read of a record: the parsed tables and
# cell values are for the per-report files only, and would cost a province's batch gigabytes.
_HEAVY = ("tables", "unplaced_rows", "coverage")


def summary_of(record: Record) -> Record:
    """A record without what only its own files need.

    Cell keys stay only for a report of no known format: there they choose the template.
    """
    slim = {k: v for k, v in record.items() if k not in _HEAVY}
    known = rec.report_format(record) in FORMATS
    slim["cells"] = {} if known else dict.fromkeys(record.get("cells") or {})
    return slim


def packed(value: Any) -> bytes:
    """``value`` pickled and compressed (zlib level 1: about a third, at little cost) for a spool."""
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpacked(data: bytes) -> Any:
    """What `packed` packed (only ever data this process or its workers wrote)."""
    return pickle.loads(zlib.decompress(data))


class Blobs:
    """Bytes by position in a temporary file, made on first use; memory holds only their offsets.

    The file has a name, so another process can read a blob itself (`locate`): a render
    worker then reads its record straight from the spool instead of from a pipe.
    """

    def __init__(self) -> None:
        self.file: IO[bytes] | None = None
        self.where: dict[int, tuple[int, int]] = {}
        self.unflushed = False

    def put(self, index: int, data: bytes) -> None:
        """Keep ``data`` at ``index`` (a second put replaces the first)."""
        if self.file is None:
            # Deleted when closed (or when this process ends).
            self.file = tempfile.NamedTemporaryFile(prefix="audit-spool-")  # noqa: SIM115 -- closed by close()
        self.where[index] = (self.file.seek(0, os.SEEK_END), len(data))
        self.file.write(data)
        self.unflushed = True

    def get(self, index: int) -> bytes | None:
        if self.file is None or index not in self.where:
            return None
        offset, size = self.where[index]
        self.file.seek(offset)
        return self.file.read(size)

    def locate(self, index: int) -> BlobRef | None:
        """Where another process of this machine reads the blob at ``index`` (while this is open)."""
        if self.file is None or index not in self.where:
            return None
        if self.unflushed:
            self.file.flush()
            self.unflushed = False
        return BlobRef(self.file.name, *self.where[index])

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


@dataclass(frozen=True)
class BlobRef:
    """One blob of a `Blobs` file, read by path (picklable: it travels to a worker)."""

    path: str
    offset: int
    size: int

    def read(self) -> bytes:
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            return f.read(self.size)


@dataclass(frozen=True)
class SpooledRecord:
    """A `RecordSource`: a record `packed` into a `Blobs` file."""

    blob: BlobRef

    def __call__(self) -> Record:
        record: Record = unpacked(self.blob.read())
        return record


class LazySequence(SequenceABC[T]):
    """A sequence of ``size`` items, each made when it is read (`item`): from a spool on
    disk, or a batch's job made as a worker asks for it."""

    size = 0

    def item(self, index: int) -> T:
        raise NotImplementedError

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not -self.size <= index < self.size:
            raise IndexError(index)
        return self.item(index % self.size)


class Spool(LazySequence[T]):
    """A sequence kept in a temporary file (`packed` items); read as iterated."""

    def __init__(self) -> None:
        self.blobs = Blobs()
        self.size = 0

    def append(self, item: T) -> None:
        self.blobs.put(self.size, packed(item))
        self.size += 1

    def item(self, index: int) -> T:
        data = self.blobs.get(index)
        assert data is not None  # every position below size was put
        value: T = unpacked(data)
        return value

    def view(self) -> SpoolView[T]:
        """The spool as another process of this machine reads it (while this one is open)."""
        refs = [self.blobs.locate(i) for i in range(self.size)]
        where = [(ref.offset, ref.size) for ref in refs if ref is not None]
        assert len(where) == self.size  # every position below size was put
        return SpoolView(refs[0].path if refs and refs[0] else "", where)

    def close(self) -> None:
        self.blobs.close()


class SpoolView(LazySequence[T]):
    """A `Spool` read through its file's name: picklable, so a worker can read it itself."""

    def __init__(self, path: str, where: list[tuple[int, int]]) -> None:
        self.path, self.where, self.size = path, where, len(where)

    def item(self, index: int) -> T:
        value: T = unpacked(BlobRef(self.path, *self.where[index]).read())
        return value

    def __iter__(self) -> Iterator[T]:
        if not self.size:
            return
        with open(self.path, "rb") as f:  # one open file for the whole pass
            for offset, size in self.where:
                f.seek(offset)
                item: T = unpacked(f.read(size))
                yield item


def render_report_files(
    record: Record, stem: str, report_dir: Path, options: RenderOptions
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Write one record's own files: (renderer name → path in the run dir, files not written)."""
    files: dict[str, str] = {}
    unwritten: list[tuple[str, str]] = []
    if rec.is_failed(record):
        return files, unwritten
    for renderer in report_renderers():
        if not renderer.applies(record):
            continue
        name = f"{stem}{renderer.suffix}"
        error = _write(report_dir / name, _bytes_of(partial(renderer.render, record, options)), durable=False)
        if error:
            unwritten.append((f"{REPORTS_SUBDIR}/{name}", error))
            continue
        files[renderer.name] = f"{REPORTS_SUBDIR}/{name}"
    return files, unwritten


Rendered = tuple[dict[str, str], list[tuple[str, str]]]

RecordSource = Callable[[], Record]
"""A picklable way to read one record of a batch: a render worker given one reads the record
itself (from the store or a spool) and the batch process never holds or sends it."""


@dataclass(frozen=True)
class _Given:
    """The `RecordSource` of a record this process already holds."""

    record: Record

    def __call__(self) -> Record:
        return self.record


def render_entry(source: RecordSource, stem: str, report_dir: Path, options: RenderOptions) -> tuple[Record, Rendered]:
    """Read a record, write its own files: its `summary_of` and what `render_report_files` says."""
    record = source()
    return summary_of(record), render_report_files(record, stem, report_dir, options)


def _render_worker_setup(batch_pid: int) -> None:
    """Ctrl-C is the batch process's to handle; a render worker ends when that process does;
    its collector is tuned for the many records to come."""
    import signal
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while True:
            time.sleep(1)
            try:
                os.kill(batch_pid, 0)
            except ProcessLookupError:
                os._exit(0)  # killed batch (SIGKILL, crash): no orphan keeps rendering
            except OSError:
                pass

    threading.Thread(target=watch, daemon=True).start()
    settle_worker_memory()


class OutputWriter:
    """A run's files written as its records arrive, in batch order.

    `add` writes a report's own files (in ``jobs`` worker processes when more than one:
    rendering a DOCX or a page costs more than auditing the report) and keeps only
    `summary_of` the record, in a temporary file; `finish` builds the batch files from
    those summaries. Memory stays flat whatever the batch size: at most a few records
    per worker are in flight. ``observe`` sees each report's summary, in batch order.
    """

    def __init__(
        self,
        run_dir: Path,
        paths: Sequence[str],
        options: RenderOptions | None = None,
        jobs: int = 1,
        observe: Callable[[Record], object] = lambda summary: None,
    ) -> None:
        self.run_dir, self.options, self.observe = run_dir, options or RenderOptions(), observe
        self.report_dir = run_dir / REPORTS_SUBDIR
        self.report_dir.mkdir(exist_ok=True)
        self.stems = unique_stems(paths)
        self.entries: Spool[ReportEntry] = Spool()
        self.tally = BatchTally()
        self.unwritten: list[tuple[str, str]] = []
        self.written = 0
        self.added = 0
        self.pool: ProcessPoolExecutor | None = None
        if jobs > 1:
            self.pool = ProcessPoolExecutor(
                max_workers=jobs, mp_context=start_context(), initializer=_render_worker_setup, initargs=(os.getpid(),)
            )
        # Batch files built as the entries arrive (`BatchRenderer.builder`); one whose builder
        # failed is left out with its reason, like any file that could not be written.
        self.builders: dict[str, BatchBuilder] = {}
        self.build_errors: dict[str, str] = {}
        for batch in batch_renderers():
            if batch.builder is not None:
                try:
                    self.builders[batch.name] = batch.builder(self.options, len(self.stems))
                except Exception as exc:  # a renderer bug costs only its file
                    self.build_errors[batch.name] = _internal_error(exc)
        self.window = 4 * jobs
        self.in_flight: deque[tuple[RecordSource, Future[tuple[Record, Rendered]] | None]] = deque()

    def add(self, record: Record) -> None:
        """Write the files of the next record of the batch."""
        self.add_from(_Given(record))

    def add_from(self, source: RecordSource) -> None:
        """`add` the record ``source`` reads: in a render worker, when there are any, so a
        source that reads the store or a spool spares this process reading and sending it."""
        stem = self.stems[self.added]
        self.added += 1
        future = None
        if self.pool is not None:
            try:
                future = self.pool.submit(render_entry, source, stem, self.report_dir, self.options)
            except BrokenProcessPool:
                self.pool = None
        self.in_flight.append((source, future))
        while len(self.in_flight) > (self.window if self.pool is not None else 0):
            self._collect()

    def _collect(self) -> None:
        source, future = self.in_flight.popleft()
        stem = self.stems[len(self.entries)]
        result = None
        if future is not None:
            try:
                result = future.result()
            except Exception:  # the worker died (out of memory) or could not read the record: render here
                result = None
        summary, (files, unwritten) = result or render_entry(source, stem, self.report_dir, self.options)
        self.unwritten += unwritten
        self.written += len(files)
        entry = ReportEntry(summary, files)
        self.entries.append(entry)
        for name, builder in list(self.builders.items()):
            try:
                builder.add(entry)
            except Exception as exc:  # a renderer bug costs only its file
                self.build_errors[name] = _internal_error(exc)
                self._discard(name)
        self.tally.add(summary)
        self.observe(summary)

    def close(self) -> None:
        """Stop the render workers (after `finish`, or when the run is abandoned)."""
        for name in list(self.builders):  # never saved: the run stopped
            self._discard(name)
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        self.entries.close()

    def _discard(self, name: str) -> None:
        builder = self.builders.pop(name)
        with contextlib.suppress(Exception):  # already broken: nothing more to save of it
            builder.discard()

    def drain(self) -> None:
        """Wait for the files of every record added so far (each summary then observed)."""
        while self.in_flight:
            self._collect()

    def finish(self) -> OutputSummary:
        """Write the batch files; what the run wrote and found."""
        self.drain()
        entries = self.entries
        # The batch files are written side by side by the render workers, when there are
        # any: the workbook takes longest, and one core would otherwise sit idle.
        futures: dict[str, Future[str | None]] = {}
        rest = [b for b in batch_renderers() if b.name not in self.builders and b.name not in self.build_errors]
        if self.pool is not None:
            shared = entries.view()
            for batch in rest:
                with contextlib.suppress(BrokenProcessPool):
                    target = self.run_dir / batch.filename
                    futures[batch.name] = self.pool.submit(write_batch_file, batch.name, shared, self.options, target)
        batch_files: dict[str, Path] = {}
        for batch in batch_renderers():
            target = self.run_dir / batch.filename
            builder = self.builders.pop(batch.name, None)
            here = partial(_write, target, builder.save if builder else partial(batch.write, entries, self.options))
            future = futures.get(batch.name)
            try:
                error = self.build_errors.get(batch.name) or (future.result() if future is not None else here())
            except Exception:  # the worker died (out of memory) or the pool broke: written here
                error = here()
            if error:
                self.unwritten.append((batch.filename, error))
                continue
            batch_files[batch.name] = target
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None
        if not self.unwritten:
            if self.written and hasattr(os, "sync"):
                os.sync()  # the report files were written without an fsync each
            (self.run_dir / INCOMPLETE_MARKER).unlink(missing_ok=True)
        summary = OutputSummary(
            run_dir=self.run_dir,
            reports=len(entries),
            failed=tuple(self.tally.failed),
            counts=dict(self.tally.counts),
            batch_files=batch_files,
            report_files=self.written,
            unwritten=tuple(self.unwritten),
            findings_lines=tuple(self.tally.lines()),
        )
        entries.close()
        return summary


def write_batch_file(name: str, entries: Sequence[ReportEntry], options: RenderOptions, target: Path) -> str | None:
    """Write the batch file of renderer ``name`` (in a render worker): why it failed, or None."""
    batch = get_renderer(name)
    assert isinstance(batch, BatchRenderer)
    if isinstance(entries, SpoolView) and entries.size:
        # A spool this process cannot open (a system whose temporary files are private to
        # their process) raises here, not inside `_write`: the batch process then writes it.
        open(entries.path, "rb").close()
    return _write(target, partial(batch.write, entries, options))


def _bytes_of(render: Callable[[], bytes]) -> Callable[[IO[bytes]], object]:
    """A writer of what ``render`` returns (called inside `_write`, so its errors are caught there)."""
    return lambda f: f.write(render())


def _write(target: Path, write: Callable[[IO[bytes]], object], *, durable: bool = True) -> str | None:
    """Render and write one file; the reason (Chinese) when that failed, else None."""
    try:
        write_atomic_with(target, write, durable=durable)
    except OSError as exc:
        return f"无法写出：{exc.strerror or exc}"
    except Exception as exc:  # a renderer bug must not cost the other files of the run
        return _internal_error(exc)
    return None


def _internal_error(exc: Exception) -> str:
    return f"生成失败（内部错误）：{type(exc).__name__}: {exc}"[:300]


class BatchTally:
    """What the end of a run says of a batch, gathered record by record in one pass: counts,
    failures, unaudited reports, 复核 totals, the worst scores (a few records kept, not the batch)."""

    def __init__(self, max_listed: int = 5) -> None:
        self.max_listed = max_listed
        self.reports = 0
        self.failed: list[tuple[str, str]] = []  # (source path, reason)
        self.counts = dict.fromkeys(rec.SEVERITIES, 0)
        self.unaudited: list[tuple[str, str]] = []  # the first few (path, reason)
        self.unaudited_count = 0
        self.partial = 0
        self.rechecked = 0
        self.recheck_totals = dict.fromkeys(RECHECK_LABELS, 0)
        self.waived = 0
        self.worst: list[tuple[tuple[float, str], int, Record]] = []  # (key, batch order, record)

    def add(self, record: Record) -> None:
        self.reports += 1
        for s, n in rec.counts(record).items():
            self.counts[s] = self.counts.get(s, 0) + n
        failed = rec.is_failed(record)
        if failed:
            self.failed.append((rec.source_path(record), rec.failure_reason(record)))
        elif rec.is_unauditable(record):
            self.unaudited_count += 1
            if len(self.unaudited) < self.max_listed:
                self.unaudited.append((rec.source_path(record), rec.verdict_reason(record)))
        self.partial += rec.is_partial(record)
        recheck = record.get("recheck")
        if recheck:
            self.rechecked += 1
            for status in RECHECK_LABELS:
                self.recheck_totals[status] += int((recheck.get("counts") or {}).get(status, 0))
        self.waived += sum(1 for f in rec.findings(record) if dismissed(f))
        if rec.verdict_status(record) == "scored" and rec.score(record) is not None:
            self._keep_worst(record)

    def _keep_worst(self, record: Record) -> None:
        self.worst.append(((rec.score(record) or 0.0, rec.source_path(record)), self.reports, record))
        if len(self.worst) > 4 * self.max_listed:  # prune now and then: a few records kept, not the batch
            self.worst = self.worst_entries()

    def worst_entries(self) -> list[tuple[tuple[float, str], int, Record]]:
        # Sorted by (score, path), then batch order: as `heapq.nsmallest` over the batch would.
        return sorted(self.worst, key=lambda e: (e[0], e[1]))[: self.max_listed]

    def worst_records(self) -> list[Record]:
        """The lowest-scored reports, lowest first (ties by path, then batch order)."""
        return [r for _, _, r in self.worst_entries()]

    def lines(self) -> list[str]:
        n, counts, failed = self.max_listed, self.counts, len(self.failed)
        lines = [
            f"审计完成：共 {self.reports} 份报告，成功 {self.reports - failed} 份，读取失败 {failed} 份。",
            "发现问题："
            + "，".join(f"{rec.SEVERITY_LABELS[s]} {counts.get(s, 0)} 项" for s in rec.SEVERITIES)
            + f"（合计 {sum(counts.values())} 项）。",
        ]
        lines += [f"  读取失败：{path}：{reason}" for path, reason in self.failed[:n]]
        if len(self.failed) > n:
            lines.append(f"  ……另有 {len(self.failed) - n} 份读取失败，详见下列汇总文件。")
        if self.unaudited_count:
            lines.append(f"无法审计（需人工核对）{self.unaudited_count} 份：")
            lines += [f"  {path}：{reason}" for path, reason in self.unaudited]
            if self.unaudited_count > n:
                lines.append(f"  ……另有 {self.unaudited_count - n} 份。")
        if self.partial:
            lines.append(f"部分检查（--select/--ignore）{self.partial} 份：只运行了所选规则，不评定等级。")
        if self.rechecked:
            tally = "，".join(f"{label} {self.recheck_totals[status]} 项" for status, label in RECHECK_LABELS.items())
            lines.append(f"复核：{self.rechecked} 份报告曾审计过，{tally}。")
        if self.waived:
            lines.append(f"已核实-不属问题 {self.waived} 项：不扣分，不列入整改清单。")
        worst = self.worst_records()
        if len(worst) > 1 or (worst and rec.score(worst[0]) != 100):
            lines.append("得分最低的报告：")
            lines += [
                f"  {rec.score_text(r)} 分（{rec.band_text(r)}，错误 {rec.counts(r)['error']} 项）"
                f" {rec.agency(r)} {rec.year(r)}：{rec.source_path(r)}"
                for r in worst
            ]
        return [rec.one_line(line) for line in lines]


def batch_summary_lines(records: Iterable[Record], max_listed: int = 5) -> list[str]:
    """What a batch found, for the end of a run: reports, findings, failures, worst and unaudited reports."""
    tally = BatchTally(max_listed)
    for record in records:
        tally.add(record)
    return tally.lines()


def summary_text(summary: OutputSummary, max_failed: int = 5) -> str:
    """The one-screen end-of-run summary (Chinese)."""
    lines = list(summary.findings_lines)
    lines.append(f"输出目录：{summary.run_dir}")
    for name, path in summary.batch_files.items():
        lines.append(f"  {get_renderer(name).description}：{path}")
    lines.append(f"  单份报告：{summary.run_dir / REPORTS_SUBDIR}（{summary.report_files} 个文件）")
    if summary.unwritten:
        lines.append(f"有 {len(summary.unwritten)} 个文件未能写出，输出不完整（见 {INCOMPLETE_MARKER}）：")
        lines += [f"  {name}：{reason}" for name, reason in summary.unwritten[:max_failed]]
    return "\n".join(lines)
