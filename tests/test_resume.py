"""`audit --resume`: a batch stopped half-way continues, audits only what is missing, ends as if never stopped."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from tests.reportgen import make_report

N = 24
ROOT = Path(__file__).resolve().parent.parent


def _batch(folder: Path) -> Path:
    folder.mkdir()
    for i in range(N):
        if i % 6 == 5:  # last year's report of the body of report i - 1: a cross-year pair
            text = make_report(i - 1, fmt="2021", year=2022, agency=f"临江市第{i - 1}局").text
        elif i % 6 == 4:
            text = make_report(i, fmt="2021", year=2023, agency=f"临江市第{i}局", layout="tab").text
        else:
            text = make_report(
                i, layout=("pipe", "tab", "paragraph")[i % 3], defect="wrong_total" if i % 2 else None
            ).text
        (folder / f"r{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def _audit(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "auditor", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _recorded(db: Path) -> list[tuple[int, int]]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT id, batch_index FROM reports ORDER BY id").fetchall()
    except sqlite3.Error:
        return []


def _files(run_dir: Path) -> dict[str, bytes]:
    # DOCX and XLSX carry the time they were written in docProps: compared as the texts they hold.
    return {
        str(p.relative_to(run_dir)): p.read_bytes() for p in sorted(run_dir.rglob("*")) if p.suffix in (".html", ".md")
    }


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_batch_killed_half_way_resumes_to_the_same_outputs(tmp_path: Path, stop: signal.Signals) -> None:
    reports = _batch(tmp_path / "in")
    whole = _audit(str(reports), "--format", "json", "--out", str(tmp_path / "whole"), "-j", "1")
    expected, _ = whole.communicate(timeout=600)

    out = tmp_path / "stopped"
    stopped = _audit(str(reports), "--format", "json", "--out", str(out), "-j", "1")
    deadline = time.monotonic() + 300
    while len(_recorded(out / "audit.db")) < N // 3 and time.monotonic() < deadline and stopped.poll() is None:
        time.sleep(0.05)
    stopped.send_signal(stop)
    _, said = stopped.communicate(timeout=120)
    if stop == signal.SIGINT:
        assert stopped.returncode == 130 and "--resume" in said.decode()
    before = _recorded(out / "audit.db")
    assert N // 3 <= len(before) < N  # stopped half-way, what was done is in the store
    with sqlite3.connect(out / "audit.db") as conn:
        assert conn.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]

    resumed = _audit(str(reports), "--format", "json", "--out", str(out), "-j", "1", "--resume")
    got, err = resumed.communicate(timeout=600)
    assert resumed.returncode == whole.returncode, err.decode()
    assert got == expected  # byte-identical JSON, run number included
    runs = sorted(p for p in out.iterdir() if p.is_dir())
    assert _files(runs[-1]) == _files(next(p for p in (tmp_path / "whole").iterdir() if p.is_dir()))
    after = _recorded(out / "audit.db")
    # Only what was missing was audited: every report recorded before the stop kept its row
    # (a first-pass record of a cross-year pair is replaced once, as in any run).
    kept = {row for row in before if row[1] % 6 != 4}
    assert kept <= set(after) and len(after) == N
    with sqlite3.connect(out / "audit.db") as conn:
        assert conn.execute("SELECT status FROM runs").fetchall() == [("complete",)]
        assert conn.execute("SELECT count(*) FROM reports WHERE record IS NOT NULL").fetchone() == (0,)


def test_resume_without_an_interrupted_run_says_so(tmp_path: Path) -> None:
    reports = _batch(tmp_path / "in")
    runner = CliRunner()
    first = runner.invoke(
        app, [str(reports), "--out", str(tmp_path / "o"), "-q", "--no-out", "--db", str(tmp_path / "a.db")]
    )
    assert first.exit_code in (0, 1)
    again = runner.invoke(app, [str(reports), "-q", "--no-out", "--db", str(tmp_path / "a.db"), "--resume"])
    assert again.exit_code == 2 and "没有被中断的运行" in again.output
    no_db = runner.invoke(app, [str(reports), "-q", "--no-out", "--resume"])
    assert no_db.exit_code == 2 and "--resume 需要审计数据库" in no_db.output
