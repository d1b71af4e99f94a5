"""Output safety (issue 9): names safe in bytes and length, atomic files, a run folder marked
incomplete until its last file is written, and run folders never read as input."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from auditor.pipeline import collect_paths
from auditor.render.output import INCOMPLETE_MARKER, new_run_dir, safe_stem, write_outputs
from tests.reportgen import make_report


def test_a_long_chinese_name_fits_every_file_system() -> None:
    stem = safe_stem("inbox/" + "岳阳市人民政府办公室" * 8 + ".txt")  # 80 characters, 240 bytes
    assert len(f"{stem}-2-整改清单.docx".encode()) <= 255


def test_a_run_dir_is_marked_incomplete_until_its_last_file(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    run_dir = new_run_dir(tmp_path)
    assert (run_dir / INCOMPLETE_MARKER).exists()
    write_outputs(records, run_dir)
    assert not (run_dir / INCOMPLETE_MARKER).exists()


def test_a_file_that_cannot_be_written_costs_only_itself(
    tmp_path: Path, records: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    calls = {"n": 0}

    def full_disk_once(source: str, target: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the second file: the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", full_disk_once)
    run_dir = new_run_dir(tmp_path)
    summary = write_outputs(records, run_dir)
    assert len(summary.unwritten) == 1 and "No space left" in summary.unwritten[0][1]
    (missing, _) = summary.unwritten[0]
    assert not (run_dir / missing).exists()  # no truncated file left behind
    assert not list(run_dir.rglob("*.tmp"))
    assert (run_dir / "index.html").exists() and (run_dir / "summary.xlsx").exists()
    assert (run_dir / INCOMPLETE_MARKER).exists()


def _audit(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", ".", "--fail-on", "never", *args],
        cwd=folder,
        capture_output=True,
        timeout=120,
    )


def test_audit_dot_three_times_audits_the_same_reports(tmp_path: Path) -> None:
    for i in range(2):
        (tmp_path / f"r{i}.txt").write_text(make_report(i).text, encoding="utf-8")
    counts = []
    for _ in range(3):
        done = _audit(tmp_path, "--format", "json")
        assert done.returncode == 0, done.stderr.decode()
        counts.append(len(json.loads(done.stdout)["reports"]))
    assert counts == [2, 2, 2]
    # Nor when an earlier run wrote elsewhere inside the folder.
    _audit(tmp_path, "--out", "elsewhere")
    assert len(collect_paths([tmp_path], exclude=[tmp_path / "reports_out"])) == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
def test_odd_file_names_give_valid_json_and_every_output(tmp_path: Path) -> None:
    text = make_report(3).text.encode("utf-8")
    (tmp_path / os.fsdecode(b"bad\xff\xfe.txt")).write_bytes(text)
    (tmp_path / ("岳阳市人民政府办公室" * 8 + ".txt")).write_bytes(text)
    done = _audit(tmp_path, "--format", "json")
    assert done.returncode == 0, done.stderr.decode()
    reports = json.loads(done.stdout.decode("utf-8"))["reports"]  # strict UTF-8
    assert len(reports) == 2 and all(r["status"] == "ok" for r in reports)
    (run_dir,) = (p for p in (tmp_path / "reports_out").iterdir() if p.is_dir())
    assert (run_dir / "index.html").exists() and (run_dir / "summary.xlsx").exists()
    assert len(list((run_dir / "reports").glob("*.docx"))) == 2
    assert not (run_dir / INCOMPLETE_MARKER).exists()
