"""VER-005 names the first new-format label printed on the line, whatever the hash seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
from auditor.pipeline import AuditOptions, audit_report, parse_text
from tests.reportgen import make_report
report = parse_text(make_report(121, layout="tab", defect="wrong_template").text)
record = audit_report(report, AuditOptions(select=("VER-005",)))
print([f["message"] for f in record["findings"]])
"""


def _messages(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return out.stdout


def test_the_label_named_does_not_depend_on_the_hash_seed() -> None:
    # The line prints 本年制发件数, 本年废止件数, 现行有效件数: all 2021-only and equally long.
    first = _messages("0")
    assert "出现“本年制发件数”" in first
    assert all(_messages(seed) == first for seed in ("1", "2", "3"))
