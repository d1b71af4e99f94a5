"""Odd lines must not make a regex backtrack for ever: each of these audits in well under a minute.

Each case once took minutes or hours (nested quantifiers in a terminal, adjacent ``[ \\t]*``,
author patterns run over a 200 000-digit "paragraph"). The limit is a hang guard, not a
performance target (those live in bench/).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

N = 100_000
LINES = {
    "pipes-then-tab": ("ab" * 5 + "|") * 2000 + "x\t",
    "pipes-without-end": ("ab " * 5 + "|") * 3000 + "tail",
    "markdown-ish": "|" + " a |" * 3000 + " b",
    "separator-ish": "|" + "---|" * 3000 + "x",
    "date-then-spaces": "统计期限为2023年1月1日" + " " * N + "至",
    "tabs": "\t" * N + "x",
    "spaces-then-pipe": " " * N + "|x",
    "pipes": "|" * N + "x",
    "digits-in-prose": "办结" + "9" * (2 * N) + "件",
    "figures-in-prose": "收到政府信息公开申请" + "1件，" * (N // 2),
}

SCRIPT = """
import sys
from auditor.pipeline import AuditOptions, audit_report, parse_text
from tests.reportgen import make_report
line = sys.stdin.read()
text = make_report(1, layout="pipe").text.replace("一、总体情况\\n", "一、总体情况\\n" + line + "\\n", 1)
audit_report(parse_text(text), AuditOptions())
"""


@pytest.mark.parametrize("line", LINES.values(), ids=LINES.keys())
def test_odd_line_does_not_hang(line: str) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], input=line, text=True, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
