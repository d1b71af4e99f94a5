"""Read-only access for worker processes: last year's report source, nothing written."""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

from auditor.store.store import StoredSource, previous_source


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
