"""The PDF reader: ruled tables cell by cell, prose in order, pages and boxes, honest refusals."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas

from auditor.pipeline import parse_text
from auditor.text.decode import UnreadableInput
from auditor.text.document import Document, TableGrid, TextLine
from auditor.text.readers import pdf as pdf_reader
from auditor.text.readers import reader_for
from auditor.text.readers._pdf_layout import join_wrapped, line_text
from tests.conftest import ROOT
from tests.pdfgen import FONT, Cell, Styled, Table, draw_report, report_pdf, scanned_pdf, unmapped_font_pdf

REAL = ROOT.parent / "shared" / "corpus" / "real"
HEADER = "澄岭县人民政府政务公开"
COMMON = "本年度政府信息公开工作总体情况良好主动公开信息一千二百条较上年有所增加群众满意度进一步提高"


def as_text(document: Document) -> str:
    """The Document as the text the current pipeline reads (grids as markdown rows)."""
    out: list[str] = []
    for block in document.blocks:
        if isinstance(block, TableGrid):
            rows = ["| " + " | ".join(c.replace("|", "｜") for c in row) + " |" for row in block.rows]
            rows.insert(1, "|" + "---|" * max(len(row) for row in block.rows))
            out += ["", *rows, ""]
        else:
            out.append(block.text)
    return "\n".join(out) + "\n"


def grids(document: Document) -> list[TableGrid]:
    return [b for b in document.blocks if isinstance(b, TableGrid)]


def lines(document: Document) -> list[TextLine]:
    return [b for b in document.blocks if isinstance(b, TextLine)]


@pytest.fixture(scope="module")
def report_2021() -> tuple[dict[str, object], bytes, Document]:
    generated, data = report_pdf(4, header=HEADER, label_noise=False)
    assert generated.format == "2021"
    return dict(generated.cells), data, pdf_reader.read(data)


@pytest.mark.parametrize("seed", [2, 4, 7])
def test_generated_report_reads_back_every_cell(seed: int) -> None:
    generated, data = report_pdf(seed, header=HEADER)
    report = parse_text(as_text(pdf_reader.read(data)))
    got = {key: cell.value for key, cell in report.cells.items()}
    assert {k: got.get(k) for k in generated.cells} == generated.cells
    assert [s.number for s in report.sections] == list(generated.parts)
    meta = report.meta
    assert (meta.agency, meta.year) == (generated.agency, generated.year)
    period = (meta.period.start.isoformat(), meta.period.end.isoformat()) if meta.period else None
    assert period == generated.period  # the period sentence is one paragraph again


def test_spanning_group_label_is_one_cell_of_its_first_row(
    report_2021: tuple[dict[str, object], bytes, Document],
) -> None:
    _, _, document = report_2021
    requests = next(g for g in grids(document) if any(row[0] == "一、本年新收政府信息公开申请数量" for row in g.rows))
    starts = [i for i, row in enumerate(requests.rows) if row[0] == "（三）不予公开"]
    assert len(starts) == 1
    first, second = requests.rows[starts[0]], requests.rows[starts[0] + 1]
    assert first[1] == "1.属于国家秘密" and len(first) == 9  # group label, item, seven values
    assert second[0].startswith("2.") and len(second) == 8  # the group label is not repeated
    assert sum(row.count("（三）不予公开") for row in requests.rows) == 1


def test_label_wrapped_inside_its_cell_is_joined(report_2021: tuple[dict[str, object], bytes, Document]) -> None:
    _, data, document = report_2021
    label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        printed = "\n".join(page.extract_text() for page in pdf.pages)
    assert label not in printed  # the PDF prints it over two lines…
    assert any(row[0] == label for grid in grids(document) for row in grid.rows)  # …the reader joins them


@pytest.mark.parametrize("seed", [2312, 105, 134])
def test_a_table_drawn_without_rules_is_read_by_its_column_gaps_and_never_misread(seed: int) -> None:
    # No rule drawn: the tables are lines of text. A wide gap between two columns stays a
    # gap, so a group's label is not glued to its row's; what is read is read right.
    from unittest import mock

    from reportlab.pdfgen.canvas import Canvas

    with (
        mock.patch.object(Canvas, "rect", lambda *a, **k: None),
        mock.patch.object(Canvas, "line", lambda *a, **k: None),
    ):
        generated, data = report_pdf(seed, blanks=False)
    report = parse_text(as_text(pdf_reader.read(data)))
    numbers = {k: c.value for k, c in report.cells.items() if c.state.value == "number"}
    assert all(generated.cells.get(k) == v for k, v in numbers.items())
    assert len(numbers) >= 0.9 * len(generated.cells)
    assert not [k for k, c in report.cells.items() if c.state.value == "blank"]


@pytest.mark.parametrize("seed", [0, 1, 5])
def test_a_table_drawn_without_rules_reads_rows_whose_label_shares_a_line_with_its_group(seed: int) -> None:
    # Without rules the group column and a row's wrapped label print on one line with no
    # values (``（四）无法 2.没有现成信息需``, ``三、本年度办理（二）部分公开（区分处理的，``);
    # the values follow on a line of their own. Those rows were left unread; now every cell is.
    from unittest import mock

    from reportlab.pdfgen.canvas import Canvas

    with (
        mock.patch.object(Canvas, "rect", lambda *a, **k: None),
        mock.patch.object(Canvas, "line", lambda *a, **k: None),
    ):
        generated, data = report_pdf(seed, label_noise=False)
    report = parse_text(as_text(pdf_reader.read(data)))
    assert {k: c.value for k, c in report.cells.items() if k in generated.cells} == generated.cells


_PARTIALLY = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"


@pytest.mark.parametrize(
    ("label", "printed", "key"),
    [
        (
            "2.没有现成信息需要另行制作",
            ["（四）无法 2.没有现成信息需", "{values}", "提供 要另行制作"],
            "requests.unable.needs_creation",
        ),
        (
            _PARTIALLY,
            ["三、本年度办理（二）部分公开（区分处理的，", "{values}", "结果 只计这一情形，不计其他情形）"],
            "requests.partially_granted",
        ),
        (
            "2.没有现成信息需要另行制作",
            ["无法提没有现成信息需要", "{values}", "供  另行制作"],
            "requests.unable.needs_creation",
        ),
        (
            "2.其他法律行政法规禁止公开",
            ["不予公", "开其他法律行政法规 {values}", "禁止公开"],
            "requests.denied.prohibited_by_law",
        ),
        (
            _PARTIALLY,
            ["部分公开（区分处理的，只", "三、本年度办理", "计这一情形，不计其他情形 {values}", "结果", "）"],
            "requests.partially_granted",
        ),
        (
            _PARTIALLY,
            ["三、本年度办（二）部分公开（区分处理的", "理结果  ，只计这一情形，不计其他情 {values}", "形）"],
            "requests.partially_granted",
        ),
    ],
    ids=["spaced", "glued", "unnumbered", "one-character-piece", "header-between", "rest-with-values"],
)
def test_a_group_piece_then_a_row_label_with_its_values_below(label: str, printed: list[str], key: str) -> None:
    # The text lines of a PDF table drawn without rules: a piece of the side column (a
    # group's label, or 三、本年度办理结果) shares a line with the row's label cut short;
    # the values follow, on that line or the next, among the rest of both labels.
    from tests.parse.test_row_lines import _row_lines
    from tests.reportgen import make_report

    generated = make_report(1, fmt="2021", year=2022, layout="tab", blanks=False, label_noise=False)
    lines = _row_lines(generated.text, " ").split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith(label + " "))
    values = lines[at][len(label) + 1 :]
    lines[at : at + 1] = [line.format(values=values) for line in printed]
    report = parse_text("\n".join(lines))
    row = {k: c.value for k, c in report.cells.items() if k.startswith(key + ".")}
    assert row == {k: v for k, v in generated.cells.items() if k.startswith(key + ".")}
    assert len(row) == 7
    assert not [k for k, c in report.cells.items() if c.state.value == "blank"]


def test_a_wide_gap_between_two_columns_stays_apart() -> None:
    chars = [
        {"text": t, "x0": x, "x1": x + 10.0, "size": 10.0}
        for t, x in (("不", 0.0), ("予", 10.0), ("公", 45.0), ("开", 55.0), ("0", 90.0))
    ]
    assert line_text(chars) == "不予  公开  0"


def test_cell_lines_join_without_break_but_numbers_keep_a_space() -> None:
    assert join_wrapped(["（三）不予", "公开"]) == "（三）不予公开"
    assert join_wrapped(["12", "34"]) == "12 34"
    assert join_wrapped(["", "结果", "维持"]) == "结果维持"


def test_paragraph_lines_are_joined_but_headings_titles_and_signatures_stay_lines() -> None:
    title = Styled("澄岭县人民政府2023年政府信息公开工作年度报告", "center")
    long = "本年度我县持续推进政务公开标准化规范化建设，群众满意度进一步提高，" * 40  # runs over a page
    full = "本" * 35 + "年" * 37  # exactly fills its indented first line and one whole line
    heading = Styled("二、主动公开政府信息情况", "left")  # not indented, right after a full line
    signature = [Styled("澄岭县人民政府", "right"), Styled("2024年1月20日", "right")]
    document = pdf_reader.read(draw_report([title, long, full, heading, *signature], header=HEADER))
    assert [line.text for line in lines(document)] == [
        title.text,
        long,
        full,
        heading.text,
        *(s.text for s in signature),
    ]
    assert lines(document)[1].place.page == 1  # the paragraph is placed where it starts


def test_page_numbers_and_running_header_are_dropped(report_2021: tuple[dict[str, object], bytes, Document]) -> None:
    _, data, document = report_2021
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        printed = pdf.pages[1].extract_text()
    assert "- 2 -" in printed and HEADER in printed
    texts = [line.text for line in lines(document)]
    assert not [t for t in texts if re.fullmatch(r"-\s*\d+\s*-", t) or t == HEADER]


@pytest.mark.parametrize("footer", ["-3-", "— 3 —", "第3页 共9页", "3/9", "Page 3 of 9"])
def test_page_number_styles(footer: str) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont(FONT, 12)
    canvas.drawString(72, 700, "一、总体情况")
    canvas.drawString(72, 680, "本年度主动公开政府信息一千条。")
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(297, 40, footer)
    canvas.save()
    texts = [line.text for line in lines(pdf_reader.read(buffer.getvalue()))]
    assert texts == ["一、总体情况", "本年度主动公开政府信息一千条。"]


def test_table_across_a_page_break_is_one_table_with_each_rows_own_cells() -> None:
    rows: list[list[Cell]] = [[Cell("分组"), Cell("事项"), Cell("件数")]]
    expected: list[tuple[str, ...]] = [("分组", "事项", "件数")]
    for g in range(20):
        for i in range(3):
            item, value = f"{i + 1}.第{g + 1}组事项", str(g * 3 + i)
            if i == 0:
                rows.append([Cell(f"（{g + 1}）分组标签", rs=3), Cell(item), Cell(value)])
                expected.append((f"（{g + 1}）分组标签", item, value))
            else:
                rows.append([Cell(item), Cell(value)])
                expected.append((item, value))
    blocks = ["二、主动公开政府信息情况", "（一）主动公开情况", Table(3, rows), "三、收到和处理政府信息公开申请情况"]
    data = draw_report(blocks)
    document = pdf_reader.read(data)
    (grid,) = grids(document)
    assert grid.rows == tuple(expected)
    pages = [place.page for place in grid.places]
    assert pages == sorted(pages) and len(set(pages)) == 2
    # The break falls inside a group: its label spans rows on both pages.
    break_row = pages.index(pages[-1])
    assert not grid.rows[break_row][0].startswith("（")
    assert [line.text for line in lines(document)] == [blocks[0], blocks[1], blocks[3]]


COLUMNS = (72.0, 260.0, 320.0, 380.0, 440.0)  # label | 自然人 | 商业企业 | 总计

Row = tuple[tuple[str, ...], bool]  # the cells (one across the table when alone), a rule above it


def ruled_pages(*pages: list[Row], bare_labels: frozenset[str] = frozenset()) -> bytes:
    """Ruled table rows drawn page after page, each closed by a rule under it; a row whose
    label is in ``bare_labels`` has no rules around its label cell."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setLineWidth(0.5)
    for rows in pages:
        top = 800.0
        for cells, rule_above in rows:
            bottom = top - 30
            columns = COLUMNS[1:] if cells[0] in bare_labels else COLUMNS
            if rule_above:
                canvas.line(columns[0], top, columns[-1], top)
            canvas.line(columns[0], bottom, columns[-1], bottom)
            for x in columns if len(cells) > 1 else (columns[0], columns[-1]):
                canvas.line(x, top, x, bottom)
            canvas.setFont(FONT, 10)
            for x, text in zip(COLUMNS, cells, strict=False):
                canvas.drawString(x + 4, top - 19, text)
            top = bottom
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def all_rows(data: bytes) -> list[tuple[str, ...]]:
    return [r for g in grids(pdf_reader.read(data)) for r in g.rows]


