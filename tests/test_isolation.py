"""Batch isolation (issue 9): a report that hangs, eats memory, crashes or is killed fails
alone; SIGTERM leaves no worker behind and every report accounted for."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.batch import Budget, Failure, available_cores, run_isolated
from auditor.pipeline import AuditOptions, audit_files, internal_errors
from tests.reportgen import make_report

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and rlimits")


def behave(item: str) -> str:
    """A worker function whose behaviour the item names (module level: workers import it)."""
    if item == "hang":
        time.sleep(600)
    elif item == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif item == "hog":
        hoard = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB, beyond the budget
        return str(len(hoard))
    elif item == "raise":
        raise RuntimeError("boom")
    elif item == "unpicklable":
        return lambda: None  # type: ignore[return-value]
    return item.upper()


def broken_setup() -> None:
    raise RuntimeError("cannot load the packs")


def _failed(item: str, failure: Failure) -> str:
    return f"{item}:{failure.code}:{failure.internal}"


@posix_only
def test_each_item_fails_alone_and_the_rest_completes() -> None:
    items = ["a", "hang", "b", "kill", "c", "hog", "d", "raise", "e", "unpicklable", "f"]
    started = time.monotonic()
    results = run_isolated(behave, items, _failed, workers=2, budget=Budget(seconds=3, memory_mb=256))
    assert results == [
        "A",
        "hang:timeout:False",
        "B",
        "kill:worker_died:True",
        "C",
        "hog:memory:False",
        "D",
        "raise:internal:True",
        "E",
        "unpicklable:internal:True",
        "F",
    ]
    assert time.monotonic() - started < 30


def worker_pid(item: int) -> int:
    time.sleep(0.05)  # long enough that every worker gets some items
    return os.getpid()


@posix_only
def test_jobs_are_capped_at_the_available_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    assert 1 <= available_cores() <= (os.cpu_count() or 1)
    from auditor import pipeline

    seen: list[int] = []

    def fake_run(fn: object, items: list[object], failed: object, *, workers: int, **_: object) -> list[object]:
        seen.append(workers)
        return [(i, ({}, None)) for i in range(len(items))]

    monkeypatch.setattr(pipeline, "iter_isolated", fake_run)
    pipeline.audit_files([Path("a.txt")], AuditOptions(), jobs=64)
    assert seen and max(seen) <= available_cores()
    pids = run_isolated(worker_pid, list(range(12)), _failed, workers=2, budget=Budget())
    assert len(set(pids)) <= 2


def collector_state(item: int) -> tuple[tuple[int, int, int], bool]:
    import gc

    return gc.get_threshold(), gc.get_freeze_count() > 0


def test_audit_workers_tune_the_collector_for_a_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    # Sweeping a worker's long-lived caches every 700 allocations cost ~8% of a report's CPU:
    # an audit worker freezes what its set-up made and sweeps far less often.
    from auditor import pipeline

    setups: list[object] = []

    def fake_run(fn: object, items: list[object], failed: object, **kwargs: object) -> list[object]:
        setups.append(kwargs["initializer"])
        return [(i, ({}, None)) for i in range(len(items))]

    monkeypatch.setattr(pipeline, "iter_isolated", fake_run)
    pipeline.audit_files([Path("a.txt"), Path("b.txt")], AuditOptions(), jobs=2)
    initializer = setups[0]
    assert callable(initializer)
    (state,) = run_isolated(collector_state, [0], _failed, workers=1, budget=Budget(), initializer=initializer)
    threshold, frozen = state
    assert threshold[0] >= 10_000 and frozen


def _write_batch(folder: Path, n: int, size_factor: int = 1) -> list[Path]:
    paths = []
    for i in range(n):
        path = folder / f"r{i:02d}.txt"
        path.write_text(make_report(i).text * size_factor, encoding="utf-8")
        paths.append(path)
    return paths


@posix_only
def test_a_report_over_its_time_budget_becomes_a_failed_record(tmp_path: Path) -> None:
    small = _write_batch(tmp_path, 2)
    huge = tmp_path / "huge.txt"
    # ~15 MB: about six seconds of work, far over the budget whatever the machine's load,
    # while a small report takes a few hundredths of a second.
    huge.write_text(make_report(9).text * 2400, encoding="utf-8")
    records = audit_files([small[0], huge, small[1]], AuditOptions(), jobs=2, budget=Budget(seconds=1))
    assert [r["status"] for r in records] == ["ok", "failed", "ok"]
    assert "时间上限" in records[1]["error"] and records[1]["source"]["path"] == str(huge)
    assert not internal_errors(records)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _descendants(pid: int) -> list[int]:
    out = []
    for child in _children(pid):
        out += [child, *_descendants(child)]
    return out


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_sigterm_kills_the_workers_and_accounts_for_every_report(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"big{i}.txt").write_text(make_report(i).text * 300, encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "auditor", str(folder), "--out", str(out), "--format", "json", "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.2)
        # Workers are forked by the fork server, the batch's child: they are its grandchildren.
        workers = [p for p in _descendants(proc.pid) if _is_worker(p) and p not in _children(proc.pid)]
    assert workers, "no worker started"
    proc.send_signal(signal.SIGTERM)
    stdout, _ = proc.communicate(timeout=60)
    assert proc.returncode == 2  # interrupted: an internal reason, not the reports' fault
    gone_by = time.monotonic() + 10  # helpers notice their parent's end within moments
    while time.monotonic() < gone_by and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    left = {pid: _cmdline(pid) for pid in workers if _alive(pid)}
    assert not left, f"processes left running: {left}"
    import json

    records = json.loads(stdout)["reports"]
    assert len(records) == 6  # every input accounted for, finished or not
    assert any("中止" in (r["error"] or "") for r in records)
    (run_dir,) = (p for p in out.iterdir() if p.is_dir())
    assert (run_dir / "index.html").exists()


def _is_worker(pid: int) -> bool:
    try:
        return b"multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists() and not _is_zombie(pid)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "?"


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def test_internal_errors_make_the_exit_status_2() -> None:
    from auditor.cli.check_cmd import FailOn, _exit_code

    clean: dict[str, object] = {"source": {"path": "a.txt"}, "findings": [], "problems": [], "not_evaluated": []}
    skipped = {"rule": "COL-002", "reason": "内部错误，规则未能执行：boom", "internal": True}
    crashed = {**clean, "not_evaluated": [skipped]}
    died = {**clean, "error": "审计进程被强制终止", "problems": [{"code": "worker_died"}]}
    timed_out = {**clean, "error": "审计超过时间上限", "problems": [{"code": "timeout"}]}
    assert _exit_code([clean], FailOn.error) == 0
    assert _exit_code([clean, crashed], FailOn.never) == 2
    assert _exit_code([died], FailOn.never) == 2
    assert _exit_code([timed_out], FailOn.never) == 0  # the report's size, not our fault
    assert internal_errors([crashed]) == ["a.txt：COL-002 内部错误，规则未能执行：boom"]


@posix_only
def test_workers_that_cannot_start_fail_the_items_with_the_reason() -> None:
    results = run_isolated(
        behave, ["a", "b", "c"], _failed, workers=2, budget=Budget(seconds=5), initializer=broken_setup
    )
    assert results == ["a:worker_died:True", "b:worker_died:True", "c:worker_died:True"]
