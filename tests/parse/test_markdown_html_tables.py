"""Markdown from a PDF converter that writes its tables as HTML (``<table>…</table>`` among
the markdown lines, as MinerU and similar tools do): each table reads as the grid it is;
and pipe tables whose cells keep their line breaks as ``<br>``."""

from __future__ import annotations

import re

import pytest

from auditor.pipeline import AuditOptions, audit_report, parse_bytes
from tests.reportgen import make_report

_DELIMITER = re.compile(r"^\|[-| :]+\|$")


def _html_tables(markdown: str, *, one_line: bool) -> str:
    """The markdown with every pipe table written as an HTML table."""
    out: list[str] = []
    table: list[str] = []

    def flush() -> None:
        if not table:
            return
        rows = [
            "<tr>" + "".join(f"<td>{c.strip()}</td>" for c in r.strip().strip("|").split("|")) + "</tr>"
            for r in table
            if not _DELIMITER.match(r)
        ]
        out.extend(
            ["<html><body><table>" + "".join(rows) + "</table></body></html>"]
            if one_line
            else ["<table>", *rows, "</table>"]
        )
        table.clear()

    for line in markdown.split("\n"):
        if line.startswith("|"):
            table.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out)


@pytest.mark.parametrize("one_line", [True, False], ids=["one line", "a row per line"])
@pytest.mark.parametrize("seed", [5, 13])
def test_html_tables_in_markdown_read_every_cell(seed: int, one_line: bool) -> None:
    generated = make_report(seed, fmt="2021", year=2023, layout="markdown", label_noise=False)
    report = parse_bytes(_html_tables(generated.text, one_line=one_line).encode("utf-8"), "converted.md")
    read = {k: c.value for k, c in report.cells.items() if c.state.value in ("number", "blank")}
    assert read == generated.cells
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]


def _wrapped_cells(markdown: str) -> str:
    """Every pipe-table cell of five characters or more broken in two by a <br>, as a
    converter keeps a cell's line break (labels, and numbers in narrow cells)."""
    out = []
    for line in markdown.split("\n"):
        if line.startswith("|") and not _DELIMITER.match(line):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            cells = [c if len(c) < 5 else f"{c[: len(c) // 2]}<br>{c[len(c) // 2 :]}" for c in cells]
            line = "| " + " | ".join(cells) + " |"
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize(("seed", "fmt", "year"), [(0, "2019", 2020), (3, "2021", 2023), (8, "2019", 2020)])
def test_cells_wrapped_with_br_read_as_one_text(seed: int, fmt: str, year: int) -> None:
    generated = make_report(seed, fmt=fmt, year=year, layout="markdown", label_noise=False)
    report = parse_bytes(_wrapped_cells(generated.text).encode("utf-8"), "converted.md")
    assert report.meta.format == fmt
    read = {k: c.value for k, c in report.cells.items() if c.state.value in ("number", "blank")}
    assert read == generated.cells


@pytest.mark.parametrize("picture", ["![](images/8f3a2c1d.jpg)", '<img src="table3.png" alt="表三">'])
def test_a_table_the_converter_left_as_a_picture_is_not_evaluated_not_missing(picture: str) -> None:
    generated = make_report(3, fmt="2021", year=2023, layout="markdown", label_noise=False)
    out, part, pictured = [], None, False
    for line in generated.text.split("\n"):
        part = 3 if "三、收到和处理政府信息公开申请情况" in line else 4 if "四、政府信息公开行政复议" in line else part
        if line.startswith("|") and part == 3:
            out += [] if pictured else [picture]
            pictured = True
            continue
        out.append(line)
    record = audit_report(parse_bytes("\n".join(out).encode("utf-8"), "converted.md"), AuditOptions())
    assert not [f for f in record["findings"] if f["rule"] == "TBL-004"]
    reasons = [n["reason"] for n in record["not_evaluated"] if n["rule"] == "TBL-004"]
    assert reasons and "图片" in reasons[0]


def _generated_markdown(seed: int) -> tuple[list[str], dict[str, int | float | None]]:
    generated = make_report(seed, fmt="2021", year=2023, layout="markdown", label_noise=False)
    return generated.text.split("\n"), dict(generated.cells)