def test_blank_values_of_the_first_row_after_a_break_keep_their_columns() -> None:
    """A browser's "print to PDF" draws no rule over the first row after a page break (its top
    border was the last row's bottom, on the page before): its blank value cells are still
    cells, or the values after them would shift left."""
    data = ruled_pages(
        [(("4.保护第三方合法权益", "0", "", "0"), True), (("（此行在页末）", "1", "", "1"), True)],
        [(("5.属于三类内部事务信息", "2", "", "2"), False), (("6.属于四类过程性信息", "0", "", "0"), False)],
    )
    rows = all_rows(data)
    assert ("5.属于三类内部事务信息", "2", "", "2") in rows
    assert ("6.属于四类过程性信息", "0", "", "0") in rows


@pytest.mark.parametrize(
    ("last", "rest", "joined"),
    [
        # The rest of the label opens the next page in a row of its own, with no values.
        (("2.没有现成", "0", "", "0"), ("信息需要另行制作", "", "", ""), ("2.没有现成信息需要另行制作", "0", "", "0")),
        # A value set low in its cell goes to the next page with the rest of the label.
        (
            ("2.申请人逾", "0", "", ""),
            ("期未按收费通知要求缴纳费用", "", "", "0"),
            ("2.申请人逾期未按收费通知要求缴纳费用", "0", "", "0"),
        ),
    ],
    ids=["label", "label and value"],
)
def test_a_row_split_by_a_page_break_is_one_row(
    last: tuple[str, ...], rest: tuple[str, ...], joined: tuple[str, ...]
) -> None:
    """Word and LibreOffice let a row break across pages: it is still one row."""
    first, after = ("1.本机关不掌握相关政府信息", "3", "", "3"), ("3.补正后申请内容仍不明确", "1", "", "1")
    data = ruled_pages([(first, True), (last, True)], [(rest, True), (after, True)])
    assert all_rows(data) == [first, joined, after]


