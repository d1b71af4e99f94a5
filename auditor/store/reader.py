"""Read-only access for worker processes: last year's report source, a batch's stored
records; nothing written."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from auditor.store.db import StoreError
from auditor.store.store import StoredSource, batch_record, previous_source


@cache
def _reader(path: Path) -> sqlite3.Connection | None:
    # One read-only connection per worker process; WAL lets it read while the main process writes.
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0)
    except sqlite3.Error:
        return None


def read_previous(path: Path, body: str, year: int) -> StoredSource | None:
    """`previous_source` from the store at ``path``; None when the store cannot be read.

    The main process opened (and so checked) the store before the workers started; a
    failure here costs only the cross-year comparison, which is then not evaluated.
    """
    conn = _reader(path)
    if conn is None:
        return None
    try:
        return previous_source(conn, body, year)
    except sqlite3.Error:
        return None


@dataclass(frozen=True)
class StoredRecord:
    """A record source (`auditor.render.output.RecordSource`): the whole record run ``run``
    stored at batch position ``index``, read by whichever process calls it."""

    path: Path
    run: int
    index: int

    def __call__(self) -> dict[str, Any]:
        conn = _reader(self.path)
        record = batch_record(conn, self.run, self.index) if conn is not None else None
        if record is None:  # the caller (a render worker's batch) then reads it another way
            raise StoreError(f"无法从审计数据库 {self.path} 读取第 {self.index + 1} 份报告的审计结果")
        return record
