"""Outline to canonical `Report`: sections, format, tables placed into keyed cells, meta."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from itertools import takewhile

from auditor.model.coverage import compute, picture_lines
from auditor.model.digits import readings, row_shape
from auditor.model.items import Item, outline_items
from auditor.model.labels import label_index, signature_counts
from auditor.model.meta import extract_meta
from auditor.model.placement import (
    Placement,
    front_slots,
    place_row,
    printed_width,
    terminated,
    trim_gaps,
    unterminated,
)
from auditor.model.reattach import reattach
from auditor.model.resolve import resolve
from auditor.model.tables import APPEALS_ROW, RowText, TableText, scan
from auditor.model.template import (
    FORMATS,
    PART_NAMES,
    PART_NUMERALS,
    TableSpec,
    Template,
    first_format_year,
    load_template,
    other_format,
    part_of_heading,
    table_numeral,
    table_parts,
)
from auditor.model.types import Cell, CellState, Problem, Report, Section, Source, TableInfo, UnplacedRow
from auditor.model.values import ValueToken, classify, convert, to_number, value_cell
from auditor.text.document import UNREAD_MARKS
from auditor.text.page_marks import is_site_chrome
from auditor.tree.parser import Outline

_NUMERALS = {ch: n for n, ch in enumerate(PART_NUMERALS, 1)}
_LAYOUT_NAMES = {"pipe": "pipe", "tab": "tab", "markdown": "markdown", "grid": "grid", "para": Source.PARAGRAPH}
_EXPLICIT = ("tab", "markdown", "grid")  # layouts whose rows say where each field stands


def _heading_number(text: str) -> tuple[int | None, int | None]:
    """(canonical part number from the heading's key phrase, numeral as printed)."""
    head = text.strip().lstrip("#*").strip()[:6]
    printed = next((n for ch, n in _NUMERALS.items() if ch in head), None)
    meaning = part_of_heading(text)
    return meaning, printed


def _sections(outline: Outline, last_line: int) -> tuple[list[Section], list[int | None]]:
    sections: list[Section] = []
    numbers: list[int | None] = []
    for i, sec in enumerate(outline.sections):
        number, printed = _heading_number(sec.heading.text)
        numbers.append(number)
        nxt = outline.sections[i + 1].heading.number - 1 if i + 1 < len(outline.sections) else last_line
        lines = [ln for b in sec.blocks for ln in b.lines]
        if i + 1 == len(outline.sections):
            # A page saved as text goes on after the article with the website's frame.
            lines = list(takewhile(lambda ln: not is_site_chrome(ln.text), lines))
        end = max([sec.heading.number] + [ln.number for ln in lines if ln.number <= nxt])
        text = "\n".join(ln.text for ln in lines)
        if number is not None:
            title = sec.heading.text.strip().lstrip("#").strip().strip("*").strip()
            sections.append(Section(number, title, sec.heading.number, end, printed, text))
    return sections, numbers


def _detect_format(items: Sequence[Item]) -> tuple[str | None, dict[str, int]]:
    texts = [it.text for it in items if it.kind == "cell"]
    scores = signature_counts(texts, FORMATS)
    best = max(scores.values())
    winners = [f for f, s in scores.items() if s == best]
    return (winners[0] if best > 0 and len(winners) == 1 else None), scores


def _truncated_in(
    lines: Sequence[str],
    tables: Mapping[str, TableInfo],
    template: Template,
    cells: Mapping[str, Cell],
    sections: Sequence[Section],
) -> tuple[int, str, bool] | None:
    """(last line, table, whether the table is whole) when the text stops in or right after a
    table: no report ends there (parts 五 and 六 follow the last table), so the file was cut off
    (a crawler's or a converter's limit). A table printed last as an appendix, after every
    part, is not a cut: the parts that follow its own are all there."""
    last = next((n for n in range(len(lines), 0, -1) if lines[n - 1].strip()), 0)
    parts = {s.number for s in sections}
    for name, info in tables.items():
        if info.end_line is None or info.end_line < last:
            continue
        final = f"{name}.{list(template.tables[name].rows)[-1]}."
        whole = any(k.startswith(final) for k in cells)
        after = [n for n in PART_NAMES if n > table_parts()[name]]
        if not whole or any(n not in parts for n in after):
            return last, name, whole
    return None


def _gaps_reliable(table: TableText, width: int) -> bool:
    """In pipe text, do pipe runs mark blank cells or are they row-boundary noise?

    Decided per table from its full-width rows: if any of them carries a pipe run, runs are
    noise here and say nothing about where a blank cell was. A table with no full-width row
    (every row left some cell blank) is trusted when each of its rows with runs, two at least,
    prints exactly the table's width in values and empty cells.
    """
    full = [r for r in table.rows if sum(1 for s in r.slots if s.value is not None) == width]
    if full:
        return not any(s.value is None for r in full for s in r.slots)
    gapped = [r for r in table.rows if any(s.value is None for s in r.slots)]
    return len(gapped) >= 2 and all(printed_width(r.slots) == width for r in gapped)


def _front_reliable(spec: TableSpec, table: TableText) -> bool:
    """In pipe text, does each empty cell print as its own run, and only the runs after a
    row's last value pad it (``一、本年新收… |`` ``|`` × 6 ``0 |`` ``||``)?

    Some crawlers print every cell, empty or not, and pad each row with pipes to the widest
    row's width; others drop empty cells and fold them into that padding. Trusted per table
    when no row of text (tab, markdown and grid rows say their fields themselves) prints
    more than its width up to its last value, and two rows with a run before that value
    print exactly their width, or one does with a run between two values, which no folding
    crawler prints. (A row whose last cells are empty prints less: its runs after its last
    value are empty cells and padding at once, so it stays unplaced.)
    """
    rows = [r for r in table.rows if r.layout not in _EXPLICIT]
    fronts = [(front_slots(r.slots), len(_row_columns(spec, r))) for r in rows]
    gapped = [(f, w) for f, w in fronts if any(s.value is None for s in f)]
    full = [f for f, w in gapped if printed_width(f) == w]
    between = any(s.value is None for f in full for s in trim_gaps(f))
    return (len(full) >= 2 or between) and all(printed_width(f) <= w for f, w in gapped)


def _row_columns(spec: TableSpec, row: RowText) -> list[str]:
    if row.key == APPEALS_ROW:
        cols = list(spec.column_labels[""])
        return [f"{g}.{c}" for g in ([row.group] if row.group else spec.column_groups) for c in cols]
    return list(spec.rows[row.key].columns)


def _without_terminators(spec: TableSpec, table: TableText) -> TableText:
    """The table without the pipes that close each cell on the next line, when it printed
    each cell on a line of text of its own and then such a pipe (`terminated`).

    A cell whose own line ends in a pipe (``3 |``) is closed there, so only text lines count;
    and those pipes make a row print more than its width up to its last value, while with
    them taken away none does (``|text`` lines, whose empty cells are bare pipes too, never
    print more than their width).
    """
    valued = [r for r in table.rows if _has_values(r)]
    if not valued or any(r.layout != "para" for r in valued) or not terminated([r.slots for r in valued]):
        return table
    rows = [replace(r, slots=unterminated(r.slots)) for r in table.rows]
    widths = [len(_row_columns(spec, r)) for r in table.rows]
    before = any(printed_width(front_slots(r.slots)) > w for r, w in zip(table.rows, widths, strict=True))
    after = all(printed_width(front_slots(r.slots)) <= w for r, w in zip(rows, widths, strict=True))
    return replace(table, rows=rows) if before and after else table


def _field_offsets(table: TableText, width: int) -> tuple[str, int] | None:
    """Tab and markdown rows: where does the first value field sit, judged by full rows?

    ("absolute", i): always field i of its line (markdown, where every row has all fields);
    ("relative", k): k fields after the row label (tab text that lost leading tabs).
    """
    absolute: set[int] = set()
    relative: set[int] = set()
    for row in table.rows:
        values = [s for s in row.slots if s.value is not None]
        if len(values) != width or values[0].field < 0 or row.label_field < 0:
            continue
        absolute.add(values[0].field)
        relative.add(values[0].field - row.label_field - 1)
    if len(absolute) == 1:
        return "absolute", absolute.pop()
    if len(relative) == 1:
        return "relative", relative.pop()
    return None


def _last_field(row: RowText) -> int:
    """The last field of its line a tab or markdown row printed (a value or an empty cell)."""
    return max((slot.field + max(slot.gap, 1) - 1 for slot in row.slots), default=-1)  # a gap spans its fields


def _empty_fields(row: RowText) -> set[int]:
    return {slot.field + k for slot in row.slots if slot.value is None and slot.field >= 0 for k in range(slot.gap)}


def _split_beside(row: RowText, loose: list[RowText]) -> bool:
    """Whether a line of values without a label, right above or below the row, prints its
    values in fields the row leaves empty: a converter split the row over two lines
    (``| | 0 | 0 | |`` over ``| 其他对外管理服务事项 | | | 0 |``), so the row's empty
    fields are no blank cells."""
    beside = [other for other in loose if other.layout == row.layout and abs(other.line - row.line) == 1]
    empty = _empty_fields(row) if beside else set()
    return any(
        fields and fields <= empty
        for fields in ({slot.field for slot in other.slots if slot.value is not None} for other in beside)
    )


def _cell_value(token: ValueToken, column: str, spec: TableSpec, table: TableText) -> int | float | None:
    if token.amount is None or token.state is CellState.BLANK:
        return None
    amount: Decimal = token.amount
    if column in spec.money_columns:
        target = spec.units.get(column, "元")
        amount = convert(amount, token.unit, table.units.get(column), target)
    return to_number(amount)


def _has_values(row: RowText) -> bool:
    return any(slot.value is not None for slot in row.slots)


class _TablePlacer:
    """Turns the rows of one scanned table into keyed cells."""

    def __init__(self, spec: TableSpec, table: TableText, exact_cells: bool) -> None:
        self.spec, self.table, self.exact_cells = spec, table, exact_cells
        self.cells: dict[str, Cell] = {}
        self.unplaced: dict[str, UnplacedRow] = {}
        self.problems: list[Problem] = []
        self.unsplit: dict[str, tuple[str, int]] = {}  # row key -> (glued digits, line)

    def place(self) -> None:
        explicit = any(self.table.layouts.get(k, 0) for k in _EXPLICIT)
        reliable = _gaps_reliable(self.table, self.spec.width)
        front = _front_reliable(self.spec, self.table)
        offsets = _field_offsets(self.table, self.spec.width) if explicit else None
        # A label that printed no value after it (the last cell of a made-up header row,
        # ``| 类别 | 数据1 | … | 总计 |``) gives way to a later row of the same label that did.
        kept: dict[tuple[str, str | None], RowText] = {}
        for row in self.table.rows:
            printed = kept.get((row.key, row.group))
            if printed is None or (_has_values(row) and not _has_values(printed)):
                kept[row.key, row.group] = row
        for row in self.table.rows:
            if kept[row.key, row.group] is not row:
                if _has_values(row):
                    self.problems.append(Problem("row_repeated", "此行与前面已读取的行重复，已忽略", row.line))
                continue
            columns = self._columns(row)
            total_col = columns.index("total") if "total" in columns and row.key != APPEALS_ROW else None
            if row.group:
                total_col = len(columns) - 1  # one group of table 四: its 总计 is its last column
            start = None
            header_field, header_width = self.table.column_fields.get(
                (row.caption or "", columns[0].split(".")[-1]), (None, 0)
            )
            if row.layout == "markdown" and row.caption and header_field is not None:
                # A sub-table's own header row (表二's 第二十条 blocks) says where its first
                # value sits, whatever the other blocks' full rows do.
                start = header_field
            elif offsets and row.label_field >= 0:
                start = offsets[1] if offsets[0] == "absolute" else row.label_field + 1 + offsets[1]
            elif row.layout == "markdown" or (row.key == APPEALS_ROW and explicit and row.layout != "grid"):
                # Markdown rows carry every field (so does the unlabelled row of table 四 in
                # tab text): the first column header's field is where the first value sits.
                # Not a grid's: its rows hold only their own cells (a header row lacks the
                # label cell spanning it), so a header's field is no data row's field.
                start = header_field
            if start is not None and start <= row.label_field:
                # The row's own label stands where the values would start: the position was
                # judged from rows laid out otherwise (another block of a converter's table).
                start = None
            short = False
            if start is not None and _last_field(row) < start + len(columns) - 1:
                # The row's line ends before the table's last column: its fields are not the
                # full rows' (a converter's made-up small table, a grid row lacking the cells
                # a page's edge cut off), so they say no column. On a line as wide as the
                # column headers', the table itself lacks columns (pandoc dropped a 总计 its
                # header spans cut off): neither its fields nor its empty ones say a column.
                short = start == header_field and _last_field(row) + 1 == header_width
                start = None
            if explicit and row.layout == "markdown" and _split_beside(row, self.table.loose):
                short = True
            placement = place_row(
                row.slots,
                len(columns),
                explicit_rows=explicit and row.layout in _EXPLICIT and not short,
                gaps_reliable=reliable and not short,
                front_reliable=front and row.layout not in _EXPLICIT,
                exact_cells=self.exact_cells and row.layout == "grid",
                start_field=start,
                total_col=total_col,
                group_size=len(self.spec.column_labels[""]) if row.key == APPEALS_ROW and not row.group else None,
            )
            self._store(row, columns, placement)

    def _columns(self, row: RowText) -> list[str]:
        return _row_columns(self.spec, row)

    def _key(self, row: RowText, column: str) -> str:
        if row.key == APPEALS_ROW:
            return f"{self.spec.name}.{column}"
        return f"{self.spec.name}.{row.key}.{column}"

    def _store(self, row: RowText, columns: list[str], placement: Placement) -> None:
        row_key = self.spec.name if row.key == APPEALS_ROW else f"{self.spec.name}.{row.key}"
        for i, column in enumerate(columns):
            key = self._key(row, column)
            plain_column = column.split(".")[-1]
            if i in placement.cells:
                token, line = placement.cells[i]
                value = _cell_value(token, plain_column, self.spec, self.table)
                self.cells[key] = value_cell(key, token, value, line)
            elif i in placement.blank or placement.unplaced is None:
                self.cells[key] = Cell(key, None, "", CellState.BLANK, row.line)
            else:
                self.cells[key] = Cell(key, None, "", CellState.UNPLACED, row.line)
        if placement.problem:
            self.problems.append(Problem("row_surplus", placement.problem, row.line))
        if placement.unplaced is not None and any(v.state is CellState.UNPLACED for v in placement.unplaced):
            # Digits that could not be split: the row's cells stay unplaced (no sum over the
            # row can be formed) until the table's column sums settle them (`settle`).
            raw = next(v.raw for v in placement.unplaced if v.state is CellState.UNPLACED)
            self.unsplit[row.key] = (raw.strip("〔〕"), row.line)
        elif placement.unplaced is not None:
            values = tuple(to_number(v.amount) for v in placement.unplaced if v.amount is not None)
            self.unplaced[row_key] = UnplacedRow(row_key, values, row.line)
            if len(placement.unplaced) < len(columns):
                self.problems.append(
                    Problem(
                        "row_unplaced",
                        f"此行只填报了 {len(placement.unplaced)} 个数值（应为 {len(columns)} 列），"
                        "空白单元格被省略，无法确定各数值所在列",
                        row.line,
                    )
                )

    def settle(self) -> None:
        """Rows of glued digits: read them when the column sums force one reading, else say why not."""
        options = {}
        for key, (raw, _) in self.unsplit.items():
            if key in self.spec.rows:
                found = readings(raw, row_shape(self.spec, self.spec.rows[key].columns))
                options[key] = found or []
        settled = resolve(self.spec, self.cells, options)
        for key, (raw, line) in self.unsplit.items():
            columns = self._columns(RowText(self.spec.name, key, line, "tab"))
            label = self.spec.rows[key].labels[0] if key in self.spec.rows and self.spec.rows[key].labels else "表四"
            if key not in settled:
                message = f"“{label}”一行的数字连写为“{raw}”，无法唯一拆分为 {len(columns)} 列，未读取（需人工核对）"
                self.problems.append(Problem("digits_unsplit", message, line))
                continue
            for column, text in zip(columns, settled[key], strict=True):
                token = classify(text)
                assert token is not None and token.amount is not None
                cell_key = f"{self.spec.name}.{key}.{column}"
                value = _cell_value(token, column, self.spec, self.table)
                self.cells[cell_key] = value_cell(cell_key, token, value, line)
            shown = "、".join(settled[key])
            message = f"“{label}”一行的数字连写为“{raw}”，按表内各列合计关系唯一拆分为 {shown}"
            self.problems.append(Problem("digits_settled", message, line, "info"))

    def info(self) -> TableInfo:
        rows = tuple(dict.fromkeys(r.key for r in self.table.rows))
        return TableInfo(
            self.spec.name,
            self.table.line,
            self.table.end_line,
            rows,
            tuple(self.table.labels),
            tuple(self.table.unknown),
        )


def _legacy_group_rows(template: Template, name: str, table: TableText, cells: dict[str, Cell]) -> list[Problem]:
    """A group label printed with one row of values where the other format has a single row of
    that name (the 2019 （六）其他处理 in a 2021 report): its values keyed as that row."""
    printed_as = other_format(template.format)
    other = load_template(printed_as).tables[name]
    grouped = {r.key.split(".", 1)[0] for r in table.rows if "." in r.key}
    problems: list[Problem] = []
    for loose in list(table.loose):
        group = next((g for g, line in table.group_lines.items() if line == loose.line), None)
        row = other.rows.get(group) if group is not None and group not in grouped else None
        values = [s.value for s in loose.slots if s.value is not None]
        if row is None or len(values) != len(row.columns) or any(v.amount is None for v in values):
            continue
        for column, token in zip(row.columns, values, strict=True):
            key = f"{name}.{row.key}.{column}"
            cells[key] = value_cell(key, token, _cell_value(token, column, other, table), loose.line)
        table.loose.remove(loose)
        label = row.labels[0] if row.labels else row.key
        message = f"“{label}”按{printed_as}年版格式印为一行（未分列子项），已按该行读取"
        problems.append(Problem("legacy_row", message, loose.line, "info"))
    return problems


def _layout(tables: Sequence[TableText]) -> str | None:
    counts: dict[str, int] = {}
    for t in tables:
        for kind, n in t.layouts.items():
            if kind in _LAYOUT_NAMES:
                counts[_LAYOUT_NAMES[kind]] = counts.get(_LAYOUT_NAMES[kind], 0) + n
    return max(counts, key=lambda k: counts[k]) if counts else None


def _pictured_tables(lines: Sequence[str], sections: Sequence[Section]) -> list[int]:
    """Lines of the parts that print the tables (二, 三, 四) where the reader saw a picture."""
    return sorted(n for part in set(table_parts().values()) for n in picture_lines(lines, sections, part))


def build_report(
    outline: Outline,
    source: Source,
    problems: Sequence[Problem] = (),
    converted_from: str | None = None,
) -> Report:
    """The canonical model of one parsed report.

    ``converted_from`` names the reader ("html", "docx", "pdf") when the report was not
    plain text; its grid rows hold exactly the cells of the source rows.
    """
    lines = outline.lines
    sections, numbers = _sections(outline, len(lines))
    items = list(outline_items(outline, numbers))
    fmt, signatures = _detect_format(items)
    scanned = scan(items, label_index(fmt or "2021"))
    template = load_template(fmt or "2021")

    cells: dict[str, Cell] = {}
    unplaced: dict[str, UnplacedRow] = {}
    tables: dict[str, TableInfo] = {}
    found_problems = list(problems) + scanned.problems
    for name in ("disclosure", "requests", "appeals"):
        table = scanned.tables.get(name)
        if table is None:
            continue
        table = _without_terminators(template.tables[name], table)
        placer = _TablePlacer(template.tables[name], table, exact_cells=converted_from is not None)
        placer.place()
        placer.settle()
        found_problems.extend(_legacy_group_rows(template, name, table, placer.cells))
        # Value rows printed apart from their labels (PDF conversions), when forced.
        loose = reattach(template.tables[name], table, placer.cells)
        cells.update(placer.cells)
        cells.update(loose.cells)
        unplaced.update(placer.unplaced)
        info = placer.info()
        tables[name] = replace(info, rows=info.rows + tuple(k for k in loose.rows if k not in info.rows))
        found_problems.extend(placer.problems + loose.problems)
    if not scanned.tables:
        found_problems.append(Problem("no_tables", "未找到任何统计表格", None))

    first = next((s for s in sections if s.number == 1), None)
    coverage = compute(lines, template, cells, list(scanned.tables), sections)
    truncated = _truncated_in(lines, tables, template, cells, sections)
    if truncated is not None:
        line, name, whole = truncated
        coverage = replace(coverage, truncated_line=line)
        where = f"表{table_numeral(name)}{'之后' if whole else '中途'}"
        found_problems.append(
            Problem("truncated", f"报告文本在第{line}行（{where}）结束，文件可能不完整，其后的内容未能审核", line)
        )
    unread = coverage.unread_tables()
    meta = replace(extract_meta(outline, first.text if first else ""), format=fmt, signatures=signatures)
    free_form = meta.year is not None and meta.year < first_format_year()  # before the formats: no tables due
    if (
        unread
        and not free_form
        and len(unread) == len([t for t in coverage.tables.values() if t.mentioned_line is not None])
    ):
        names = "、".join(f"表{table_numeral(t)}" for t in unread)
        found_problems.append(
            Problem(
                "tables_unread",
                f"报告印有统计表格（{names}），但未能读出任何单元格，无法审计（需人工核对）",
                None,
                "error",
            )
        )
    pictured = _pictured_tables(lines, sections)
    if not cells and not unplaced and not free_form and pictured:
        found_problems.append(
            Problem(
                "tables_pictured",
                f"第{pictured[0]}行起的表格位置印有{UNREAD_MARKS[lines[pictured[0] - 1]]}，未读到任何单元格",
                pictured[0],
                "error",
            )
        )
    layout = _layout(list(scanned.tables.values()))
    if converted_from and layout:
        layout = converted_from
    in_print_order = template.keys()
    ordered = {k: cells[k] for k in in_print_order if k in cells}
    ordered.update({k: v for k, v in cells.items() if k not in ordered})
    return Report(
        source=Source(source.path, source.sha256, layout, source.encoding, source.size),
        meta=meta,
        sections=tuple(sections),
        cells=ordered,
        unplaced_rows=unplaced,
        tables=tables,
        problems=tuple(sorted(found_problems, key=lambda p: (p.line or 0, p.code))),
        lines=lines,
        coverage=coverage,
        pages=tuple(p.page for p in outline.places) if any(p.page for p in outline.places) else (),
    )