def test_a_label_cell_drawn_without_rules_stays_with_its_row() -> None:
    """A page printed with some cells' borders missing: the label of a row stands in the
    table's frame but in no cell. It is still that row's label, not lost text."""
    data = ruled_pages(
        [
            (("（七）总计", "11", "", "11"), True),
            (("四、结转下年度继续办理", "0", "", "0"), True),
            (("3.其他", "1", "", "1"), True),
        ],
        bare_labels=frozenset({"四、结转下年度继续办理"}),
    )
    assert all_rows(data) == [
        ("（七）总计", "11", "", "11"),
        ("四、结转下年度继续办理", "0", "", "0"),
        ("3.其他", "1", "", "1"),
    ]


@pytest.mark.parametrize(
    "opening",
    [
        ("第二十条第（六）项",),  # a title row across the table
        ("6.属于四类过程性信息", "", "", ""),  # a new row, its values left blank
        ("信息内容", "本年处理决定数量", "", ""),  # a header row
    ],
)
def test_a_row_opening_the_next_page_is_its_own_row(opening: tuple[str, ...]) -> None:
    data = ruled_pages(
        [(("行政许可", "0", "", "0"), True), (("其他对外管理服务事项", "2", "", "2"), True)],
        [(opening, True), (("行政强制", "1", "", "1"), True)],
    )
    rows = all_rows(data)
    assert ("其他对外管理服务事项", "2", "", "2") in rows
    assert any(opening[0] in row[0] and row[0] != "其他对外管理服务事项" for row in rows)


