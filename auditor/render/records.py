"""Read audit records defensively and name their fields in Chinese.

Records are plain dicts (possibly read back from JSON), so every accessor tolerates a
missing or null field instead of raising half-way through a batch of 500 reports.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from auditor.findings.types import CATEGORY_LABELS, OFFICIAL_FAILURE_TYPES
from auditor.render.kinds import Record

Finding = Mapping[str, Any]

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}

# The official failure types, in the order rectification lists use.
FAILURE_TYPES = OFFICIAL_FAILURE_TYPES
OTHER_FAILURE = "其他问题"

NONE_TEXT = "—"


def text(value: Any, default: str = "") -> str:
    """A field as display text; ``None`` becomes ``default``."""
    return default if value is None else str(value)


def fmt_value(value: Any) -> str:
    """A cell or expected value as printed: integral floats lose their ``.0``, None is a dash."""
    if value is None:
        return NONE_TEXT
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return "、".join(fmt_value(v) for v in value)
    return str(value)


def meta(record: Record) -> Mapping[str, Any]:
    """The record's ``meta`` mapping (empty for a failed record)."""
    return record.get("meta") or {}


def source_path(record: Record) -> str:
    """The path the report was read from."""
    return text((record.get("source") or {}).get("path"), "（未知文件）")


def file_name(record: Record) -> str:
    """The last component of the source path."""
    return PurePath(source_path(record)).name or source_path(record)


def agency(record: Record) -> str:
    """The issuing body, or a placeholder."""
    return text(meta(record).get("agency"), "（未识别单位）")


def year(record: Record) -> str:
    """The report year as text (empty when unknown)."""
    return text(meta(record).get("year"))


def report_format(record: Record) -> str | None:
    """``"2019"``, ``"2021"`` or None."""
    fmt = meta(record).get("format")
    return None if fmt is None else str(fmt)


def format_label(record: Record) -> str:
    """The format for display."""
    fmt = report_format(record)
    return f"{fmt}版" if fmt else "未识别"


def is_failed(record: Record) -> bool:
    """True when the file could not be read at all."""
    return record.get("status") == "failed"


def failure_reason(record: Record) -> str:
    """Why a failed record could not be read."""
    return text(record.get("error"), "未知原因")


UNAUDITABLE_LABEL = "无法审计（需人工核对）"


def verdict_status(record: Record) -> str:
    """``scored``, ``unauditable`` or ``partial``; records written before verdicts count as scored."""
    given = (record.get("verdict") or {}).get("status")
    if given:
        return str(given)
    return "unauditable" if is_failed(record) else "scored"


def is_unauditable(record: Record) -> bool:
    """True when no score may be claimed: the file was unreadable or is no auditable report."""
    return verdict_status(record) == "unauditable"


def is_partial(record: Record) -> bool:
    """True for a run limited by ``--select``/``--ignore`` (no band)."""
    return verdict_status(record) == "partial"


def verdict_label(record: Record) -> str:
    """The verdict in Chinese: ``无法审计（需人工核对）``, ``部分检查（不评等级）``…"""
    label = (record.get("verdict") or {}).get("label")
    if label:
        return str(label)
    return UNAUDITABLE_LABEL if is_unauditable(record) else ""


def verdict_reason(record: Record) -> str:
    """Why the report was not simply scored (empty when it was)."""
    reason = (record.get("verdict") or {}).get("reason")
    if reason:
        return str(reason)
    return failure_reason(record) if is_failed(record) else ""


def score(record: Record) -> float | None:
    """The score, None when the report was not scored."""
    if is_unauditable(record):
        return None
    value = record.get("score")
    return float(value) if isinstance(value, (int, float)) else None


def score_text(record: Record) -> str:
    """Score for display."""
    value = score(record)
    return NONE_TEXT if value is None else fmt_value(value)


def band_text(record: Record) -> str:
    """Band for display, marking a veto; an unscored report shows its verdict instead."""
    if verdict_status(record) != "scored":
        return verdict_label(record)
    band = text(record.get("band"), NONE_TEXT)
    return f"{band}（一票否决）" if record.get("veto") else band


def findings(record: Record) -> Sequence[Finding]:
    """The record's findings."""
    return tuple(record.get("findings") or ())


def counts(record: Record) -> dict[str, int]:
    """Findings per severity; taken from ``counts`` when present, else counted."""
    given = record.get("counts")
    if isinstance(given, Mapping):
        return {s: int(given.get(s) or 0) for s in SEVERITIES}
    tally = Counter(str(f.get("severity")) for f in findings(record))
    return {s: tally.get(s, 0) for s in SEVERITIES}


def total_counts(records: Iterable[Record]) -> dict[str, int]:
    """Findings per severity over many records."""
    total = dict.fromkeys(SEVERITIES, 0)
    for record in records:
        for s, n in counts(record).items():
            total[s] += n
    return total


