"""Wording for documents an office sends as they are (整改清单, 通报): no rule ids, no internal notes.

Rule packs carry notes for inspectors in their references (a hedge such as "30号原文表述未经
核实", a practice note, a provincial standard); an official document cites only the
clauses that bind the report. The format clause is the report's own: a 2019-format report
is held to 国办公开办函〔2019〕60号, not to the 2021 format (`Template.source` names each).
"""

from __future__ import annotations

import re
from functools import cache

from auditor.model.template import FORMATS, PART_NUMERALS, load_template

# A reference part naming one of these is a note for inspectors, not a clause to cite.
INTERNAL_SOURCES = ("检查实践", "通行写法", "通行做法", "DB51/T", "DB51")
# A parenthesis holding one of these words is a hedge, dropped from the cited clause.
HEDGES = ("未经核实", "非格式明文要求", "规则包", "检查实践", "合理性提示")
# A rule whose reference says this is not confirmed by a public source: never an error item.
UNVERIFIED_MARK = "未经核实"

REGULATION = "《中华人民共和国政府信息公开条例》"
DEFAULT_BASIS = f"{REGULATION}第五十条"
# Short names packs use for the 条例, written out in full in an official document.
_SHORT_REGULATION = re.compile(r"《(?:中华人民共和国)?(?:政府信息公开)?条例》")

_PAREN = re.compile(r"（[^（）]*(?:（[^（）]*）[^（）]*)*）")
_RULE_ID = re.compile(r"(?<![A-Za-z])[A-Z]{2,}-\d{3}(?!\d)")
_FORMAT_CLAUSE = re.compile(rf"\s*年度报告格式(?P<part>(?:\s*[{PART_NUMERALS}](?:、[{PART_NUMERALS}])*)?)")


@cache
def format_sources() -> dict[str, str]:
    """The document each format was issued by (template data), by format."""
    return {fmt: load_template(fmt).source for fmt in FORMATS}


def is_unverified(reference: str) -> bool:
    """True when the rule's expectation is not confirmed by a public source."""
    return UNVERIFIED_MARK in reference


def _own_format(segment: str, fmt: str | None) -> str | None:
    """The segment citing the report's own format document, or None to drop it."""
    sources = format_sources()
    own = sources.get(fmt or "")
    cited = next((s for s in sources.values() if s in segment), None)
    if own is None or cited is None or cited == own:
        return segment
    clause = _FORMAT_CLAUSE.match(segment, segment.index(cited) + len(cited))
    if clause is None:
        return None  # a clause of the other format's document that has no counterpart
    return f"{own} 年度报告格式{clause.group('part')}".strip()


def official_reference(reference: str, fmt: str | None) -> str:
    """The clauses to cite for one item: internal notes and hedges removed, the report's format document."""
    kept: list[str] = []
    for segment in re.split(r"[；;]", reference):
        segment = segment.strip()
        if not segment or any(s in segment for s in INTERNAL_SOURCES):
            continue
        segment = _PAREN.sub(lambda m: "" if any(h in m.group(0) for h in HEDGES) else m.group(0), segment).strip()
        cited = _own_format(_SHORT_REGULATION.sub(REGULATION, segment), fmt)
        if cited:
            kept.append(cited)
    return "；".join(dict.fromkeys(kept)) or DEFAULT_BASIS


def without_rule_ids(text: str) -> str:
    """Text with every clause that names a rule id dropped (they mean nothing to a reader outside)."""
    kept = [p for p in re.split(r"(?<=[；。])", text) if p and not _RULE_ID.search(p)]
    out = "".join(kept).strip().rstrip("；")
    return out if not out or out.endswith("。") else out + "。"