def test_every_line_and_row_has_its_page_and_box(report_2021: tuple[dict[str, object], bytes, Document]) -> None:
    _, data, document = report_2021
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page_count = len(pdf.pages)
    places = [line.place for line in lines(document)] + [p for g in grids(document) for p in g.places]
    assert places and all(p.page and p.box and p.box[0] < p.box[2] and p.box[1] < p.box[3] for p in places)
    assert {p.page for p in places} == set(range(1, page_count + 1))


def test_text_inside_a_table_is_not_also_prose(report_2021: tuple[dict[str, object], bytes, Document]) -> None:
    _, _, document = report_2021
    cells = {cell for grid in grids(document) for row in grid.rows for cell in row if len(cell) > 2}
    assert "行政许可" in cells
    assert not [line.text for line in lines(document) if line.text in cells]


@pytest.mark.parametrize("shape", ["rect", "path"])
def test_borders_drawn_as_thin_filled_shapes_rule_a_table(shape: str) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    xs, ys = (72, 200, 300, 400), (700, 680, 660, 640)
    for x in xs:  # vertical borders, 0.5 pt wide, filled black
        _filled(canvas, shape, x, ys[-1], 0.5, ys[0] - ys[-1])
    for y in ys:
        _filled(canvas, shape, xs[0], y, xs[-1] - xs[0] + 0.5, 0.5)
    canvas.setFont(FONT, 10)
    for r, row in enumerate(
        [("信息内容", "本年制发件数", "本年废止件数"), ("规章", "1", "0"), ("行政规范性文件", "12", "3")]
    ):
        for c, text in enumerate(row):
            canvas.drawString(xs[c] + 4, ys[r] - 14, text)
    canvas.save()
    (grid,) = grids(pdf_reader.read(buffer.getvalue()))
    assert grid.rows == (
        ("信息内容", "本年制发件数", "本年废止件数"),
        ("规章", "1", "0"),
        ("行政规范性文件", "12", "3"),
    )


