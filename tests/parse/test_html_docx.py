"""HTML pages and DOCX files: tables with rowspan/colspan and blank cells keep exact positions."""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import pytest

from auditor.model.serialize import report_record
from auditor.model.template import load_template
from auditor.pipeline import AuditOptions, audit_file, parse_bytes, read_report
from auditor.text.decode import MAX_LINE_CHARS

HEAD = "<html><head><title>x</title><style>td{}</style><script>var a='<td>9</td>';</script></head><body>"


def _values(fmt: str, seed: int) -> dict[str, int | None]:
    rng = random.Random(seed)
    keys = load_template(fmt).keys()
    return {k: (None if rng.random() < 0.15 else rng.randint(0, 40)) for k in keys}


def _html_report(fmt: str, values: dict[str, int | None]) -> str:
    t = load_template(fmt)
    show = lambda k: "" if values[k] is None else str(values[k])  # noqa: E731
    parts = [
        HEAD,
        "<h1>青川县人民政府2023年政府信息公开工作年度报告</h1>",
        "<p>一、总体情况</p>",
        "<p>2023年，青川县人民政府坚持公开为常态。</p>",
        "<p>二、主动公开政府信息情况</p><table>",
    ]
    disclosure = t.tables["disclosure"]
    for caption, cols in disclosure.column_labels.items():
        parts.append(f'<tr><td colspan="4">{caption}</td></tr>')
        parts.append("<tr><td>信息内容</td>" + "".join(f"<td>{v[0]}</td>" for v in cols.values()) + "</tr>")
        for row in disclosure.rows.values():
            if row.caption == caption:
                cells = "".join(f"<td>{show(f'disclosure.{row.key}.{c}')}</td>" for c in row.columns)
                parts.append(f"<tr><td>{row.labels[0]}</td>{cells}</tr>")
    parts.append("</table><p>三、收到和处理政府信息公开申请情况</p><table>")
    requests = t.tables["requests"]
    cols = list(requests.column_labels[""])
    parts.append(
        '<tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
        '<td colspan="7">申请人情况</td></tr>'
    )
    parts.append('<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>')
    parts.append("<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>")
    groups_done: set[str] = set()
    for row in requests.rows.values():
        cells = "".join(f"<td>{show(f'requests.{row.key}.{c}')}</td>" for c in cols)
        lead = ""
        if row.group and row.group not in groups_done:
            groups_done.add(row.group)
            lead = f'<td rowspan="3">{requests.groups[row.group][0]}</td>'
        label = row.labels[0]
        span = ' colspan="3"' if row.key in ("received", "carried_in", "carried_over") else ""
        parts.append(f"<tr>{lead}<td{span}>{label}</td>{cells}</tr>")
    parts.append("</table><p>四、政府信息公开行政复议、行政诉讼情况</p><table>")
    parts.append('<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>')
    parts.append(
        "<tr>"
        + "".join(f'<td rowspan="2">{v[0]}</td>' for v in t.tables["appeals"].column_labels[""].values())
        + '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>'
    )
    parts.append(
        "<tr>" + "".join(f"<td>{v[0]}</td>" for v in t.tables["appeals"].column_labels[""].values()) * 2 + "</tr>"
    )
    parts.append("<tr>" + "".join(f"<td>{show(k)}</td>" for k in t.keys("appeals")) + "</tr></table>")
    parts.append(
        "<p>五、存在的主要问题及改进情况</p><p>问题与改进。</p><p>六、其他需要报告的事项</p><p>无。</p></body></html>"
    )
    return "\n".join(parts)


def _check(record: dict[str, object], values: dict[str, int | None]) -> None:
    cells = record["cells"]
    assert isinstance(cells, dict)
    for key, expected in values.items():
        assert cells[key]["value"] == expected, key
        assert cells[key]["state"] == ("blank" if expected is None else "number"), key


def test_html_tables_keep_exact_positions(tmp_path: Path) -> None:
    for seed in range(5):
        values = _values("2021", seed)
        f = tmp_path / f"r{seed}.html"
        f.write_text(_html_report("2021", values), encoding="utf-8")
        record = report_record(read_report(f))
        assert record["source"]["layout"] == "html"
        assert record["meta"]["format"] == "2021"
        assert record["meta"]["year"] == 2023
        _check(record, values)


