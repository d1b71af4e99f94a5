"""`audit --dask local`: the batch on a Dask LocalCluster gives byte-identical JSON to the local pool."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reportgen import make_report

ROOT = Path(__file__).resolve().parent.parent


def _audit(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        capture_output=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_dask_local_gives_the_same_json(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="Dask is an optional extra (pip install -e '.[dask]')")
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(8):
        text = make_report(i, layout=("pipe", "tab")[i % 2], defect="wrong_total" if i % 3 == 0 else None).text
        (folder / f"r{i}.txt").write_text(text, encoding="utf-8")
    agency = "临江市生态环境局"  # a cross-year pair: its second pass runs on the cluster too
    (folder / "p2022.txt").write_text(make_report(20, fmt="2021", year=2022, agency=agency).text, encoding="utf-8")
    (folder / "p2023.txt").write_text(make_report(21, fmt="2021", year=2023, agency=agency).text, encoding="utf-8")
    (folder / "scan.txt").write_bytes(bytes(range(256)) * 8)
    local = _audit(str(folder), "--no-out", "--format", "json")
    dask = _audit(str(folder), "--no-out", "--format", "json", "--dask", "local")
    assert dask.returncode == local.returncode, dask.stderr.decode()
    assert b'"previous": {' in local.stdout  # the pair was compared
    assert dask.stdout == local.stdout


def test_dask_missing_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from auditor.cli import app

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    report = tmp_path / "r.txt"
    report.write_text(make_report(1).text, encoding="utf-8")
    result = CliRunner().invoke(app, [str(report), "--no-out", "--dask", "local"])
    assert result.exit_code == 2 and "pip install" in result.output


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed", reason="Dask is an optional extra (pip install -e '.[dask]')")
    from typer.testing import CliRunner

    from auditor import batch
    from auditor.cli import app

    monkeypatch.setattr(batch, "DASK_CONNECT_SECONDS", 1)
    report = tmp_path / "r.txt"
    report.write_text(make_report(1).text, encoding="utf-8")
    result = CliRunner().invoke(app, [str(report), "--no-out", "--dask", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2 and "无法连接 Dask 调度器" in result.output


def _square_unless_three(chunk: list[int]) -> list[int]:
    if 3 in chunk:
        raise RuntimeError("chunk lost")
    return [i * i for i in chunk]


def test_a_lost_chunk_fails_its_items_only() -> None:
    pytest.importorskip("distributed", reason="Dask is an optional extra (pip install -e '.[dask]')")
    from auditor.batch import Failure, iter_dask

    def failed(item: int, failure: Failure) -> int:
        assert failure.code == "worker_died" and "Dask" in failure.reason
        return -item

    got = sorted(iter_dask(_square_unless_three, list(range(6)), "local", failed, chunk=2), key=abs)
    assert got == [0, 1, -2, -3, 16, 25]