@pytest.mark.parametrize(("right", "cut"), [(A4[0], True), (A4[0] - 40, False)])
def test_a_table_running_past_the_pages_edge_is_named(right: float, cut: bool) -> None:
    # A web page's table saved as PDF may be wider than the page: the columns past the edge
    # were never printed, and the reader says so instead of passing over them in silence.
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    xs, ys = (72.0, 250.0, 400.0, right), (700, 680, 660)
    for x in xs:
        canvas.line(x, ys[-1], x, ys[0])
    for y in ys:
        canvas.line(xs[0], y, xs[-1], y)
    canvas.setFont(FONT, 10)
    for r, row in enumerate([("信息内容", "本年制发件数", "本年废止件数"), ("规章", "1", "0")]):
        for c, text in enumerate(row):
            canvas.drawString(xs[c] + 4, ys[r] - 14, text)
    canvas.save()
    notices = [n for n in pdf_reader.read(buffer.getvalue()).notices if n.code == "pdf_table_cut"]
    assert [(n.message, n.severity) for n in notices] == (
        [("第1页的表格超出页面边界，超出部分未印在页面上，其中的单元格未能读取", "warning")] if cut else []
    )


def test_a_cell_cut_by_the_pages_edge_is_not_read_unless_its_text_ends_well_before_it() -> None:
    # Past the edge nothing was printed: a value running up to it may have lost digits (30
    # printed as 3), an empty-looking cut cell may hold one; a value ending well inside stays.
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    xs, ys = (72.0, 250.0, 400.0, A4[0]), (700, 680, 660, 640)
    for x in xs:
        canvas.line(x, ys[-1], x, ys[0])
    for y in ys:
        canvas.line(xs[0], y, xs[-1], y)
    canvas.setFont(FONT, 10)
    rows = [("信息内容", "本年制发件数", "现行有效件数"), ("规章", "1", "12"), ("行政规范性文件", "2", "3")]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            right_edge = r == 2 and c == 2  # drawn up against the edge, as a cut "30" shows
            canvas.drawString(A4[0] - 7 if right_edge else xs[c] + 4, ys[r] - 14, text)
    canvas.save()
    (grid,) = grids(pdf_reader.read(buffer.getvalue()))
    assert grid.rows == (("信息内容", "本年制发件数", "现行有效件数"), ("规章", "1", "12"), ("行政规范性文件", "2"))


def test_a_line_of_a_table_drawn_without_rules_runs_on_into_no_paragraph() -> None:
    # A value row reaching the text column's right edge is not a paragraph's full line: the
    # rest of its label wrapped under it (数量) stays a line of its own, not glued after the values.
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont(FONT, 12)
    left, right = 72.0, 72.0 + 12 * 36
    lines = [(left + 24, "本" * 34), (left, "年" * 36), (left, "度" * 36), (left, "情" * 10)]
    lines += [(left, "一、本年新收政府信息公开申请"), (left, "数量")]
    for n, (x, text) in enumerate(lines):
        canvas.drawString(x, 760 - 18 * n, text)
    for x, value in ((left + 250, "11"), (left + 320, "0"), (right - 14, "11")):
        canvas.drawString(x, 760 - 18 * 4 - 9, value)
    canvas.save()
    texts = [b.text for b in pdf_reader.read(buffer.getvalue()).blocks if isinstance(b, TextLine)]
    assert texts[-3:] == ["一、本年新收政府信息公开申请", "11  0  11", "数量"]


def _filled(canvas: Canvas, shape: str, x: float, y: float, w: float, h: float) -> None:
    if shape == "rect":
        canvas.rect(x, y, w, h, stroke=0, fill=1)
    else:  # a closed path of more than four points, which pdfminer keeps as a curve
        path = canvas.beginPath()
        path.moveTo(x, y)
        path.lineTo(x + w / 2, y)
        path.lineTo(x + w, y)
        path.lineTo(x + w, y + h)
        path.lineTo(x, y + h)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)


