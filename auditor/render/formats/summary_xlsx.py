"""``summary.xlsx`` of a run: 报告汇总 (one row per report, the sheet it opens on) and 问题明细
(one row per finding). Long text wraps; each row's file name links to the report's page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

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


def _values(row: list[Any]) -> list[Any]:
    return [_cell_value(v) for v in row]


# Excel's row cap (1,048,576) less the header: past it a sheet continues in "<name>2", "<name>3"…
MAX_ROWS = 1_048_575


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


class Book:
    """The workbook built entry by entry (a `BatchBuilder`): each report's row and finding rows
    go to their sheets as the run's records arrive, so only saving is left at the end."""

    def __init__(self, options: RenderOptions, reports: int) -> None:
        from auditor.render import xlsxkit  # openpyxl: only when a workbook is made

        self.kit = xlsxkit
        self.wb = xlsxkit.workbook()
        # The report sheets come first (the workbook opens on them): all made now.
        parts = max(1, -(-reports // MAX_ROWS))
        self.reports = xlsxkit.Sheets(self.wb, REPORT_SHEET, REPORT_COLUMNS, max_rows=MAX_ROWS, parts=parts)
        self.findings = xlsxkit.Sheets(self.wb, FINDING_SHEET, FINDING_COLUMNS, max_rows=MAX_ROWS)

    def add(self, entry: ReportEntry) -> None:
        link = entry.files.get("html")
        self.reports.append(_values(_report_row(entry.record)), link)
        for row in _finding_rows(entry.record):
            self.findings.append(_values(row), link)

    def save(self, out: IO[bytes]) -> None:
        self.reports.finish()
        self.findings.finish()
        self.wb.save(out)

    def discard(self) -> None:
        self.kit.close(self.wb)


def write(entries: Sequence[ReportEntry], options: RenderOptions, out: IO[bytes]) -> None:
    """The workbook as XLSX into ``out``, opening on the report sheet.

    Written in openpyxl's write-only mode (rows go to disk as they are made), so a
    province's batch costs no more memory per row than a county's.
    """
    book = Book(options, len(entries))
    for entry in entries:
        book.add(entry)
    book.save(out)


def render(entries: Sequence[ReportEntry], options: RenderOptions | None = None) -> bytes:
    """The workbook as XLSX bytes."""
    return RENDERER.render(entries, options)


RENDERER = BatchRenderer("xlsx", "批次汇总表（Excel）", "summary.xlsx", write, Book)
