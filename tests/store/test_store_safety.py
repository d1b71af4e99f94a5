"""The store under concurrent runs, SIGTERM, corrupt and locked files; last year's report from the store."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.cli import app
from auditor.store import db as store_db
from tests.store.conftest import DONGLING_2023, DONGLING_2024, ROOT, audit_json, runner

EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))


def _audit_process(folder: Path, db: Path, out: Path) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "auditor", str(folder), "--db", str(db), "--out", str(out), "-q", "-j", "1"]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)


def _folder(tmp_path: Path, name: str, copies: int) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for n in range(copies):
        source = EXAMPLES[n % len(EXAMPLES)]
        shutil.copy(source, folder / f"{n:03d}_{source.name}")
    return folder


def _consistent(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    orphans = conn.execute("SELECT count(*) FROM findings WHERE report_id NOT IN (SELECT id FROM reports)").fetchone()
    assert orphans == (0,)
    return conn


def test_two_runs_at_once_both_land(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    first = _audit_process(_folder(tmp_path, "a", 6), db, tmp_path / "out_a")
    second = _audit_process(_folder(tmp_path, "b", 6), db, tmp_path / "out_b")
    for proc in (first, second):
        _, err = proc.communicate(timeout=300)
        assert proc.returncode in (0, 1), err.decode()
    conn = _consistent(db)
    assert conn.execute("SELECT status, count(*) FROM runs GROUP BY status").fetchall() == [("complete", 2)]
    assert conn.execute("SELECT count(DISTINCT run_id), count(*) FROM reports").fetchone() == (2, 12)


def _run_started(db: Path) -> bool:
    """Whether the store exists and holds the run (a loaded machine can be slow to get there)."""
    if not db.exists():
        return False
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return bool(conn.execute("SELECT count(*) FROM runs").fetchone()[0])
    except sqlite3.Error:
        return False


def test_sigterm_mid_batch_leaves_a_consistent_store(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    folder = _folder(tmp_path, "many", 40)
    proc = _audit_process(folder, db, tmp_path / "out")
    deadline = time.monotonic() + 60
    while not _run_started(db) and time.monotonic() < deadline:  # the run is recorded in the store
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err.decode()
    conn = _consistent(db)
    assert conn.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
    recorded = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    assert recorded < 40
    conn.close()
    again = _audit_process(folder, db, tmp_path / "out")
    _, err = again.communicate(timeout=300)
    assert again.returncode in (0, 1), err.decode()
    conn = _consistent(db)
    assert conn.execute("SELECT status FROM runs ORDER BY id").fetchall() == [("interrupted",), ("complete",)]
    assert conn.execute("SELECT count(*) FROM reports WHERE run_id = 2").fetchone() == (40,)


def test_corrupt_store_gives_one_clear_message(tmp_path: Path) -> None:
    bad = tmp_path / "audit.db"
    garbage = b"this is not a database" * 100
    bad.write_bytes(garbage)
    for args in ([str(DONGLING_2023), "--db", str(bad), "--no-out"], ["history", "--db", str(bad)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "不是审计数据库" in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert bad.read_bytes() == garbage  # never overwritten
    folder_db = tmp_path / "folder.db"
    folder_db.mkdir()
    result = runner.invoke(app, [str(DONGLING_2023), "--db", str(folder_db), "--no-out"])
    assert result.exit_code == 2 and "不是普通文件" in result.output


def test_locked_store_gives_one_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "audit.db"
    audit_json(DONGLING_2023, db=db)
    monkeypatch.setattr(store_db, "BUSY_SECONDS", 0.2)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = runner.invoke(app, [str(DONGLING_2023), "--db", str(db), "--no-out"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 2, result.output
    assert "占用" in result.output and "Traceback" not in result.output


def test_a_store_answering_locked_at_once_is_tried_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two runs creating one store at the same moment: SQLite may say "locked" without waiting.
    real_open = store_db._open
    answers = [sqlite3.OperationalError("database is locked")] * 2

    def flaky(path: Path, wait: float) -> sqlite3.Connection:
        if answers:
            raise answers.pop()
        return real_open(path, wait)

    monkeypatch.setattr(store_db, "_open", flaky)
    conn = store_db.connect(tmp_path / "audit.db")
    assert not answers and conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] >= 1
    conn.close()


def test_last_year_from_the_store_gives_the_cross_year_findings(tmp_path: Path) -> None:
    both = audit_json(DONGLING_2023, DONGLING_2024, db=tmp_path / "batch.db")["reports"]
    in_batch = next(r for r in both if r["meta"]["year"] == 2024)
    expected = sorted((f["rule"], f["message"]) for f in in_batch["findings"] if f["category"] == "cross_year")
    assert expected and in_batch["previous"]["run"] is None
    db = tmp_path / "audit.db"
    audit_json(DONGLING_2023, db=db)
    alone = audit_json(DONGLING_2024, db=db)
    assert sorted((f["rule"], f["message"]) for f in alone["findings"] if f["category"] == "cross_year") == expected
    assert alone["previous"]["run"] == 1 and alone["previous"]["year"] == 2023
    without = audit_json(DONGLING_2024, db=tmp_path / "empty.db")
    assert not [f for f in without["findings"] if f["category"] == "cross_year"] and without["previous"] is None


def test_store_from_a_newer_auditor_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    audit_json(DONGLING_2023, db=db)
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO schema_version VALUES (99)")
    conn.commit()
    conn.close()
    result = runner.invoke(app, [str(DONGLING_2023), "--db", str(db), "--no-out"])
    assert result.exit_code == 2 and "更新版本" in result.output
    assert os.path.getsize(db) > 0