def test_invisible_backgrounds_and_framed_paragraphs_stay_prose() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for i, text in enumerate(["一、总体情况", "本年度共主动公开信息120条。", "二、主动公开政府信息情况"]):
        top = 760 - i * 27
        canvas.setFillColorRGB(1, 1, 1)
        canvas.rect(72, top - 8, 451, 27, stroke=0, fill=1)  # the white box WPS draws behind a paragraph
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(FONT, 12)
        canvas.drawString(76, top, text)
    canvas.rect(72, 600, 451, 30, stroke=1, fill=0)  # a framed note: one cell, not a table
    canvas.drawString(80, 610, "注：本表数据截至2023年12月31日。")
    canvas.save()
    document = pdf_reader.read(buffer.getvalue())
    assert not grids(document)
    assert [line.text for line in lines(document)] == [
        "一、总体情况",
        "本年度共主动公开信息120条。",
        "二、主动公开政府信息情况",
        "注：本表数据截至2023年12月31日。",
    ]


def test_overprinted_bold_is_read_once() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont(FONT, 14)
    for dx, dy in ((0, 0), (0.4, 0), (0.4, 0.3)):  # bold faked by printing three times
        canvas.drawString(72.3 + dx, 700 + dy, "一、总体情况")
    canvas.setFont(FONT, 12)
    canvas.drawString(72, 680, "本年度主动公开政府信息一千条。")
    canvas.save()
    assert [line.text for line in lines(pdf_reader.read(buffer.getvalue()))] == [
        "一、总体情况",
        "本年度主动公开政府信息一千条。",
    ]


@pytest.mark.parametrize("page_numbers", [False, True])
def test_scan_without_text_layer_is_refused(page_numbers: bool) -> None:
    with pytest.raises(UnreadableInput) as refused:
        pdf_reader.read(scanned_pdf(pages=5, page_numbers=page_numbers))
    assert refused.value.code == "pdf_no_text"
    assert "未检测到文字层，可能是扫描件，需人工核对" in refused.value.message


@pytest.mark.parametrize("to_unicode", [None, 0xE000, 0xC0], ids=["cid-glyphs", "private-use", "mojibake"])
def test_undecodable_text_is_refused(to_unicode: int | None) -> None:
    with pytest.raises(UnreadableInput) as refused:
        pdf_reader.read(unmapped_font_pdf(range(1, 40), to_unicode))
    assert refused.value.code == "pdf_undecodable"
    assert "无法正确解码" in refused.value.message


def test_damaged_content_is_read_as_far_as_it_goes_with_a_notice_and_a_quiet_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    document = pdf_reader.read(unmapped_font_pdf(range(1, 40), 0x4E00, chars=COMMON, extra=" 1 /X 2 3 re S"))
    assert [line.text for line in lines(document)] == [COMMON[:39], COMMON[:39]]
    assert [n.code for n in document.notices] == ["pdf_damaged"]
    assert capsys.readouterr().err == ""


def test_mojibake_of_real_chinese_characters_is_refused() -> None:
    sentence = "本年度政府信息公开工作总体情况良好，主动公开信息一千二百条。"
    garbled = sentence.encode("utf-8").decode("gbk", errors="ignore")  # UTF-8 read as GBK
    data = draw_report(["一、总体情况", garbled * 3])
    with pytest.raises(UnreadableInput) as refused:
        pdf_reader.read(data)
    assert refused.value.code == "pdf_undecodable" and "乱码" in refused.value.message
    assert pdf_reader.read(draw_report(["一、总体情况", sentence * 3])).blocks  # the same text, not garbled


def test_a_few_undecodable_characters_are_noticed_not_refused() -> None:
    document = pdf_reader.read(unmapped_font_pdf(range(1, 40), 0x4E00, chars=COMMON, private=[5]))
    assert [n.code for n in document.notices] == ["pdf_some_undecodable"]


@pytest.mark.parametrize(
    "data",
    [b"%PD", b"abc", b"%PDF-1.4\nnot really a pdf", draw_report(["一、总体情况"])[:300]],
    ids=["3-bytes", "not-pdf", "garbage", "truncated"],
)
def test_broken_or_fake_pdf_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableInput) as refused:
        pdf_reader.read(data)
    assert refused.value.code == "bad_pdf"
    assert "PDF" in refused.value.message


def test_encrypted_pdf_is_refused_as_encrypted() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, encrypt=StandardEncryption("secret", canPrint=0))
    canvas.setFont(FONT, 12)
    canvas.drawString(72, 700, "一、总体情况")
    canvas.drawString(72, 680, "本年度主动公开政府信息一千条。")
    canvas.save()
    with pytest.raises(UnreadableInput) as refused:
        pdf_reader.read(buffer.getvalue())
    assert refused.value.code == "bad_pdf" and "加密" in refused.value.message


