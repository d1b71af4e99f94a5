"""Batches audited in the background: the CLI's pipeline, store and renderers, run in a thread.

A batch lives in ``<web>/batches/<id>/``: ``batch.json`` (its state, rewritten atomically
as it goes), ``files/`` (the uploads) and ``out/<run>/`` (the run folder `write_outputs`
writes, as the CLI does). Each recorded report's audit record is kept as
``<web>/records/<report id>.json`` for its page. All of it is on disk or in the store, so
a restarted server shows everything; a batch a restart cut short is marked 已中断.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.batch import Budget
from auditor.pipeline import INTERRUPTED, AuditOptions, audit_files, pack_versions, problem_codes
from auditor.render import records as rec
from auditor.render.output import new_run_dir, write_atomic, write_outputs
from auditor.store.store import Store
from auditor.web.uploads import Skipped

QUEUED, AUDITING, WRITING, DONE, FAILED, CUT = "queued", "auditing", "writing", "done", "failed", "interrupted"
STATUS_LABELS = {
    QUEUED: "排队中",
    AUDITING: "审计中",
    WRITING: "写出结果",
    DONE: "已完成",
    FAILED: "出错",
    CUT: "已中断（服务重启）",
}
_ID_CHARS = frozenset("0123456789abcdef")


@dataclass
class BatchState:
    """What an upload page shows of a batch."""

    id: str
    created: str
    status: str = QUEUED
    done: int = 0
    total: int = 0
    files: list[str] = field(default_factory=list)
    skipped: list[list[str]] = field(default_factory=list)  # [name, reason]
    failed: list[list[str]] = field(default_factory=list)  # [file, reason]
    reports: list[int] = field(default_factory=list)  # store report ids, in file order
    run: int | None = None
    run_dir: str | None = None  # relative to the batch folder
    error: str | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def running(self) -> bool:
        return self.status in (QUEUED, AUDITING, WRITING)


def valid_id(text: str) -> bool:
    """Batch ids are 16 hex digits: anything else never reaches the file system."""
    return len(text) == 16 and set(text) <= _ID_CHARS


class Workspace:
    """The web folder (uploads, run folders, records) and the store it audits into."""

    def __init__(self, root: Path, db: Path, budget: Budget | None = Budget(), jobs: int | None = None) -> None:
        self.root = root
        self.db = db
        self.budget = budget
        self.jobs = jobs
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        (root / "batches").mkdir(parents=True, exist_ok=True)
        (root / "records").mkdir(parents=True, exist_ok=True)
        Store(db).close()  # created and migrated now: a broken store stops `audit serve` at once
        self._mark_cut()

    # --- batch state on disk -----------------------------------------------------------

    def batch_dir(self, batch_id: str) -> Path:
        return self.root / "batches" / batch_id

    def load(self, batch_id: str) -> BatchState | None:
        if not valid_id(batch_id):
            return None
        try:
            data = json.loads((self.batch_dir(batch_id) / "batch.json").read_text(encoding="utf-8"))
            return BatchState(**data)
        except (OSError, ValueError, TypeError):
            return None

    def save(self, state: BatchState) -> None:
        data = json.dumps(asdict(state), ensure_ascii=False).encode("utf-8")
        with self._lock:
            write_atomic(self.batch_dir(state.id) / "batch.json", data)

    def batches(self) -> list[BatchState]:
        """Every batch, newest first."""
        found = [self.load(p.name) for p in (self.root / "batches").iterdir() if p.is_dir()]
        return sorted((b for b in found if b), key=lambda b: b.created, reverse=True)

    def _mark_cut(self) -> None:
        for state in self.batches():
            if state.running:
                self.save(replace(state, status=CUT, error="服务在审计完成前停止，请重新上传"))

    def record(self, report_id: int) -> dict[str, Any] | None:
        """The audit record of a stored report, as the batch wrote it (None when it was not audited here)."""
        try:
            data: dict[str, Any] = json.loads((self.root / "records" / f"{report_id}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return data

    def run_file(self, state: BatchState, name: str) -> Path | None:
        """A batch file of the run folder (index.html, summary.xlsx, 通报.docx); None when not written."""
        if state.run_dir is None:
            return None
        path = self.batch_dir(state.id) / state.run_dir / name
        return path if path.is_file() else None

    # --- running -------------------------------------------------------------------------

    def new_batch(self, created: str) -> BatchState:
        state = BatchState(id=secrets.token_hex(8), created=created)
        self.batch_dir(state.id).mkdir()
        return state

    def start(self, state: BatchState, paths: Sequence[Path], skipped: Sequence[Skipped]) -> None:
        """Audit ``paths`` in a background thread; the state on disk follows its progress."""
        state.files = [p.name for p in paths]
        state.total = len(paths)
        state.skipped = [[s.name, s.reason] for s in skipped]
        self.save(state)
        thread = threading.Thread(target=self._run, args=(state, list(paths)), name=f"batch-{state.id}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for every started batch (tests and shutdown)."""
        for thread in list(self._threads):
            thread.join(timeout)

    def _run(self, state: BatchState, paths: list[Path]) -> None:
        try:
            self._audit(state, paths)
        except Exception as exc:  # shown on the batch page; the server goes on
            state.status, state.error = FAILED, f"审计未完成（内部错误 {type(exc).__name__}: {exc}）"
            self.save(state)

    def _audit(self, state: BatchState, paths: list[Path]) -> None:
        with Store(self.db) as store:  # this thread's own connection
            options = AuditOptions()
            run = store.begin_run(__version__, {"rules": None, "select": [], "ignore": [], "files": len(paths)})
            state.status, state.run = AUDITING, run
            self.save(state)
            options = replace(options, waived=store.dismissed(), store=store.path)

            def progress(done: int, total: int) -> None:
                state.done, state.total = done, total
                self.save(state)

            records = audit_files(paths, options, jobs=self.jobs, progress=progress, budget=self.budget)
            state.status = WRITING
            self.save(state)
            reviews = store.reviews()
            interrupted = False
            for record, path in zip(records, paths, strict=True):
                if INTERRUPTED in problem_codes(record):
                    interrupted = True
                    continue
                store.record(run, record, path, reviews)
                report_id = int(
                    store.conn.execute("SELECT max(id) FROM reports WHERE run_id = ?", (run,)).fetchone()[0]
                )
                write_atomic(
                    self.root / "records" / f"{report_id}.json",
                    json.dumps(record, ensure_ascii=False).encode("utf-8"),
                )
                state.reports.append(report_id)
                if rec.is_failed(record):
                    state.failed.append([path.name, rec.failure_reason(record)])
            used = {str(r.get("pack")) for r in records if r.get("pack")}
            store.finish_run(run, {k: v for k, v in pack_versions(options).items() if k in used}, interrupted)
        run_dir = new_run_dir(self.batch_dir(state.id) / "out")
        write_outputs(records, run_dir)
        state.run_dir = str(run_dir.relative_to(self.batch_dir(state.id)))
        state.status = DONE
        self.save(state)
