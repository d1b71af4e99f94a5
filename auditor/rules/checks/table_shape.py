"""A statistical table, its rows and its columns are present (TBL-001/004/005/008).

A row counts as present when any cell of it was read, when the parser saw its label, or
when its values were printed unplaced: a well-formed report never trips this check.
What the text prints but the reader could not read is not missing: a table whose labels
appear in the text, or a row or column whose label does, is "not evaluated" (a manual
check), never an error against the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.coverage import picture_lines
from auditor.model.labels import core_form, norm
from auditor.model.template import TableSpec, table_parts
from auditor.model.types import CellRef, Report
from auditor.rules.cellnames import NUMERALS, row_label
from auditor.rules.types import SKIP, CheckContext, Result
from auditor.rules.values import column_of, table_of
from auditor.text.document import TABLE_CUT, UNREAD_MARKS

KIND = "table_shape"
PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["table"],
    "additionalProperties": False,
    "properties": {
        "table": {"enum": ["disclosure", "requests", "appeals"], "description": "检查的表（表二/三/四的键）"},
        "require": {
            "type": "array",
            "items": {"enum": ["table", "rows", "columns"]},
            "default": ["table", "rows"],
            "description": "要求存在的部分：表格本身、各行、各列",
        },
    },
}
PLACEHOLDERS = frozenset({"table", "detail", "count"})
# An unrecognised label with a row's values after it ("公开危及“三安全一 0 0 0 0 0 0 0").
_VALUES_AFTER = re.compile(r"\D\s+\d+(?:\s+\d+)+\s*$")
_NUMBERS = re.compile(r"[\d.]+")


def check(report: Report, params: Mapping[str, Any], ctx: CheckContext) -> Iterable[Result]:
    """Yield a result for a missing table, missing rows or missing columns."""
    if ctx.template is None:
        return
    name = str(params["table"])
    spec = ctx.template.tables[name]
    require = params.get("require", ["table", "rows"])
    keys = [k for k in report.cells if table_of(k) == name]
    info = report.tables.get(name)
    num = NUMERALS[name]
    if (
        not keys
        and info is None
        and name not in report.unplaced_rows
        and not any(table_of(k) == name for k in report.unplaced_rows)
    ):
        mentioned = report.coverage.tables.get(name)
        pictured = _pictured(report, table_parts()[name])
        if report.coverage.after_truncation(table_parts()[name], report.sections):
            reason = (
                f"报告文本在第{report.coverage.truncated_line}行中断（文件可能不完整），表{num}可能在其后，未能审核"
            )
            yield Result(SKIP, instance=name, reason=reason)
        elif mentioned is not None and mentioned.mentioned_line is not None:
            reason = f"正文第{mentioned.mentioned_line}行起印有表{num}的标签，但未能读取该表，需人工核对"
            yield Result(SKIP, instance=name, reason=reason)
        elif pictured is not None:
            what = UNREAD_MARKS[report.lines[pictured - 1]]
            reason = f"第{pictured}行印有{what}，表{num}可能在其中，未能读取，需人工核对"
            yield Result(SKIP, instance=name, reason=reason)
        elif (heading := _bare_heading(report, table_parts()[name])) is not None:
            reason = f"第{heading}行的部分标题之下空无一字，表{num}可能在转换或抓取时丢失，未能审核，需人工核对"
            yield Result(SKIP, instance=name, reason=reason)
        elif "table" in require:
            yield Result(
                instance=name,  # SEC-007 names its cases after tables: suppressed_by matches
                table=name,
                part=table_parts()[name],
                vars={"table": num, "detail": f"表{num}（{spec.title}）缺失"},
            )
        return
    line = info.line if info else None
    if "rows" in require:
        seen = {CellRef.parse(k).row for k in keys} | set(info.rows if info else ())
        seen |= {k.split(".", 1)[1] for k in report.unplaced_rows if "." in k and table_of(k) == name}
        if name in report.unplaced_rows:
            seen |= set(spec.rows)
        # A group printed as one row in the other format's shape (（六）其他处理 of 2019 in a
        # 2021 report) is there: its shape is the template rule's finding, not missing rows.
        legacy = {CellRef.parse(k).row for k in keys} & set(spec.groups)
        missing = [r for r in spec.rows if r not in seen and r.split(".", 1)[0] not in legacy]
        printed = [r for r in missing if _printed(report, _row_labels(spec, r), name)]
        if printed:
            labels = "、".join(row_label(spec, r) for r in printed)
            yield Result(SKIP, instance="rows-unread", reason=f"正文印有{labels}，但未能读取其数值，需人工核对")
        missing = [r for r in missing if r not in printed]
        if missing and (cut_pages := _cut_pages(report)):
            labels = "、".join(row_label(spec, r) for r in missing)
            yield Result(SKIP, instance="rows-unread", reason=f"{cut_pages}，未读出的{labels}可能在其中，需人工核对")
            missing = []
        cut = report.coverage.truncated_line
        if missing and cut is not None and info is not None and info.end_line is not None and info.end_line >= cut:
            labels = "、".join(row_label(spec, r) for r in missing)
            yield Result(
                SKIP, instance="rows-unread", reason=f"报告文本在表{num}中途（第{cut}行）中断，未见的{labels}未能审核"
            )
            missing = []
        unread = _unread_value_lines(report, name)
        if missing and unread >= len(missing):
            # As many value lines were left unattributed as rows are missing: they may be
            # those rows, printed in a layout the reader could not follow.
            labels = "、".join(row_label(spec, r) for r in missing)
            reason = f"表{num}有 {unread} 行数值未能读入所在行，未读出的{labels}可能就在其中，需人工核对"
            yield Result(SKIP, instance="rows-unread", reason=reason)
            missing = []
        if missing:
            labels = "、".join(row_label(spec, r) for r in missing)
            yield Result(
                table=name,
                line=line,
                cells=(),
                actual=len(spec.rows) - len(missing),
                expected=len(spec.rows),
                instance="rows",
                vars={"table": num, "detail": f"缺少{labels}", "count": len(missing)},
            )
    if "columns" in require:
        cols = list(dict.fromkeys(c for r in spec.rows.values() for c in r.columns))  # template order
        seen_cols = {column_of(k) for k in keys}
        labels_seen = set(info.labels) if info else set()
        col_labels = {c: ls for block in spec.column_labels.values() for c, ls in block.items()}
        missing_cols = [c for c in cols if c not in seen_cols and not labels_seen & set(col_labels.get(c, ()))]
        missing_cols = [c for c in missing_cols if not _printed(report, col_labels.get(c, ()), name)]
        if missing_cols and (cut_pages := _cut_pages(report)):
            names = "、".join(col_labels.get(c, (c,))[0] for c in missing_cols)
            yield Result(SKIP, instance="columns", reason=f"{cut_pages}，未读出的{names}列可能在其中，需人工核对")
        elif missing_cols and not report.unplaced_rows:
            names = "、".join(col_labels.get(c, (c,))[0] for c in missing_cols)
            yield Result(
                table=name,
                line=line,
                instance="columns",
                expected=len(cols),
                actual=len(cols) - len(missing_cols),
                vars={"table": num, "detail": f"缺少{names}列", "count": len(missing_cols)},
            )


def _cut_pages(report: Report) -> str | None:
    """What the reader said of tables cut at a page's side (None: no table was): what such a
    table lacks was never printed, not left out by the body."""
    return next((p.message.partition("，")[0] for p in report.problems if p.code == TABLE_CUT), None)


def _row_labels(spec: TableSpec, row: str) -> tuple[str, ...]:
    if row in spec.rows and spec.rows[row].labels:
        return spec.rows[row].labels
    return spec.group_labels.get(row, ())[-1:]  # table 四's groups: the innermost header


def _pictured(report: Report, part: int) -> int | None:
    """The line of the first picture in the part that prints the table, if any."""
    return next(iter(picture_lines(report.lines, report.sections, part)), None)


def _bare_heading(report: Report, part: int) -> int | None:
    """The heading line of the part when nothing at all stands under it: a part that prints
    a table, its heading followed straight by the next part's, lost what it held on the way
    (a crawler that keeps no tables), it did not print nothing."""
    for section in report.sections:
        if section.number == part and section.line <= len(report.lines):  # a text's heading, not a model's
            body = report.lines[section.line : section.end_line]
            return section.line if not any(line.strip() for line in body) else None
    return None


def _unread_value_lines(report: Report, name: str) -> int:
    """Lines of the table whose values were not read into their row: values with no label
    before them, unrecognised labels followed by values, and rows whose values could not
    be placed (in a garbled layout, a row's values may have gone to its neighbour)."""
    info = report.tables.get(name)
    if info is None or info.line is None:
        return 0
    end = info.end_line or info.line
    stray = sum(1 for p in report.problems if p.code == "stray_value" and p.line and info.line <= p.line <= end)
    unplaced = sum(1 for k in report.unplaced_rows if table_of(k) == name)
    return stray + unplaced + sum(1 for label in info.unknown_labels if _VALUES_AFTER.search(label))


def _printed(report: Report, labels: Iterable[str], table: str) -> bool:
    """Whether one of the labels stands in the table's lines (anywhere in the text when where
    the table stands is unknown): a row label in the prose after the table ("公开…规章、规范性
    文件") prints no row."""
    forms = [core_form(label) for label in labels if len(core_form(label)) >= 2]
    info = report.tables.get(table)
    lines = report.lines
    if info is not None and info.line is not None and info.end_line is not None:
        lines = lines[info.line - 1 : info.end_line]
    if not forms:
        return False
    normed = [norm(line) for line in lines]
    if any(f in line for line in normed for f in forms):
        return True
    # A label wrapped over several lines of a narrow cell, values printed in between
    # (``2.没有现成0 0 0 0 0 0 0`` / ``信息需要另`` / ``行制作``): the lines run together,
    # without their numbers, still spell it.
    joined = _NUMBERS.sub("", "".join(normed))
    return any(len(bare) >= 4 and bare in joined for bare in (_NUMBERS.sub("", f) for f in forms))