def test_docx_tables_keep_exact_positions(tmp_path: Path) -> None:
    from docx import Document

    values = _values("2019", 7)
    t = load_template("2019")
    doc = Document()
    doc.add_paragraph("临江市生态环境局2020年政府信息公开工作年度报告")
    for heading in ("一、总体情况", "二、主动公开政府信息情况"):
        doc.add_paragraph(heading)
    table = doc.add_table(rows=0, cols=4)
    for caption, cols in t.tables["disclosure"].column_labels.items():
        r = table.add_row().cells
        r[0].merge(r[3]).text = caption
        r = table.add_row().cells
        for i, label in enumerate(["信息内容", *(v[0] for v in cols.values())]):
            r[i].text = label
        for row in t.tables["disclosure"].rows.values():
            if row.caption == caption:
                r = table.add_row().cells
                r[0].text = row.labels[0]
                for i, c in enumerate(row.columns, 1):
                    v = values[f"disclosure.{row.key}.{c}"]
                    r[i].text = "" if v is None else str(v)
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    doc.add_paragraph("六、其他需要报告的事项")
    buf = io.BytesIO()
    doc.save(buf)
    f = tmp_path / "r.docx"
    f.write_bytes(buf.getvalue())
    record = report_record(read_report(f))
    assert record["source"]["layout"] == "docx"
    assert record["meta"]["format"] == "2019"
    # The 4-column physical table leaves the 4th cell of 2-column blocks empty.
    for key, expected in values.items():
        if key.startswith("disclosure."):
            assert record["cells"][key]["value"] == expected, key


def test_broken_docx_is_a_problem(tmp_path: Path) -> None:
    f = tmp_path / "bad.docx"
    f.write_bytes(b"PK\x03\x04not really a zip")
    record = report_record(read_report(f))
    assert record["problems"][0]["code"] == "bad_docx"


def test_a_minified_page_on_one_long_line_keeps_exact_positions(tmp_path: Path) -> None:
    # Long lines are wrapped for the text parser, never inside markup (a tag cut in two).
    values = _values("2021", 3)
    page = _html_report("2021", values).replace("\n", "")
    at = page.index("<table>")
    padding = "<p>" + "说" * (MAX_LINE_CHARS - 3 - at - 7) + "</p>"  # a cut would fall inside <table>
    f = tmp_path / "minified.html"
    f.write_text(page[:at] + padding + page[at:], encoding="utf-8")
    record = report_record(read_report(f))
    _check(record, values)


def test_cms_page_reads_the_article_and_its_metadata_not_the_chrome() -> None:
    """A whole CMS page: the marked article only, the date from <meta name="PubDate">."""
    from pathlib import Path

    from auditor.pipeline import read_report

    page = Path(__file__).resolve().parents[2] / "examples" / "2024_qingxi_county_cms_page.html"
    report = read_report(page)
    assert report.meta.published is not None and report.meta.published.isoformat() == "2025-03-14"
    assert report.meta.agency == "青溪县人民政府"
    assert not any("网站地图" in line or "首页" in line for line in report.lines)  # navigation and footer left out
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert len([c for c in report.cells.values() if c.state.value == "number"]) == 200
    # The footer's link list ends in 其他, a table-三 column label: it must not start a table.
    assert not [p for p in report.problems if p.code in ("stray_value", "table_repeated")]


def test_a_page_title_gives_the_report_title_without_the_sites_names(tmp_path: Path) -> None:
    # An article extracted from its page (readability) keeps only the page's <title>, which
    # adds the column's and the site's names after underscores.
    page = (Path(__file__).resolve().parents[2] / "examples" / "2024_qingxi_county_cms_page.html").read_text("utf-8")
    start, end = page.index('<div class="TRS_Editor">'), page.rindex("</div>")
    extracted = (
        "<html><head><title>青溪县人民政府2024年政府信息公开工作年度报告_政府信息公开年报_青溪县人民政府门户网站"
        f"</title></head><body>{page[start:end]}</div></body></html>"
    )
    (tmp_path / "article.html").write_text(extracted, encoding="utf-8")
    report = read_report(tmp_path / "article.html")
    assert report.meta.title == "青溪县人民政府2024年政府信息公开工作年度报告"
    assert (report.meta.agency, report.meta.year) == ("青溪县人民政府", 2024)


