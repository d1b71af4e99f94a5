"""One root cause, one finding: findings that blame the same thing merge, and deduct once.

- Findings that correct the same cell(s) to the same value(s) (COL-001 and COL-002 both
  saying 三（七）总计 46 → 333) become one finding; every merged finding is kept as
  ``evidence``.
- Blank cells whose row has non-zero parts (ROW-002, one result per cell) become one
  finding per rule and table, naming every blank cell and the value its row implies; the
  identities that failed only by counting those blanks as 0 join it as evidence.

The merged finding keeps one member's rule and message (the most severe one's, or the
blank-cell rule's), the highest severity and the largest deduction, taken once: the score
deducts once per root cause.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from auditor.findings.types import Correction, Evidence, Finding
from auditor.rules.cellnames import NUMERALS
from auditor.rules.values import BLANK_TEXT, table_of

_RANK = {"error": 0, "warning": 1, "info": 2}

CellName = Callable[[str], str]


def _evidence(f: Finding) -> tuple[Evidence, ...]:
    return f.evidence or (Evidence(f.rule, f.name, f.severity, f.message, f.instance),)


def _primary(group: Sequence[Finding]) -> Finding:
    return min(group, key=lambda f: (_RANK.get(f.severity, 3), -f.deduction, f.sort_key()))


def _merge(group: Sequence[Finding], head: Finding | None = None, **changes: object) -> Finding:
    """One finding for a group: the head's fields (default: the most severe), every member as
    evidence, cells united, the largest deduction taken once."""
    head = head or _primary(group)
    if len(group) == 1 and not changes:
        return head
    cells = tuple(dict.fromkeys(c for f in (head, *group) for c in f.cells))
    members = (head, *(f for f in group if f is not head))
    evidence = tuple(dict.fromkeys(e for f in members for e in _evidence(f))) if len(group) > 1 else head.evidence
    severity = _primary(group).severity
    deduction = max(f.deduction for f in group)
    return replace(head, cells=cells, evidence=evidence, severity=severity, deduction=deduction, **changes)  # type: ignore[arg-type]


def _correction_key(f: Finding) -> tuple[tuple[str, object], ...] | None:
    if not f.corrections or f.alternatives:
        return None
    return tuple(sorted((c.cell, c.expected) for c in f.corrections))


def same_corrections(findings: Sequence[Finding]) -> list[Finding]:
    """Merge findings whose (non-alternative) corrections are identical."""
    groups: dict[object, list[Finding]] = {}
    for n, f in enumerate(findings):
        groups.setdefault(_correction_key(f) or n, []).append(f)
    return [_merge(group) for group in groups.values()]


def _blank_total(f: Finding) -> bool:
    """A finding naming one blank cell and the non-zero value its row implies (ROW-002)."""
    return f.actual == BLANK_TEXT and bool(f.cells) and isinstance(f.expected, int | float) and f.expected != 0


def blank_tables(findings: Sequence[Finding], name: CellName) -> list[Finding]:
    """Blank cells with non-zero rows: one finding per rule and table; identities they broke join it."""
    blanks: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if _blank_total(f):
            blanks.setdefault((f.rule, table_of(f.cells[0])), []).append(f)
    if not blanks:
        return list(findings)
    blank_cells = {f.cells[0]: key for key, group in blanks.items() for f in group}
    joined: dict[tuple[str, str], list[Finding]] = {key: [] for key in blanks}
    rest: list[Finding] = []
    for f in findings:
        if _blank_total(f):
            continue
        # An identity that counted one of these blanks as 0 failed because of it.
        owner = next((blank_cells[c] for c in f.blanks if c in blank_cells), None)
        if owner is not None and not f.corrections:
            joined[owner].append(f)
        else:
            rest.append(f)
    merged = []
    for (_, table), group in blanks.items():
        corrections = tuple(Correction(f.cells[0], BLANK_TEXT, f.expected) for f in group)
        listed = "、".join(f"{name(c.cell)}（应为 {_show(c.expected)}）" for c in corrections)
        message = (
            f"表{NUMERALS.get(table, table)}有 {len(group)} 个单元格空白，但所在行其他单元格之和不为 0：{listed}"
            if len(group) > 1
            else group[0].message
        )
        members = [*group, *joined[(group[0].rule, table)]]
        merged.append(_merge(members, group[0], message=message, corrections=corrections))
    return [*rest, *merged]


def _show(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def merge_root_causes(findings: Sequence[Finding], name: CellName) -> list[Finding]:
    """Every rule of this module, blanks first (their identities carry no corrections)."""
    return same_corrections(blank_tables(findings, name))