def test_a_row_label_cut_by_a_page_break_is_known_by_its_list_number_and_stem() -> None:
    # pymupdf4llm ends a table at a page break: the row keeps "2.没有现成" beside its values,
    # the rest of its label opens the next page's table, in a header of placeholders.
    lines, cells = _generated_markdown(11)
    i = next(n for n, line in enumerate(lines) if "2.没有现成信息需要另行制作" in line)
    lines[i] = lines[i].replace("2.没有现成信息需要另行制作", "2.没有现成")
    lines[i + 1 : i + 1] = ["", "", "|Col1|Col2|信息需要另行制作|" + "|".join(f"Col{n}" for n in range(4, 11)) + "|"]
    lines.insert(i + 4, "|" + "---|" * 10)
    report = parse_bytes("\n".join(lines).encode(), "cut.md")
    row = "requests.unable.needs_creation"
    assert {k: c.value for k, c in report.cells.items() if k.startswith(row)} == {
        k: v for k, v in cells.items() if k.startswith(row)
    }
    assert not [p for p in report.problems if p.code == "row_loose"]


# pymupdf4llm's markdown of a PDF whose table 三 ran past the page's right edge (总计 never
# printed): a later block has one more empty field before its labels than the header block.
_CUT_TABLE = """三、收到和处理政府信息公开申请情况

|（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）|Col2|申请人情况|Col4|Col5|Col6|Col7|Col8|
|---|---|---|---|---|---|---|---|
|（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）|（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）|自然人|商业企业|科研机构|社会公益组织|法律服务机构|其他|
|一、本年新收政府信息公开申请数量|一、本年新收政府信息公开申请数量|9||||||
|二、上年结转政府信息公开申请数量|二、上年结转政府信息公开申请数量|0||||||
|三、本年|（一）予以公开|9||||||


|Col1|Col2|费用、行政机关不再处理其政府信息公开申请|Col4|Col5|Col6|Col7|Col8|Col9|
|---|---|---|---|---|---|---|---|---|
|||3.其他|0||||||
||（七）总计|（七）总计|9||||||
|四、结转下年度继续办理|四、结转下年度继续办理|四、结转下年度继续办理|0||||||
"""


def test_a_rows_own_label_where_a_header_put_the_first_value_places_nothing() -> None:
    # The header block says 自然人 is field 2; in the later block field 2 holds the row's own
    # label, so that is not where its values start: nothing slides into another column.
    report = parse_bytes(_CUT_TABLE.encode(), "cut.md")
    total = {k.rsplit(".", 1)[1]: c for k, c in report.cells.items() if k.startswith("requests.results_total.")}
    assert total and all(c.state.value == "unplaced" for c in total.values())


def test_a_label_in_a_converters_header_line_beside_empty_fields_is_no_row_of_blanks() -> None:
    # markitdown and pymupdf4llm open every table they cut at a page break with a header
    # line: a row label there beside empty fields has its values printed elsewhere.
    lines, _ = _generated_markdown(11)
    i = next(n for n, line in enumerate(lines) if "2.申请人逾期未按收费通知" in line)
    label = next(f.strip() for f in lines[i].split("|") if "2.申请人逾期" in f)
    lines[i : i + 1] = ["", f"|  |  | {label} |" + "  |" * 7, "|" + "---|" * 10]
    report = parse_bytes("\n".join(lines).encode(), "header.md")
    row = {k: c.state.value for k, c in report.cells.items() if k.startswith("requests.other.unpaid_fee.")}
    assert "blank" not in row.values()


def _spans_repeated(markdown: str) -> str:
    """The markdown as converters that print a spanned cell once in every column it spans
    (docling's export, for one) write it: each empty field takes the text before it."""
    out = []
    for line in markdown.split("\n"):
        if line.startswith("|") and not _DELIMITER.match(line):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            for i in range(1, len(cells)):
                cells[i] = cells[i] or cells[i - 1]
            line = "| " + " | ".join(cells) + " |"
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize(("fmt", "year"), [("2019", 2020), ("2021", 2023)])
@pytest.mark.parametrize("seed", [0, 2, 7])
def test_a_spanned_cell_printed_in_each_column_it_spans_is_read_once(seed: int, fmt: str, year: int) -> None:
    # ``| 信息内容 | 采购项目数量 | 采购总金额 | 采购总金额 |`` over ``| 政府集中采购 | 3 |
    # 147230元 | 147230元 |``: the last column only repeats the one before it, in every row
    # of its sub-table, so the row holds two values, not three.
    generated = make_report(seed, fmt=fmt, year=year, layout="markdown", blanks=False, label_noise=False)
    report = parse_bytes(_spans_repeated(generated.text).encode("utf-8"), "converted.md")
    read = {k: c.value for k, c in report.cells.items() if c.state.value in ("number", "blank")}
    assert read == generated.cells


