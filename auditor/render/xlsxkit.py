"""Write-only XLSX sheets for the batch workbook: styled header, wrapped prose, links, and a
sheet that continues in "<name>2", "<name>3"… once full.

Imported only when a workbook is made: openpyxl is a large import that a run printing to
the terminal should not pay for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

WRAP_WIDTH = 24  # columns at least this wide hold prose: wrap it
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_LINK = Font(color="0563C1", underline="single")
_BOLD = Font(bold=True)


def workbook() -> Workbook:
    """A write-only workbook: rows go to disk as they are added."""
    return Workbook(write_only=True)


class Sheets:
    """One table of the workbook in write-only sheets; a sheet holding ``max_rows`` body rows
    continues in "<name>2", "<name>3"…"""

    def __init__(
        self, wb: Workbook, name: str, columns: Sequence[tuple[str, int]], *, max_rows: int, parts: int = 1
    ) -> None:
        self.wb, self.name, self.columns, self.max_rows = wb, name, columns, max_rows
        self.sheets: list[tuple[Worksheet, _Styles]] = []
        self.rows: list[int] = []  # body rows written in each sheet
        self.current = 0  # the sheet being filled
        for _ in range(parts):
            self._new_sheet()

    def _new_sheet(self) -> None:
        part = len(self.sheets)
        ws = self.wb.create_sheet(self.name if part == 0 else f"{self.name}{part + 1}")
        for index, (_, width) in enumerate(self.columns, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A2"
        ws.append([_header(ws, title) for title, _ in self.columns])
        self.sheets.append((ws, _Styles(ws)))
        self.rows.append(0)

    def append(self, row: Sequence[Any], link: str | None) -> None:
        """One body row; ``link`` goes on its first cell."""
        if self.rows[self.current] == self.max_rows:
            self.current += 1
            if self.current == len(self.sheets):
                self._new_sheet()
        ws, styles = self.sheets[self.current]
        ws.append(
            [
                _cell(ws, styles, value, width, link if n == 0 else None)
                for n, (value, (_, width)) in enumerate(zip(row, self.columns, strict=True))
            ]
        )
        self.rows[self.current] += 1

    def finish(self) -> None:
        """Filters over exactly the rows written (set last: write-only sheets write them at the end)."""
        last = get_column_letter(len(self.columns))
        for (ws, _), rows in zip(self.sheets, self.rows, strict=True):
            ws.auto_filter.ref = f"A1:{last}{max(1, rows + 1)}"


def close(wb: Workbook) -> None:
    """Close each write-only sheet's open XML: the garbage collector cannot end it cleanly
    (and complains on stderr)."""
    for ws in wb.worksheets:
        if not ws.closed:
            ws.close()


def _header(ws: Worksheet, title: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=title)
    cell.font = _BOLD
    return cell


class _Styles:
    """The style of each kind of body cell (wrapped or not, link or not), registered with the
    workbook once: setting a cell's font and alignment one by one re-registers them, and that
    was most of the workbook's cost."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.arrays: dict[tuple[bool, bool], Any] = {}

    def array(self, wrap: bool, link: bool) -> Any:
        key = (wrap, link)
        if key not in self.arrays:
            cell = WriteOnlyCell(self.ws)
            cell.alignment = _WRAP if wrap else _TOP
            if link:
                cell.font = _LINK
            self.arrays[key] = cell._style  # the style ids just registered
        return self.arrays[key]


def _cell(ws: Worksheet, styles: _Styles, value: Any, width: int, link: str | None) -> Cell:
    style = styles.array(width >= WRAP_WIDTH, bool(link))
    cell = Cell(ws, row=1, column=1, value=value, style_array=style)
    # openpyxl turns text starting with "=" into a formula: report text must stay text.
    if isinstance(cell.value, str):
        cell.data_type = "s"
    if link:
        cell.hyperlink = link
    return cell
