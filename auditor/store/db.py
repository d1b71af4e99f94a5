"""Open the audit store: WAL mode, migrations applied, and clear errors instead of tracebacks."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from auditor.errors import AuditorError
from auditor.store.migrations import MIGRATIONS

DEFAULT_DB = Path("reports_out/audit.db")

# How long a writer waits for another run's transaction (one report's worth) to end.
BUSY_SECONDS = 30.0


class StoreError(AuditorError):
    """The store cannot be used: locked, read-only, not a database, or from a newer auditor."""


def now() -> str:
    """A UTC timestamp, second precision, as stored."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _explain(path: Path, exc: sqlite3.Error) -> StoreError:
    text = str(exc).lower()
    if _busy(exc):
        why = f"数据库正被其他程序占用（等待 {BUSY_SECONDS:g} 秒后仍未释放）"
    elif "readonly" in text or "read-only" in text or "unable to open" in text:
        why = "数据库文件或其所在文件夹不可写"
    elif "not a database" in text or "malformed" in text or "corrupt" in text:
        why = "文件不是审计数据库或已损坏（不会覆盖它；可用 --db 指定其他文件）"
    else:
        why = str(exc)
    return StoreError(f"无法使用审计数据库 {path}：{why}")


@contextmanager
def errors_explained(path: Path) -> Iterator[None]:
    """Turn any SQLite error inside the block into one clear `StoreError`."""
    try:
        yield
    except sqlite3.Error as exc:
        raise _explain(path, exc) from None


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        version = int(row[0] or 0)
        if version > len(MIGRATIONS):
            raise StoreError(f"审计数据库 {path} 由更新版本的审计程序创建（结构版本 {version}），请升级后再用")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO schema_version VALUES (?)", (number,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def connect(path: Path, *, create: bool = True, busy_seconds: float | None = None) -> sqlite3.Connection:
    """A connection to the store at ``path``, schema up to date (created when ``create``)."""
    if not create and not path.is_file():
        raise StoreError(f"找不到审计数据库 {path}（先运行 audit 审计报告，或用 --db 指定）")
    if path.exists() and not path.is_file():
        raise StoreError(f"无法使用审计数据库 {path}：它不是普通文件")
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"无法创建审计数据库 {path}：{exc.strerror or exc}") from None
    wait = BUSY_SECONDS if busy_seconds is None else busy_seconds
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return _open(path, wait)
        except sqlite3.Error as exc:
            # Two runs creating the same store at once: SQLite may answer "locked" at once,
            # without its busy wait (switching a new file to WAL). Try again for the wait.
            if not _busy(exc) or time.monotonic() + delay > deadline:
                raise _explain(path, exc) from None
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def _open(path: Path, wait: float) -> sqlite3.Connection:
    # isolation_level=None: transactions are opened explicitly, one per report.
    conn = sqlite3.connect(path, timeout=wait, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a commit survives the process being killed (only a power cut may
        # lose the last ones, never consistency) without an fsync per report.
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        _migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (taken at once, so two writers queue instead of deadlocking)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
