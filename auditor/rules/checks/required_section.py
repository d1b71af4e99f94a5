"""The six parts of 条例第五十条 are present (SEC-001) and in order (SEC-002)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.template import PART_NAMES, PART_NUMERALS
from auditor.model.types import Report
from auditor.rules.types import SKIP, CheckContext, Result

KIND = "required_section"
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "sections": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 6},
            "default": [1, 2, 3, 4, 5, 6],
            "description": "必须有的部分（一…六，写作 1…6）",
        },
        "mode": {
            "enum": ["present", "unrecognised", "order"],
            "default": "present",
            "description": "present：缺少的部分（正文也未提及）；unrecognised：正文有内容但标题未识别；order：顺序正确",
        },
    },
}
PLACEHOLDERS = frozenset({"part", "detail"})
NUMERALS = PART_NUMERALS


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield one result per missing part, or one for parts out of canonical order."""
    wanted = [int(n) for n in params.get("sections", [1, 2, 3, 4, 5, 6])]
    mode = params.get("mode", "present")
    if mode in ("present", "unrecognised"):
        for n in wanted:
            if report.section(n) is not None:
                continue
            part = report.coverage.parts.get(n)
            mention = part.mentioned_line if part else None
            if mention is None and report.coverage.after_truncation(n, report.sections):
                line = report.coverage.truncated_line
                reason = f"报告文本在第{line}行中断（文件可能不完整），第{NUMERALS[n - 1]}部分可能在其后，未能审核"
                yield Result(SKIP, instance=str(n), reason=reason)
                continue
            # A part is missing only when the body never speaks of its subject; otherwise
            # its heading was not recognised, which is a different (and milder) finding.
            if (mode == "present") == (mention is None):
                yield Result(
                    part=n,
                    line=mention,
                    expected=PART_NAMES[n],
                    actual=None,
                    vars={"part": NUMERALS[n - 1], "detail": PART_NAMES[n]},
                )
            elif mode == "present":
                yield Result(
                    SKIP, instance=str(n), reason=f"未识别出第{NUMERALS[n - 1]}部分标题，但正文第{mention}行有相关内容"
                )
        return
    found = sorted((s for s in report.sections if s.number in wanted), key=lambda s: s.line)
    printed = [s.number for s in found]
    if printed != sorted(printed):
        first = next(s for s, nxt in itertools.pairwise(found) if s.number > nxt.number)
        yield Result(
            line=first.line,
            part=first.number,
            expected="、".join(NUMERALS[n - 1] for n in sorted(printed)),
            actual="、".join(NUMERALS[n - 1] for n in printed),
            vars={"part": NUMERALS[first.number - 1]},
        )
