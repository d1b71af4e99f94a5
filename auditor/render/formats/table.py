"""``--format table``: one summary row per report, then each report's findings (tabulate)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence

from tabulate import tabulate

from auditor.findings.review import FIXED, RECHECK_LABELS, recheck_label
from auditor.render import records as rec
from auditor.render.kinds import Record, StreamRenderer
from auditor.render.labels import location_text, template_for

SUMMARY_HEADERS = ("文件", "单位", "年度", "格式", "得分", "等级", "错误", "警告", "提示")
FINDING_HEADERS = ("#", "规则", "级别", "类别", "位置", "问题描述")


def _safe(row: list[str | int]) -> list[str | int]:
    # Report text reaches a terminal: no escape sequences or line breaks from a hostile file.
    return [rec.one_line(v) if isinstance(v, str) else v for v in row]


def _summary_row(record: Record) -> list[str | int]:
    counts = rec.counts(record)
    return _safe(
        [
            rec.source_path(record),
            rec.NONE_TEXT if rec.is_failed(record) else rec.agency(record),
            rec.year(record) or rec.NONE_TEXT,
            rec.NONE_TEXT if rec.is_failed(record) else rec.format_label(record),
            rec.score_text(record),
            rec.band_text(record),
            *(counts[s] for s in rec.SEVERITIES),
        ]
    )


def _details(record: Record) -> str:
    title = f"== {rec.one_line(rec.source_path(record))}"
    if rec.is_failed(record):
        return f"{title}：读取失败：{rec.one_line(rec.failure_reason(record))}"
    title += rec.one_line(f"（{rec.agency(record)} {rec.year(record)}）")
    if rec.verdict_status(record) != "scored":
        title += rec.one_line(f"：{rec.verdict_label(record)}：{rec.verdict_reason(record)}")
    if rec.is_unauditable(record):
        return title
    found = rec.findings(record)
    if not found:
        return "\n".join([f"{title}：未发现问题", *_fixed_lines(record)])
    template = template_for(rec.report_format(record), (record.get("cells") or {}).keys())
    rows = [
        _safe(
            [
                n,
                rec.text(f.get("rule")),
                rec.severity_label(f),
                rec.category_label(f),
                location_text(f, record, template),
                _marks(f) + rec.text(f.get("message")),
            ]
        )
        for n, f in enumerate(found, 1)
    ]
    table = tabulate(rows, headers=FINDING_HEADERS, tablefmt="simple", maxcolwidths=_wrap_widths())
    return "\n".join([title, table, *_fixed_lines(record)])


def _marks(finding: rec.Finding) -> str:
    """【新增】/【仍存在】 on a re-audit, 【已核实-不属问题】/【已确认】 after a review decision."""
    review = rec.text((finding.get("review") or {}).get("label"))
    return "".join(f"【{m}】" for m in (recheck_label(finding), review) if m)


def _fixed_lines(record: Record) -> list[str]:
    fixed = (record.get("recheck") or {}).get("fixed") or ()
    return [rec.one_line(f"{RECHECK_LABELS[FIXED]}：{x.get('rule')} {x.get('message')}") for x in fixed]


def _wrap_widths() -> list[int | None]:
    """Wrap location and message to the terminal (``COLUMNS``), so findings stay readable."""
    columns = shutil.get_terminal_size((120, 24)).columns
    if columns >= 240:
        return [None] * len(FINDING_HEADERS)
    return [None, None, None, None, 28, max(40, columns - 64)]


def render(records: Sequence[Record]) -> str:
    """Summary table, then one findings table per report."""
    parts = [tabulate([_summary_row(r) for r in records], headers=SUMMARY_HEADERS, tablefmt="simple")]
    parts.extend(_details(r) for r in records)
    return "\n\n".join(parts) + "\n"


RENDERER = StreamRenderer("table", "终端表格：每份报告一行汇总，随后列出各报告问题", render)