def _pipe_tables(markdown: str) -> list[tuple[int, int]]:
    """(first, end) line ranges of the pipe tables of the markdown."""
    lines = markdown.split("\n")
    ranges, n = [], 0
    while n < len(lines):
        if lines[n].startswith("|"):
            end = n
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            ranges.append((n, end))
            n = end
        else:
            n += 1
    return ranges


def _as_grid_tables(markdown: str, *, breaks: bool) -> str:
    """Every pipe table as a grid table the way pandoc writes one from a web page: cells
    wrapped at six characters over the lines of their row (with pandoc's ``\\`` line break
    at the end of each piece but the last when ``breaks``), rows between borders."""
    lines = markdown.split("\n")
    out: list[str] = []
    at = 0
    for first, end in _pipe_tables(markdown):
        out += lines[at:first]
        table = [r for r in lines[first:end] if not _DELIMITER.match(r)]
        rows = [[c.strip() for c in r.strip().strip("|").split("|")] for r in table]
        border = "+" + "+".join("-" * 14 for _ in rows[0]) + "+"
        out.append(border)
        for cells in rows:
            pieces = [[c[i : i + 6] for i in range(0, len(c), 6)] or [""] for c in cells]
            height = max(len(p) for p in pieces)
            for k in range(height):
                texts = [p[k] + ("\\" if breaks and k < len(p) - 1 else "") if k < len(p) else "" for p in pieces]
                out.append("| " + " | ".join(t.ljust(12) for t in texts) + " |")
            out.append(border)
        at = end
    return "\n".join(out + lines[at:])


@pytest.mark.parametrize("breaks", [False, True], ids=["wrapped", "pandoc line breaks"])
@pytest.mark.parametrize(("seed", "fmt", "year"), [(1, "2019", 2020), (4, "2021", 2023), (9, "2021", 2024)])
def test_grid_tables_with_cells_wrapped_over_lines_read_every_cell(
    seed: int, fmt: str, year: int, breaks: bool
) -> None:
    # ``| 其他对 | 0 |`` / ``| 外管理服务事项 | |``: one row of two lines, not a row and a
    # row of blanks.
    generated = make_report(seed, fmt=fmt, year=year, layout="markdown", label_noise=False)
    report = parse_bytes(_as_grid_tables(generated.text, breaks=breaks).encode("utf-8"), "pandoc.md")
    read = {k: c.value for k, c in report.cells.items() if c.state.value in ("number", "blank")}
    assert read == generated.cells


def test_a_table_the_converter_left_out_as_a_placeholder_is_not_evaluated_not_missing() -> None:
    # pandoc's plain text prints ``[TABLE]`` for a table with merged cells it cannot draw.
    generated = make_report(3, fmt="2021", year=2023, layout="markdown", label_noise=False)
    lines = generated.text.split("\n")
    tables = _pipe_tables(generated.text)
    first, end = next((a, b) for a, b in tables if any("予以公开" in line for line in lines[a:b]))
    text = "\n".join([*lines[:first], "[TABLE]", *lines[end:]])
    record = audit_report(parse_bytes(text.encode("utf-8"), "pandoc.txt"), AuditOptions())
    assert not [f for f in record["findings"] if f["rule"] in ("TBL-004", "TBL-005")]
    reasons = [n["reason"] for n in record["not_evaluated"] if n["rule"] == "TBL-004"]
    assert reasons and "[TABLE]" in reasons[0]


def _styled(text: str) -> str:
    """Text as pandoc's markdown keeps a Word-made page's inline styles: in spans with
    attributes, split where the page's own spans split it, an empty span after."""
    if not text.strip():
        return text
    half = len(text) // 2
    style = '{style="font-family: 微软雅黑;"}'
    inner = f"[{text[:half]}]{style}[{text[half:]}]{style}[]{style}"
    return f"[{inner}]{style}" if len(text) % 2 else inner  # spans inside a span, too


