"""``--format csv``: one row per finding (a report without findings gets one row), for other tools.

UTF-8 with a BOM so spreadsheet programs read the Chinese; formula-looking text is quoted
with a leading apostrophe so a hostile report cannot run a formula when the file is opened.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from auditor.render import records as rec
from auditor.render.kinds import Record, StreamRenderer
from auditor.render.labels import location_text, template_for

HEADERS = (
    "文件",
    "单位",
    "年度",
    "格式",
    "审计结论",
    "得分",
    "等级",
    "规则",
    "规则名称",
    "级别",
    "类别",
    "问题类型",
    "位置",
    "问题描述",
    "扣分",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = rec.text(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _report_columns(record: Record) -> list[str]:
    score = rec.score(record)
    return [
        rec.source_path(record),
        "" if rec.is_failed(record) else rec.agency(record),
        rec.year(record),
        "" if rec.is_failed(record) else rec.format_label(record),
        rec.verdict_label(record) or "已评分",
        "" if score is None else rec.fmt_value(score),
        rec.text(record.get("band")) if rec.verdict_status(record) == "scored" else "",
    ]


def render(records: Sequence[Record]) -> str:
    """Every record as CSV rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS)
    for record in records:
        head = _report_columns(record)
        found = rec.findings(record)
        if not found:
            writer.writerow([_cell(v) for v in head] + [""] * (len(HEADERS) - len(head)))
            continue
        template = template_for(rec.report_format(record), (record.get("cells") or {}).keys())
        for f in found:
            row = [
                *head,
                rec.text(f.get("rule")),
                rec.text(f.get("title")),
                rec.severity_label(f),
                rec.category_label(f),
                rec.failure_type(f),
                location_text(f, record, template),
                rec.text(f.get("message")),
                rec.fmt_value(f.get("deduction")),
            ]
            writer.writerow([_cell(v) for v in row])
    return "\ufeff" + out.getvalue()


RENDERER = StreamRenderer("csv", "CSV：每个问题一行（供其他工具使用）", render)