def test_pages_beyond_the_cap_are_not_read_and_a_notice_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for n in range(5):
        canvas.setFont(FONT, 12)
        canvas.drawString(72, 700, f"第{n + 1}部分正文内容")
        canvas.showPage()
    canvas.save()
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 3)
    document = pdf_reader.read(buffer.getvalue())
    text = "".join(line.text for line in lines(document))
    assert "第3部分正文内容" in text and "第4部分" not in text
    assert [n.code for n in document.notices] == ["pdf_pages_capped"]
    assert "3 页" in document.notices[0].message


def test_a_page_that_cannot_be_read_is_skipped_with_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    data = draw_report(["一、总体情况", "本年度我县主动公开政府信息一千二百条。" * 150, "二、主动公开政府信息情况"])
    read_page = pdf_reader._read_page

    def failing_second_page(page: object, notices: list[object]) -> object:
        if getattr(page, "page_number", 0) == 2:
            raise KeyError("broken content stream")
        return read_page(page, notices)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_reader, "_read_page", failing_second_page)
    document = pdf_reader.read(data)
    assert [(n.code, n.place and n.place.page) for n in document.notices] == [("pdf_page_unreadable", 2)]
    assert {line.place.page for line in lines(document)} == {1, 3}
    assert len(lines(document)) == 4  # the paragraph is not joined over the missing page


def test_a_file_whose_every_page_fails_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(page: object, notices: object) -> object:
        raise KeyError("broken")

    monkeypatch.setattr(pdf_reader, "_read_page", failing)
    with pytest.raises(UnreadableInput) as refused:
        pdf_reader.read(draw_report(["一、总体情况"]))
    assert refused.value.code == "bad_pdf" and "KeyError" in refused.value.message


def test_claims_pdf_by_content_or_name() -> None:
    assert pdf_reader.claims(draw_report(["一、总体情况"]))
    assert pdf_reader.claims(b"\n\n%PDF-1.7 ...", "")
    assert pdf_reader.claims(b"%PD", ".pdf")
    assert not pdf_reader.claims("一、总体情况".encode(), ".txt")
    assert reader_for(draw_report(["一、总体情况"]), "").name == "pdf"


requires_real = pytest.mark.skipif(not (REAL / "hongze2023.pdf").is_file(), reason=f"real corpus not found at {REAL}")


@requires_real
def test_real_report_hongze2023() -> None:
    document = pdf_reader.read((REAL / "hongze2023.pdf").read_bytes())
    rows = [row for grid in grids(document) for row in grid.rows]
    zeros = ("0",) * 6
    assert ("（三）不予公开", "1.属于国家秘密", "1", *zeros[:5], "1") in rows
    assert ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "4", *zeros[:5], "4") in rows
    # （四）无法提供 spans a page break: the rows on both pages hold only their own cells.
    assert ("2.没有现成信息需要另行制作", "3", *zeros[:5], "3") in rows
    assert ("3.补正后申请内容仍不明确", "0", *zeros) in rows
    assert ("5.要求行政机关确认或重新出具已获取信息", "0", *zeros) in rows
    assert ("10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0") in rows
    # The caption row on top of page 3 has no rule over it: the page break closes it.
    assert rows.count(("信息内容", "本年处理决定数量")) == 2
    assert len(grids(document)) == 3  # 二, 三 and 四, each one table over its pages
    texts = [line.text for line in lines(document)]
    for heading in (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ):
        assert heading in texts
    assert not [t for t in texts if re.fullmatch(r"-\s*\d+\s*-", t)]
    assert any("统计期限自2023年1月1日起至2023年12月31日止" in t for t in texts)  # one paragraph, not cut


@requires_real
def test_real_report_hongze2023_cells_through_the_parser() -> None:
    expected = json.loads((REAL / "hongze2023.expected.json").read_text(encoding="utf-8"))
    truth = expected["cells"]
    report = parse_text(as_text(pdf_reader.read((REAL / "hongze2023.pdf").read_bytes())))
    period = report.meta.period
    assert period and [period.start.isoformat(), period.end.isoformat()] == expected["period"]
    got = {key: cell.value for key, cell in report.cells.items()}
    # The single （六）其他处理 row of a 2021 report is keyed requests.other.* by the model (issue 7),
    # not by the reader, which hands it over as printed.
    wanted = {k: v for k, v in truth.items() if not k.startswith("requests.other.")}
    assert {k: got.get(k) for k in wanted} == wanted