_ATTACHED_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="青溪县水利局2020年政府信息公开工作年度报告">
<meta name="PubDate" content="2021-01-20 09:12"></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>
<div class="article_content"><div class="TRS_Editor"><p>青溪县水利局2020年政府信息公开工作年度报告</p></div></div>
<div class="article_attachment"><ul><li><a href="./P020210120391.doc">
青溪县水利局2020年政府信息公开工作年度报告.doc</a></li></ul></div>
<div class="footer"><a href="/sqb.doc">政府信息公开申请表</a></div></body></html>
"""


def test_a_page_holding_only_the_title_names_the_attached_report(tmp_path: Path) -> None:
    """The report is a file linked from the page: not audited, and the inspector is told which."""
    from auditor.findings.verdict import verdict_for

    page = tmp_path / "attached.html"
    page.write_text(_ATTACHED_PAGE, encoding="utf-8")
    report = read_report(page)
    verdict = verdict_for(report)
    assert verdict.status == "unauditable"
    assert "报告全文在网页的附件中" in verdict.reason
    assert "青溪县水利局2020年政府信息公开工作年度报告.doc" in verdict.reason


def test_a_page_holding_the_report_and_its_original_as_a_file_is_read_as_usual() -> None:
    from auditor.text.readers.html import html_document

    page = Path(__file__).resolve().parents[2] / "examples" / "2024_qingxi_county_cms_page.html"
    html = page.read_text(encoding="utf-8").replace(
        "</body>", '<div class="attach"><a href="./P0202503.pdf">年度报告原件.pdf</a></div></body>'
    )
    assert "年度报告原件.pdf" in html
    assert not [n for n in html_document(html).notices if n.code == "attachment_only"]


def test_word_example_reads_every_cell_through_merged_cells() -> None:
    """The bundled Word report (tests/examplegen.py): merged header and label cells, as the
    official template has them, and every table value of the report it was made from."""
    import zipfile

    from tests import reportgen

    path = Path(__file__).resolve().parents[2] / "examples" / "2023_shimen_county_word.docx"
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert "w:gridSpan" in xml and "w:vMerge" in xml
    report = read_report(path)
    made = reportgen.make_report(2312, agency="石门县人民政府", year=2023, layout="tab", blanks=False)
    assert {k: c.value for k, c in report.cells.items()} == made.cells
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert (report.meta.agency, report.meta.year, report.meta.format) == ("石门县人民政府", 2023, "2021")
    assert report.meta.published is not None and report.meta.published.isoformat() == "2024-03-12"
    assert report.source.layout == "docx"


def _word_report(path: Path, pictured: set[int]) -> None:
    """A generated report as a Word file whose tables number ``pictured`` (0 = 表二, 1 = 表三,
    2 = 表四) are pasted as pictures, the others typed as Word tables."""
    from docx import Document as WordDocument
    from docx.shared import Inches
    from PIL import Image

    from tests import reportgen

    picture = path.with_suffix(".png")
    Image.new("RGB", (120, 40), "white").save(picture)
    made = reportgen.make_report(2312, agency="石门县人民政府", year=2023, layout="tab", blanks=False)
    document = WordDocument()
    rows: list[list[str]] = []
    count = 0

    def put_table() -> None:
        nonlocal count
        if not rows:
            return
        if count in pictured:
            document.add_paragraph().add_run().add_picture(str(picture), width=Inches(5))
        else:
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value.strip()
        rows.clear()
        count += 1

    for line in made.text.split("\n"):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        put_table()
        if line.strip():
            document.add_paragraph(line.strip())
    put_table()
    document.save(str(path))


def test_tables_pasted_as_pictures_make_a_report_unauditable(tmp_path: Path) -> None:
    """Nothing of the tables can be read: no 表缺失 error, no score, and the reason."""
    from auditor.findings.verdict import verdict_for

    path = tmp_path / "pictures.docx"
    _word_report(path, {0, 1, 2})
    report = read_report(path)
    assert not report.cells
    verdict = verdict_for(report)
    assert verdict.status == "unauditable" and "统计表格为图片" in verdict.reason


def test_one_table_as_a_picture_is_not_evaluated_not_missing(tmp_path: Path) -> None:
    from auditor.pipeline import AuditOptions, audit_file

    path = tmp_path / "one_picture.docx"
    _word_report(path, {1})  # 表三 pasted as a picture, 表二 and 表四 typed
    record = audit_file(path, AuditOptions())
    assert record["verdict"]["status"] == "scored"
    assert not [f for f in record["findings"] if f["rule"] in ("TBL-004", "TBL-005")]
    skipped = {n["rule"]: n["reason"] for n in record["not_evaluated"]}
    assert "印有图片，表三可能在其中" in skipped["TBL-004"]


def test_html_tables_as_images_make_a_report_unauditable(tmp_path: Path) -> None:
    from auditor.findings.verdict import verdict_for

    parts = [
        "<p>一、总体情况</p><p>2023年，我局认真落实政务公开各项要求。</p>",
        '<p>二、主动公开政府信息情况</p><p><img src="./t2.png" alt=""></p>',
        '<p>三、收到和处理政府信息公开申请情况</p><p><img src="./t3.png"></p>',
        '<p>四、政府信息公开行政复议、行政诉讼情况</p><p><img src="./t4.png"></p>',
        "<p>五、存在的主要问题及改进情况</p><p>存在问题：解读形式单一。改进措施：丰富解读形式。</p>",
        "<p>六、其他需要报告的事项</p><p>本年度未收取信息处理费。</p>",
    ]
    page = tmp_path / "images.html"
    page.write_text(
        '<html><body><div class="TRS_Editor"><p>青溪县水利局2023年政府信息公开工作年度报告</p>'
        + "".join(parts)
        + "</div></body></html>",
        encoding="utf-8",
    )
    verdict = verdict_for(read_report(page))
    assert verdict.status == "unauditable" and "统计表格为图片" in verdict.reason


def test_a_word_report_wrapped_in_a_layout_table_reads_as_if_unwrapped(tmp_path: Path) -> None:
    """Documents copied from web pages often hold the whole report in one table cell: that
    table is layout, its paragraphs and tables are read in their place."""
    import copy

    from docx import Document as WordDocument

    example = Path(__file__).resolve().parents[2] / "examples" / "2023_shimen_county_word.docx"
    wrapped = WordDocument()
    cell = wrapped.add_table(rows=1, cols=1).cell(0, 0)
    cell._tc.remove(cell.paragraphs[0]._p)
    for element in WordDocument(str(example)).element.body.iterchildren():
        if not element.tag.endswith("sectPr"):
            cell._tc.append(copy.deepcopy(element))
    path = tmp_path / "wrapped.docx"
    wrapped.save(str(path))
    plain, inside = read_report(example), read_report(path)
    assert {k: c.value for k, c in inside.cells.items()} == {k: c.value for k, c in plain.cells.items()}
    assert [s.number for s in inside.sections] == [1, 2, 3, 4, 5, 6]
    assert inside.lines == plain.lines


def test_a_page_laid_out_with_tables_reads_its_article_and_data_tables(tmp_path: Path) -> None:
    """Older sites set the whole article in a table cell: that table is layout, and the
    article's paragraphs and statistical tables inside it are read as if it were not there."""
    page = Path(__file__).resolve().parents[2] / "examples" / "2024_qingxi_county_cms_page.html"
    html = page.read_text(encoding="utf-8")
    start = html.index('<div class="TRS_Editor">')
    end = html.index("</div>", html.rindex("<p>青溪县人民政府</p>"))
    inner = html[start + len('<div class="TRS_Editor">') : end]
    laid_out = tmp_path / "laid_out.html"
    laid_out.write_text(
        html[:start] + '<table width="100%"><tr><td class="main">' + inner + "</td></tr></table>" + html[end + 6 :],
        encoding="utf-8",
    )
    plain, inside = read_report(page), read_report(laid_out)
    assert [s.number for s in inside.sections] == [1, 2, 3, 4, 5, 6]
    assert {k: c.value for k, c in inside.cells.items()} == {k: c.value for k, c in plain.cells.items()}
    assert [line for line in inside.lines if "。" in line] == [line for line in plain.lines if "。" in line]