def test_pandoc_span_attributes_and_div_fences_are_not_part_of_the_text() -> None:
    # ``[三、收到和处理]{style="…"}[政府信息公开申请情况]{style="…"}[]{style="…"}``: every
    # paragraph and cell in spans, paragraphs in ``::: {style="…"}`` fenced divs.
    generated = make_report(6, fmt="2021", year=2023, layout="markdown", label_noise=False)
    styled = []
    for line in generated.text.split("\n"):
        if _DELIMITER.match(line):
            styled.append(line)
        elif line.startswith("|"):
            styled.append("| " + " | ".join(_styled(c.strip()) for c in line.strip().strip("|").split("|")) + " |")
        else:
            styled += ['::: {style="text-indent: 2em;" align=""}', _styled(line), ":::"]
    report = parse_bytes("\n".join(styled).encode("utf-8"), "pandoc.md")
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert report.meta.year == 2023
    read = {k: c.value for k, c in report.cells.items() if c.state.value in ("number", "blank")}
    assert read == generated.cells


def _raw_html_kept(markdown: str) -> str:
    """The markdown as pandoc's GitHub markdown writes a CMS page: the page's divs kept as raw
    HTML (the file opens with one), every paragraph in a styled span whose tag breaks over
    two lines, the numbers of the style (``font-size: 19px``) no part of the text."""
    out = ['<div class="warp info_public_bg">', "", '<div class="header menu_hov" style="width: 1200px">', ""]
    for line in markdown.split("\n"):
        if line.strip() and not line.startswith("|"):
            line = f'<span\nstyle="font-family: 宋体;color: #1F2329;font-size: 19px">{line}</span>'
        out.append(line)
    return "\n".join([*out, "", "</div>", "", "</div>"])


def test_markdown_that_keeps_a_pages_raw_html_is_read_as_markdown() -> None:
    generated = make_report(2, fmt="2021", year=2023, layout="markdown", label_noise=False)
    report = parse_bytes(_raw_html_kept(generated.text).encode("utf-8"), "page.md")
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert report.meta.agency == generated.agency and report.meta.year == generated.year
    read = {k: c.value for k, c in report.cells.items() if c.state.value in ("number", "blank")}
    assert read == generated.cells


def test_a_table_that_lost_its_total_column_places_no_value_by_its_empty_fields() -> None:
    # pandoc cut table 三's 总计 column (its header spans were too wide for a pipe table):
    # ``| 三、本年度办理结果 | （一）予以公开 | | 1 | 0 | 0 | 0 | 0 | 0 |``. The empty field is
    # the label's span, not a blank 自然人: the row's six values say no column.
    generated = make_report(2, fmt="2021", year=2023, layout="markdown", blanks=False, label_noise=False)
    lines = generated.text.split("\n")
    tables = _pipe_tables(generated.text)
    first, end = next((a, b) for a, b in tables if any("予以公开" in line for line in lines[a:b]))
    for n in range(first, end):
        cells = lines[n].strip().strip("|").split("|")
        lines[n] = "|" + "|".join(cells[:-1]) + "|"
    record = audit_report(parse_bytes("\n".join(lines).encode("utf-8"), "pandoc.md"), AuditOptions())
    requests = {k: v for k, v in record["cells"].items() if k.startswith("requests.")}
    assert not [k for k, v in requests.items() if v["state"] in ("number", "blank")]
    assert not [f for f in record["findings"] if f["severity"] == "error" and f["rule"].startswith("ROW")]


def test_a_row_a_converter_split_over_two_lines_has_no_blank_cells() -> None:
    # pdfplumber-made markdown (markitdown) put part of a row's values on a line of their
    # own above its label: ``| | 0 | 0 | |`` over ``| 其他对外管理服务事项 | | | 0 |``. The
    # label's line leaves those fields empty, but they are no blank cells.
    generated = make_report(4, fmt="2019", year=2020, layout="markdown", blanks=False, label_noise=False)
    lines = generated.text.split("\n")
    row = next(n for n, line in enumerate(lines) if line.startswith("| 其他对外管理服务事项"))
    cells = lines[row].strip().strip("|").split("|")
    above = ["", *cells[1:3], *[""] * (len(cells) - 3)]
    below = [cells[0], "", "", *cells[3:]]
    lines[row : row + 1] = ["|" + "|".join(above) + "|", "|" + "|".join(below) + "|"]
    report = parse_bytes("\n".join(lines).encode("utf-8"), "markitdown.md")
    row_cells = {k: c for k, c in report.cells.items() if k.startswith("disclosure.other_services.")}
    assert row_cells and not [k for k, c in row_cells.items() if c.state.value == "blank"]
    assert report.cells["disclosure.licensing.prior_items"].value == generated.cells["disclosure.licensing.prior_items"]
