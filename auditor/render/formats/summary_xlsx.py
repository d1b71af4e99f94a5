"""``summary.xlsx`` of a run: 报告汇总 (one row per report, the sheet it opens on) and 问题明细
(one row per finding). Long text wraps; each row's file name links to the report's page."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from auditor.findings.review import recheck_label
from auditor.render import records as rec
from auditor.render.kinds import BatchRenderer, Record, RenderOptions, ReportEntry
from auditor.render.labels import cell_label, location_text, template_for

FINDING_SHEET = "问题明细"
REPORT_SHEET = "报告汇总"
# (header, column width)
FINDING_COLUMNS = (
    ("文件", 28), ("单位", 24), ("年度", 8), ("格式", 8), ("规则", 10), ("规则名称", 24), ("级别", 8),
    ("问题类别", 12), ("问题类型", 14), ("问题描述", 60), ("位置", 40), ("单元格", 36), ("填报值", 10),
    ("应为", 10), ("行号", 8), ("扣分", 8), ("整改要求", 50), ("依据", 40),
    ("复核", 10), ("核实决定", 16), ("问题指纹", 14),
)  # fmt: skip
REPORT_COLUMNS = (
    ("文件", 28), ("路径", 40), ("单位", 24), ("年度", 8), ("格式", 8), ("状态", 10), ("得分", 8),
    ("等级", 12), ("错误", 8), ("警告", 8), ("提示", 8), ("问题总数", 10), ("失败原因", 50),
)  # fmt: skip


def _cell_value(value: Any) -> Any:
    """Numbers stay numbers; everything else becomes XML-safe text."""
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    return rec.xml_safe(rec.fmt_value(value))


WRAP_WIDTH = 24  # columns at least this wide hold prose: wrap it
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_LINK = Font(color="0563C1", underline="single")


def _sheet(
    ws: Worksheet, columns: Sequence[tuple[str, int]], rows: Sequence[Sequence[Any]], links: Sequence[str | None]
) -> None:
    """Header, rows, widths; ``links[i]`` (a path relative to the run dir) links row i's first cell."""
    ws.append([name for name, _ in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_cell_value(v) for v in row])
    for cells, link in zip(ws.iter_rows(min_row=2), links, strict=True):
        for cell, (_, width) in zip(cells, columns, strict=True):
            # openpyxl turns text starting with "=" into a formula: report text must stay text.
            if isinstance(cell.value, str):
                cell.data_type = "s"
            cell.alignment = _WRAP if width >= WRAP_WIDTH else _TOP
        if link:
            cells[0].hyperlink = link
            cells[0].font = _LINK
    for index, (_, width) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, ws.max_row)}"


def _year(record: Record) -> Any:
    year = rec.meta(record).get("year")
    return year if isinstance(year, int) else (rec.year(record) or None)


def _finding_rows(record: Record) -> list[list[Any]]:
    if rec.is_unauditable(record):
        return []
    template = template_for(rec.report_format(record), (record.get("cells") or {}).keys())
    head = [rec.file_name(record), rec.agency(record), _year(record), rec.format_label(record)]
    rows = []
    for f in rec.findings(record):
        location: dict[str, Any] = f.get("location") or {}
        cells = "；".join(cell_label(template, str(k)) for k in f.get("cells") or ())
        rows.append(
            [
                *head,
                f.get("rule"),
                f.get("title") or f.get("name"),
                rec.severity_label(f),
                rec.category_label(f),
                rec.failure_type(f),
                f.get("message"),
                location_text(f, record, template),
                cells,
                f.get("actual"),
                f.get("expected"),
                location.get("line", f.get("line")),
                f.get("deduction"),
                f.get("remediation"),
                f.get("reference"),
                recheck_label(f) or None,
                (f.get("review") or {}).get("label"),
                f.get("fingerprint"),
            ]
        )
    return rows


def _report_row(record: Record) -> list[Any]:
    failed = rec.is_failed(record)
    counts = rec.counts(record)
    status = "读取失败" if failed else rec.verdict_label(record) if rec.verdict_status(record) != "scored" else "已审计"
    return [
        rec.file_name(record),
        rec.source_path(record),
        None if failed else rec.agency(record),
        _year(record),
        None if failed else rec.format_label(record),
        status,
        rec.score(record),
        rec.band_text(record),
        *(None if failed else counts[s] for s in rec.SEVERITIES),
        None if failed else sum(counts.values()),
        rec.verdict_reason(record) or None,
    ]


def render(entries: Sequence[ReportEntry], options: RenderOptions | None = None) -> bytes:
    """The workbook as XLSX bytes, opening on the report sheet."""
    wb = Workbook()
    reports_ws = wb.active
    assert reports_ws is not None  # a new workbook always has one sheet
    reports_ws.title = REPORT_SHEET
    pages = [e.files.get("html") for e in entries]
    _sheet(reports_ws, REPORT_COLUMNS, [_report_row(e.record) for e in entries], pages)
    finding_rows = [(row, page) for e, page in zip(entries, pages, strict=True) for row in _finding_rows(e.record)]
    _sheet(wb.create_sheet(FINDING_SHEET), FINDING_COLUMNS, [r for r, _ in finding_rows], [p for _, p in finding_rows])
    wb.active = 0
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


RENDERER = BatchRenderer("xlsx", "批次汇总表（Excel）", "summary.xlsx", render)