def test_a_table_continued_with_its_header_rows_repeated(tmp_path: Path) -> None:
    """A long table 三 split in two (续表), the second part repeating the header rows: its
    总计 column header is no （七）总计 row, and every cell reads as in one table."""
    page = Path(__file__).resolve().parents[2] / "examples" / "2024_qingxi_county_cms_page.html"
    html = page.read_text(encoding="utf-8")
    start = html.index("<p>三、收到和处理政府信息公开申请情况</p><table")
    end = html.index("</table>", start)
    rows = html[start:end].split("<tr>")
    cut = next(k for k, r in enumerate(rows) if "（四）无法提供" in r)
    second = '</table><p>（续表）</p><table border="1"><tr>' + "<tr>".join(rows[1:4] + rows[cut:])
    split = tmp_path / "split.html"
    split.write_text(html[:start] + "<tr>".join(rows[:cut]) + second + html[end:], encoding="utf-8")
    plain, continued = read_report(page), read_report(split)
    assert {k: c.value for k, c in continued.cells.items()} == {k: c.value for k, c in plain.cells.items()}
    assert not [p for p in continued.problems if p.code == "row_repeated"]


def test_docx_content_controls_are_read_in_place(tmp_path: Path) -> None:
    # Templates wrap parts of a report in content controls (w:sdt): their text and tables
    # are the report's own.
    from docx import Document
    from docx.oxml import OxmlElement

    doc = Document()
    doc.add_paragraph("临江市生态环境局2023年政府信息公开工作年度报告")
    doc.add_paragraph("一、总体情况")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "行政处罚", "12"
    heading = doc.add_paragraph("二、主动公开政府信息情况")
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    sdt.append(content)
    heading._p.addprevious(sdt)
    for element in (heading._p, table._tbl):
        content.append(element)
    buf = io.BytesIO()
    doc.save(buf)
    f = tmp_path / "controls.docx"
    f.write_bytes(buf.getvalue())
    report = read_report(f)
    assert 2 in [s.number for s in report.sections]
    assert report.cells["disclosure.penalty.decisions"].value == 12


