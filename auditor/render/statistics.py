"""``audit --statistics``: how many findings each rule raised, over a whole batch."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from tabulate import tabulate

from auditor.render import records as rec
from auditor.render.kinds import Record

HEADERS = ("规则", "名称", "类别", "级别", "问题数", "涉及报告数")


def rule_statistics(records: Sequence[Record]) -> list[tuple[str, str, str, str, int, int]]:
    """(rule, title, category, severity, findings, reports) rows, most findings first."""
    findings: Counter[str] = Counter()
    reports: Counter[str] = Counter()
    about: dict[str, tuple[str, str, str]] = {}
    for record in records:
        rules = set()
        for f in rec.findings(record):
            rule = rec.text(f.get("rule"))
            findings[rule] += 1
            rules.add(rule)
            about.setdefault(rule, (rec.text(f.get("title")), rec.category_label(f), rec.severity_label(f)))
        reports.update(rules)
    return [(rule, *about[rule], n, reports[rule]) for rule, n in sorted(findings.items(), key=lambda x: (-x[1], x[0]))]


def statistics_text(records: Sequence[Record]) -> str:
    """The statistics as a terminal table."""
    rows = rule_statistics(records)
    if not rows:
        return "未发现问题。\n"
    return tabulate(rows, headers=HEADERS, tablefmt="simple") + "\n"
