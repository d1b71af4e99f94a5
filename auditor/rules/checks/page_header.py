"""Fields of the page header block (DATE-006, META-002, META-003).

The model keeps the publication date but not 成文日期, 发布机构 or 索引号, so this kind
reads those fields from the header lines before part 一 (the same ``字段：值`` lines the
model reads 发布日期 from). A field that is not printed is not judged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from auditor.model.types import Report
from auditor.rules.types import CheckContext, Result

KIND = "page_header"
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["mode"],
    "additionalProperties": False,
    "properties": {
        "mode": {
            "enum": ["written_date", "publisher", "index_year"],
            "description": "written_date：成文日期不晚于发布日期；publisher：发布机构与报告机关一致；"
            "index_year：索引号年份为 N+1",
        }
    },
}
PLACEHOLDERS = frozenset({"published", "value"})
_FIELD = r"{name}\s*[:：]\s*(?P<value>[^\s|]+)"
_DATE = re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})")
_INDEX_YEAR = re.compile(r"(?:/|-)(?P<y>20\d\d)(?:\d{2})?-\d+\s*$")
_OFFICE = re.compile(r"(?:人民政府)?(?:办公室|办公厅)$")
# A CMS fills a field it has no value for with a placeholder ("发布机构: 1"): no name, not judged.
_NAMED = re.compile(r"[\u4e00-\u9fff]{2}")


def header_field(report: Report, *names: str) -> tuple[str, int] | None:
    """(value, line) of the first header field with one of ``names``, before part 一."""
    first = min((s.line for s in report.sections), default=len(report.lines) + 1)
    for number, raw in enumerate(report.lines[: max(first - 1, 0)], start=1):
        text = unicodedata.normalize("NFKC", raw)
        for name in names:
            spaced = r"\s*".join(map(re.escape, name))
            m = re.search(_FIELD.format(name=spaced), text)
            if m:
                return m.group("value").strip(), number
    return None


def _date(text: str) -> date | None:
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _organ(name: str) -> str:
    """An organ name without the office that posts for it (X人民政府办公室 → X)."""
    return _OFFICE.sub("", re.sub(r"\s+", "", name)) or name


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield a result when a header field contradicts the report."""
    mode = params["mode"]
    meta = report.meta
    if mode == "written_date":
        field = header_field(report, "成文日期")
        written = _date(field[0]) if field else None
        if field and written and meta.published and meta.published_source == "header" and written > meta.published:
            yield Result(
                line=field[1],
                expected=f"不晚于{_cn(meta.published)}",
                actual=_cn(written),
                vars={"published": _cn(meta.published), "value": _cn(written)},
            )
    elif mode == "publisher":
        field = header_field(report, "发布机构", "发文机关", "发布单位")
        if field and meta.agency and _NAMED.search(field[0]):
            posted, organ = _organ(field[0]), _organ(meta.agency)
            if posted not in organ and organ not in posted:
                yield Result(line=field[1], expected=meta.agency, actual=field[0], vars={"value": field[0]})
    else:
        field = header_field(report, "索引号")
        m = _INDEX_YEAR.search(field[0]) if field else None
        if field and m and meta.year is not None:
            allowed = {meta.year + 1} | ({meta.published.year} if meta.published else set())
            if int(m.group("y")) not in allowed:
                yield Result(
                    line=field[1],
                    expected=meta.year + 1,
                    actual=int(m.group("y")),
                    vars={"value": field[0]},
                )
