"""The README's inspector loop (audit, correct, 复核, dismiss, re-audit, next year alone), run verbatim.

Each line of the section's ``bash`` block runs in a shell in a fresh folder holding the
repository's ``examples/`` and ``docs/``, with this environment's ``audit`` first on PATH;
each step's statuses are checked on its output and in the store.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## An inspector's year: audit, 复核, decisions, next year"


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(HEADING)
    section = text[start : text.index("\n## ", start + 1)]
    block = re.search(r"```bash\n(.*?)\n```", section, re.S)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_loop_works_verbatim(tmp_path: Path) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "docs").symlink_to(ROOT / "docs")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "COLUMNS": "200"}
    outputs = []
    for command in _commands():
        done = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode in (0, 1), f"{command}\n{done.stdout}\n{done.stderr}"
        outputs.append(done.stdout + done.stderr)
    first, fixed, history, review, dismissed, next_year = (outputs[i] for i in (1, 3, 4, 5, 6, 7))
    assert "错误 1 项" in first
    assert "已整改：COL-001" in fixed and "【新增】正文“已办结126件”" in fixed and "【仍存在】" in fixed
    assert "f165c8639cd8  新增  TXT-001" in history
    assert "f165c8639cd8：已核实-不属问题" in review
    assert "【已核实-不属问题】" in dismissed and " 100 " in dismissed
    assert "YOY-" in next_year
    conn = sqlite3.connect(tmp_path / "reports_out" / "audit.db")
    statuses = conn.execute("SELECT status FROM runs ORDER BY id").fetchall()
    assert statuses == [("complete",)] * 4
    assert conn.execute("SELECT previous_run FROM reports WHERE year = 2024").fetchone() == (3,)
    assert (tmp_path / "审计汇总.xlsx").is_file()