def test_a_text_box_stored_twice_is_read_once(tmp_path: Path) -> None:
    # Word keeps a text box as a drawing and, for old readers, an mc:Fallback copy of it.
    from docx import Document
    from docx.oxml import parse_xml

    box = "临江市生态环境局2023年政府信息公开工作年度报告"
    ns = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    )
    run = f"<w:r><w:t>{box}</w:t></w:r>"
    paragraph = parse_xml(
        f'<w:p {ns}><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:p>{run}</w:p></mc:Choice>'
        f"<mc:Fallback><w:p>{run}</w:p></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    doc = Document()
    doc.element.body.insert(0, paragraph)
    doc.add_paragraph("一、总体情况")
    buf = io.BytesIO()
    doc.save(buf)
    f = tmp_path / "box.docx"
    f.write_bytes(buf.getvalue())
    report = read_report(f)
    assert report.meta.title == box
    assert report.meta.agency == "临江市生态环境局"


@pytest.mark.parametrize(
    "html",
    ["<table><tr><td>a<table></td></tr></table>", "<table><td>a<table></td>", "<table></tr><td>x<table></td>"],
)
def test_a_table_left_open_inside_a_cell_is_no_crash(html: str) -> None:
    # Markup in the wild (and converters' HTML tables in markdown) leaves tables open.
    from auditor.text.readers.html import html_document

    html_document(html)
    page = f"<p>二、主动公开政府信息情况</p>{html}"
    assert [s.number for s in parse_bytes(page.encode("utf-8"), "page.md").sections] == [2]


def test_a_table_missing_its_last_column_shifts_no_value(tmp_path: Path) -> None:
    # A PDF of a table wider than its page prints only the columns the page holds; a page
    # may lose a column the same way. The header rows lack the label cell that spans them,
    # so a header's position is no data row's: the values after each label keep no column
    # rather than slide one column left, and nothing is blamed on the body.
    values = _values("2021", 3)
    page = _html_report("2021", values)
    start, end = page.index("三、收到和处理"), page.index("四、政府信息公开行政复议")
    table = re.sub(r"<td[^>]*>[^<]*</td></tr>", "</tr>", page[start:end])
    f = tmp_path / "cut.html"
    f.write_text(page[:start] + table + page[end:], encoding="utf-8")
    record = report_record(read_report(f))
    cells = record["cells"]
    assert isinstance(cells, dict)
    for key in load_template("2021").keys("requests"):
        cell = cells.get(key)
        assert cell is None or cell["state"] == "unplaced" or cell["value"] == values[key], key
    audited = audit_file(f, AuditOptions())
    assert not [x for x in audited["findings"] if x["severity"] == "error" and "requests" in str(x["cells"])]


def test_a_row_lacking_its_last_cells_leaves_them_unread_not_blank(tmp_path: Path) -> None:
    # Beside full rows, a row printing fewer cells than the table has columns (its last
    # cells cut off at a PDF page's edge, or lost by a page) does not end in blanks: the
    # cells it lacks are not read, and neither are the values whose column that leaves open.
    values = {k: (v if v is not None else 7) for k, v in _values("2021", 5).items()}
    page = _html_report("2021", values)
    cut_rows = ("一、本年新收政府信息公开申请数量", "（一）予以公开")
    for label in cut_rows:
        row_start = page.index(label)
        row_end = page.index("</tr>", row_start)
        page = page[:row_start] + re.sub(r"<td>[^<]*</td>$", "", page[row_start:row_end]) + page[row_end:]
    f = tmp_path / "short.html"
    f.write_text(page, encoding="utf-8")
    cells = report_record(read_report(f))["cells"]
    assert isinstance(cells, dict)
    for row in ("received", "granted"):
        assert cells[f"requests.{row}.total"]["state"] != "blank"
        assert all(cells[f"requests.{row}.{c}"]["state"] == "unplaced" for c in ("natural_person", "total"))
    assert cells["requests.carried_in.total"]["value"] == values["requests.carried_in.total"]
