"""A batch as inspectors run it: 500 reports, one unreadable, progress bar, summary, all outputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from auditor.render.rectification import has_items
from tests.reportgen import DEFECTS, make_report

N = 500


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    layouts = ("pipe", "tab", "paragraph", "markdown")
    for i in range(N - 1):
        defect = DEFECTS[i % len(DEFECTS)] if i % 4 == 0 else None
        text = make_report(i, layout=layouts[i % 4], defect=defect).text
        (folder / f"report_{i:03d}.txt").write_text(text, encoding="utf-8")
    (folder / "scanned_image.txt").write_bytes(bytes(range(256)) * 8)
    return folder


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_batch_of_500_with_progress_bar_and_summary(batch: Path, tmp_path: Path) -> None:
    master, slave = os.openpty()  # stderr is a terminal, as for an inspector at a console
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    done = subprocess.run(
        [sys.executable, "-m", "auditor", str(batch), "--out", str(tmp_path), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=slave,
        timeout=600,
        env={**os.environ, "COLUMNS": "120"},
    )
    os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    terminal = b"".join(chunks).decode("utf-8", errors="replace")

    assert done.returncode == 1  # the injected defects are errors
    reports = json.loads(done.stdout)["reports"]
    assert len(reports) == N
    failed = [r for r in reports if r["status"] == "failed"]
    assert [Path(r["source"]["path"]).name for r in failed] == ["scanned_image.txt"]

    assert f"/{N}" in terminal  # the progress bar counted the batch
    assert f"共 {N} 份报告" in terminal and "读取失败 1 份" in terminal
    assert "scanned_image.txt" in terminal and "二进制" in terminal

    (run,) = (p for p in tmp_path.iterdir() if p.is_dir())
    assert (run / "index.html").is_file() and (run / "summary.xlsx").is_file()
    pages = list((run / "reports").glob("*.html"))
    assert len(pages) == N - 1
    # Only reports with something to correct get a 整改清单.
    with_items = sum(has_items(r) for r in reports)
    assert 0 < with_items < N - 1
    assert len(list((run / "reports").glob("*-整改清单.docx"))) == with_items
    assert (run / "通报.docx").is_file()
    index = (run / "index.html").read_text(encoding="utf-8")
    assert "scanned_image" in index and "二进制" in index

    from openpyxl import load_workbook

    book = load_workbook(run / "summary.xlsx", read_only=True)
    rows = list(book["报告汇总"].iter_rows(values_only=True))
    assert len(rows) == N + 1  # header + one row per report
    assert any("scanned_image.txt" in str(row) and "二进制" in str(row) for row in rows)
