"""The table format fits the statistical year (VER-001/002/003/004/005)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from auditor.model.labels import norm
from auditor.model.template import load_template
from auditor.model.types import Report
from auditor.rules.types import CheckContext, Result
from auditor.rules.wording import lint_wording, say, wording_schema

KIND = "template_version"
WORDING = {"single_other": "表三（六）其他处理未按2021年版分列3个子项", "signature": "出现“{label}”"}
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["mode"],
    "additionalProperties": False,
    "properties": {
        # forbid: labels only `format` prints must not appear; require: the report is in `format`;
        # single_other: table 三 prints （六）其他处理 as one row (the 2019 shape).
        "mode": {
            "enum": ["forbid", "require", "single_other"],
            "description": "forbid：不得出现 format 特有的标签；require：须为 format 格式；"
            "single_other：表三（六）其他处理只有一行（2019年版写法）",
        },
        "format": {"enum": ["2019", "2021"], "description": "mode forbid/require 所指的格式"},
        "wording": wording_schema(WORDING),
    },
    "if": {"properties": {"mode": {"enum": ["forbid", "require"]}}},
    "then": {"required": ["format"]},
}
PLACEHOLDERS = frozenset({"detail", "value"})
FORMAT_NAMES = {"2019": "2019年版格式（国办公开办函〔2019〕60号）", "2021": "2021年版格式（国办公开办函〔2021〕30号）"}


def _labels(fmt: str) -> set[str]:
    out: set[str] = set()
    for spec in load_template(fmt).tables.values():
        for row in spec.rows.values():
            out.update(row.labels)
        for block in spec.column_labels.values():
            for labels in block.values():
                out.update(labels)
    return out


_SENTENCE = re.compile("[。，；]")


@cache
def _signatures(fmt: str, other: str) -> tuple[tuple[str, str], ...]:
    """(normalised, printed) labels only ``fmt`` prints, longest first: once per process."""
    # A label both formats accept (行政规范性文件) proves nothing about the format.
    signatures = set(load_template(fmt).signatures) - _labels(other)
    return tuple(sorted(((norm(s), s) for s in signatures), key=lambda p: (-len(p[0]), p[0])))


def _first_signature(report: Report, wanted: Sequence[tuple[str, str]]) -> tuple[str, int] | None:
    """The first printed label only this format has, and its line: the evidence to name.

    On that line the longest such label is named; among equally long ones, the one printed
    first (not whichever a set happened to yield first, which varied from run to run).
    (`Meta.signatures` counts signature labels per format; it says which format won, not
    which label or where.)
    """
    for number, text in enumerate(report.lines, 1):
        # Prose, not a table label: "…政府集中采购项目的目录、标准及实施情况2条，…" names
        # the old format's row in a sentence of the narrative.
        if len(text) > 200 or _SENTENCE.search(text):
            continue
        printed = norm(text)
        present = [(form, label) for form, label in wanted if form and form in printed]
        if present:
            longest = [p for p in present if len(p[0]) == len(present[0][0])]
            return min(longest, key=lambda p: printed.index(p[0]))[1], number
    return None


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield a result when the report's table format does not fit its year."""
    mode = params["mode"]
    fmt = params.get("format")
    actual = FORMAT_NAMES.get(report.meta.format or "", "未识别的格式")
    if mode == "single_other":
        if report.meta.format == "2019":
            return  # the whole table is the old format: the format rule says so once
        info = report.tables.get("requests")
        if "requests.other.total" in report.cells or (info is not None and "other" in info.rows):
            cell = report.cells.get("requests.other.total")
            row = tuple(k for k in report.cells if k.startswith("requests.other.") and k.count(".") == 2)
            yield Result(
                line=cell.line if cell else None,
                table="requests",
                part=3,
                cells=row,
                expected="（六）其他处理分3项",
                actual="（六）其他处理仅1行",
                vars={"detail": say(params, WORDING, "single_other")},
            )
        return
    assert isinstance(fmt, str)
    if mode == "require":
        if report.meta.format != fmt:
            yield Result(expected=FORMAT_NAMES[fmt], actual=actual, vars={"detail": actual})
        return
    other = "2021" if fmt == "2019" else "2019"
    found = _first_signature(report, _signatures(fmt, other))
    if found is not None or report.meta.format == fmt:
        label, line = found or ("", None)
        yield Result(
            line=line,
            expected=FORMAT_NAMES[other],
            actual=FORMAT_NAMES[fmt],
            vars={"detail": say(params, WORDING, "signature", label=label) if label else actual, "value": label},
        )


def lint(params: Mapping[str, Any], formats: Iterable[str]) -> list[tuple[str, str]]:
    """Load-time problems: rewritten sentences with placeholders they do not fill."""
    return lint_wording(params, WORDING)
