"""A part written as generic boilerplate (SEC-008, RECT-004: 不宜泛化).

A part is specific when its prose names the organ (its name, or the place or department
part of it), states a figure, or quotes a named item (《…》, “…”) — any ``markers``
regex. Only a part with none of these is reported, and only at info level in the packs:
the test is a hint for a reader, not proof of 敷衍塞责.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.template import PART_NUMERALS
from auditor.model.types import Report
from auditor.rules.narrative import body_text
from auditor.rules.patterns import search
from auditor.rules.types import CheckContext, Result

KIND = "specific_text"
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["section"],
    "additionalProperties": False,
    "properties": {
        "section": {"type": "integer", "minimum": 1, "maximum": 6, "description": "检查的部分（1…6）"},
        "markers": {
            "type": "array",
            "items": {"type": "string"},
            "default": [r"\d", "《", "“"],
            "description": "说明内容具体的标记（正则），出现任一即不报告",
        },
        "agency": {"type": "boolean", "default": True, "description": "提到本机关名称也算具体"},
        # Shorter parts are left to the emptiness rules (SEC-006).
        "min_chars": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000000,
            "default": 20,
            "description": "短于此字数的部分不检查（由内容为空的规则处理）",
        },
    },
}
PLACEHOLDERS = frozenset({"part", "count"})
_ORGAN = re.compile(r"(?:人民政府办公室|人民政府|办公室|办公厅|管理委员会|委员会|办事处|政府|局|厅|委|办|中心)$")
_PLACE = re.compile(r"^(.{2,12}?(?:省|自治区|市|州|盟|县|区|旗|镇|乡|街道))")


def agency_names(agency: str | None) -> list[str]:
    """The organ's name and the parts of it a report uses alone (place, department)."""
    if not agency:
        return []
    names = [agency, _ORGAN.sub("", agency)]
    place = _PLACE.match(agency)
    if place:
        names += [place.group(1), agency[len(place.group(1)) :]]
    return [n for n in dict.fromkeys(names) if len(n) >= 2 and n not in ("人民政府", "政府")]


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield a result when the part names nothing specific to the organ."""
    number = int(params["section"])
    text = body_text(report, number)
    if text is None or len(text) < int(params.get("min_chars", 20)):
        return
    markers = [re.escape(n) for n in agency_names(report.meta.agency)] if params.get("agency", True) else []
    markers += list(params.get("markers", [r"\d", "《", "“"]))
    if any(search(m, text) for m in markers):
        return
    section = report.section(number)
    yield Result(
        line=section.line if section else None,
        part=number,
        actual=len(text),
        vars={"part": PART_NUMERALS[number - 1], "count": len(text)},
    )