def severity_label(finding: Finding) -> str:
    """Chinese severity of a finding."""
    sev = text(finding.get("severity"))
    return SEVERITY_LABELS.get(sev, sev or NONE_TEXT)


def category_label(finding: Finding) -> str:
    """Chinese category of a finding."""
    cat = text(finding.get("category"))
    return CATEGORY_LABELS.get(cat, cat or NONE_TEXT)


def failure_type(finding: Finding) -> str:
    """The official failure type, or `OTHER_FAILURE` when the finding names none we know."""
    kind = text(finding.get("failure_type"))
    return kind if kind in FAILURE_TYPES else OTHER_FAILURE


def by_failure_type(items: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped under the official failure types, in official order, empty groups left out."""
    groups: dict[str, list[Finding]] = {k: [] for k in (*FAILURE_TYPES, OTHER_FAILURE)}
    for f in items:
        groups[failure_type(f)].append(f)
    return [(k, v) for k, v in groups.items() if v]


@dataclass
class Blame:
    """A cell some finding blames: what it should hold and which findings (1-based) blame it."""

    key: str
    expected: Any = None
    actual: Any = None
    findings: list[int] = field(default_factory=list)
    alternative: bool = False  # one of several cells, any of which fixes the finding
    # The cell is one to correct (not merely part of a failing identity) in some finding
    # of at least warning level; such cells are highlighted, the others only outlined.
    to_correct: bool = False
    severity: str = "info"  # highest severity among the findings naming the cell
    label: str = "应为"  # what the expected value is: 应为, or 按上年报告应为 for a cross-year finding


_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
BLANK_TEXT = "空白"
PREVIOUS_LABEL = "按上年报告应为"


def printed_value(record: Record, key: str) -> Any:
    """A cell's printed value: its number, ``空白`` for a blank, None when not read."""
    cell = (record.get("cells") or {}).get(key) or {}
    return BLANK_TEXT if cell.get("state") == "blank" else cell.get("value")


def cell_expectation(finding: Finding, record: Record) -> tuple[Any, Any] | None:
    """(printed, expected) of a finding's first cell, when the finding speaks of that cell's value.

    Corrections say it outright; otherwise the finding's ``actual`` must be what the cell
    printed, so that a figure quoted from the text is never shown as the cell's value.
    """
    cells = [str(c) for c in finding.get("cells") or ()]
    expected, actual = finding.get("expected"), finding.get("actual")
    if not cells or expected is None or finding.get("corrections"):
        return None
    printed = printed_value(record, cells[0])
    same = printed == actual or (
        isinstance(printed, int | float) and isinstance(actual, int | float) and float(printed) == float(actual)
    )
    return (actual, expected) if same else None


def blamed_cells(record: Record) -> dict[str, Blame]:
    """Every cell named in a finding's ``cells`` or ``corrections``, in first-blamed order."""
    out: dict[str, Blame] = {}

    def blame(key: str, number: int, severity: str, correct: bool) -> Blame:
        entry = out.setdefault(key, Blame(key))
        if number not in entry.findings:
            entry.findings.append(number)
        if _SEVERITY_RANK.get(severity, 2) < _SEVERITY_RANK.get(entry.severity, 2):
            entry.severity = severity
        entry.to_correct = entry.to_correct or (correct and severity != "info")
        return entry

    corrected: set[str] = set()  # cells whose expectation comes from a correction
    for number, f in enumerate(findings(record), 1):
        severity = str(f.get("severity") or "info")
        corrections = list(f.get("corrections") or ())
        for corr in corrections:
            entry = blame(str(corr.get("cell")), number, severity, True)
            # A correction outranks what a finding without one said about the cell.
            if entry.key not in corrected:
                corrected.add(entry.key)
                entry.expected, entry.actual = corr.get("expected"), corr.get("actual")
                entry.alternative = bool(f.get("alternatives"))
        cells = [str(c) for c in f.get("cells") or ()]
        # An identity finding names every cell of its equation; only its corrections are to
        # correct. Other findings name exactly the cells to correct.
        named_are_wrong = not corrections and f.get("category") != "identity"
        for key in cells:
            blame(key, number, severity, named_are_wrong)
        # Without corrections, the finding's expected value is the first cell's only when its
        # actual value is that cell's printed one (a text figure compared with the cell is not).
        if cells and out[cells[0]].expected is None and cell_expectation(f, record) is not None:
            out[cells[0]].actual, out[cells[0]].expected = cell_expectation(f, record) or (None, None)
            if f.get("category") == "cross_year":  # the value comes from last year's report
                out[cells[0]].label = PREVIOUS_LABEL
    return out


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value: str) -> str:
    """Text without the control characters XML (DOCX, XLSX) cannot hold."""
    return _XML_ILLEGAL.sub("", value)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]+")


def one_line(value: str) -> str:
    """Text safe for a terminal: control characters (escape sequences, newlines) become one space."""
    return _CONTROL.sub(" ", value)
