"""``audit export``: the store's bodies × years as CSV or XLSX (the table an office reports upward)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from io import BytesIO, StringIO
from typing import Any

from auditor.findings.verdict import PARTIAL, PARTIAL_LABEL, SCORED_LABEL, UNAUDITABLE_LABEL, UNAUDITABLE_STATUS
from auditor.store.queries import ExportRow

HEADERS = (
    "单位", "年度", "审计次数", "最近运行", "最近审计时间", "结论", "得分", "等级",
    "未整改问题", "已核实-不属问题", "已整改", "文件",
)  # fmt: skip
_VERDICTS = {UNAUDITABLE_STATUS: UNAUDITABLE_LABEL, PARTIAL: PARTIAL_LABEL}


def _values(row: ExportRow) -> list[Any]:
    return [
        row.agency,
        row.year,
        row.audits,
        row.last_run,
        row.recorded,
        _VERDICTS.get(row.verdict, SCORED_LABEL),
        row.score,
        row.band or "",
        row.open_items,
        row.dismissed,
        row.fixed,
        row.path,
    ]


def to_csv(rows: Sequence[ExportRow]) -> str:
    """The table as CSV text (header first)."""
    out = StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS)
    writer.writerows(_values(r) for r in rows)
    return out.getvalue()


def to_xlsx(rows: Sequence[ExportRow]) -> bytes:
    """The table as one XLSX sheet, header bold and frozen."""
    from openpyxl import Workbook  # only an export to .xlsx needs it
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "审计汇总"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(_values(row))
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