SMALL_REPORT = draw_report(
    [
        "二、主动公开政府信息情况",
        Table(
            3, [[Cell("信息内容"), Cell("本年制发件数"), Cell("现行有效件数")], [Cell("规章"), Cell("1"), Cell("3")]]
        ),
        "三、收到和处理政府信息公开申请情况",
    ]
)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(SMALL_REPORT) - 1), st.integers(0, 255)), min_size=1, max_size=12))
def test_damaged_bytes_never_raise_anything_but_unreadable_input(changes: list[tuple[int, int]]) -> None:
    damaged = bytearray(SMALL_REPORT)
    for offset, value in changes:
        damaged[offset] = value
    try:
        document = pdf_reader.read(bytes(damaged))
    except UnreadableInput as refused:
        assert refused.code in ("bad_pdf", "pdf_no_text", "pdf_undecodable") and refused.message
    else:
        assert all(isinstance(block, (TextLine, TableGrid)) for block in document.blocks)


def test_findings_on_a_pdf_name_their_page() -> None:
    """A finding on a PDF source names the page (第N页) its line came from."""
    from pathlib import Path

    from auditor.model.template import load_template
    from auditor.pipeline import AuditOptions, audit_report, read_report
    from auditor.render.labels import location_text

    example = Path(__file__).resolve().parents[2] / "examples" / "2023_chengling_county_pdf.pdf"
    report = read_report(example)
    record = audit_report(report, AuditOptions())
    paged = [f for f in record["findings"] if f["location"]["line"]]
    assert paged and all(f["location"]["page"] == report.page_of(f["location"]["line"]) for f in paged)
    assert all(isinstance(f["location"]["page"], int) for f in paged)
    template = load_template(record["meta"]["format"])
    assert f"第{paged[0]['location']['page']}页" in location_text(paged[0], record, template, with_line=False)


@pytest.mark.parametrize("seed", [2312, 41, 105, 108, 134])
def test_a_table_drawn_without_rules_is_never_misread_nor_blamed(seed: int, tmp_path: Path) -> None:
    """Some exports print tables with no ruling lines: the reader sees only text, whose cells
    of neighbouring columns run together. What it reads must be right, and what it cannot
    read must not come back as an error (missing rows, a table printed twice, 万元 read as 元)."""
    from unittest import mock

    from auditor.pipeline import AuditOptions, audit_file

    with (
        mock.patch.object(Canvas, "rect", lambda *a, **k: None),
        mock.patch.object(Canvas, "line", lambda *a, **k: None),
    ):
        made, data = report_pdf(seed, blanks=False)
    path = tmp_path / "borderless.pdf"
    path.write_bytes(data)
    record = audit_file(path, AuditOptions())
    read = {k: c["value"] for k, c in record["cells"].items() if c.get("state") == "number"}
    assert read and all(read[k] == made.cells[k] for k in read if k in made.cells)
    # The report is clean: any error would blame the body for what was not read (TBL-005…).
    assert not [(f["rule"], f["message"]) for f in record["findings"] if f["severity"] == "error"]


def test_tables_printed_as_images_in_a_pdf_make_it_unauditable(tmp_path: Path) -> None:
    """A PDF whose text is there but whose tables are pictures: no 表缺失 error, no score."""
    from PIL import Image

    from auditor.findings.verdict import verdict_for
    from auditor.pipeline import read_report

    picture = tmp_path / "table.png"
    Image.new("RGB", (600, 240), "white").save(picture)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    y = A4[1] - 80
    lines = [
        "青溪县水利局2023年政府信息公开工作年度报告",
        "一、总体情况",
        "2023年，我局认真落实政务公开各项要求。",
        "二、主动公开政府信息情况",
        "<table>",
        "三、收到和处理政府信息公开申请情况",
        "<table>",
        "四、政府信息公开行政复议、行政诉讼情况",
        "<table>",
        "五、存在的主要问题及改进情况",
        "存在问题：解读形式单一。改进措施：丰富解读形式。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ]
    for line in lines:
        if line == "<table>":
            if y < 200:
                canvas.showPage()
                y = A4[1] - 80
            canvas.drawImage(str(picture), 72, y - 120, width=400, height=120)
            y -= 140
            continue
        canvas.setFont(FONT, 12)
        canvas.drawString(72, y, line)
        y -= 24
    canvas.save()
    path = tmp_path / "pictures.pdf"
    path.write_bytes(out.getvalue())
    report = read_report(path)
    assert report.lines.count("［图片］") == 3
    verdict = verdict_for(report)
    assert verdict.status == "unauditable" and "统计表格为图片" in verdict.reason
