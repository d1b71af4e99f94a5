"""Make the bundled crawler-dump, CMS-page and Word examples from generated reports.

    python -m tests.examplegen examples/

A crawler keeps a page's text on one line with table cells run together (values glued or
space-separated at random); a CMS page wraps the article in navigation, an info table and
a footer whose link lists must not be read as report text; a Word document prints the
tables as Word tables whose header and label cells are merged, as the official template's
are.
"""

from __future__ import annotations

import html
import random
import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table

from tests import reportgen


def crawler_dump(text: str, rng: random.Random, header: str) -> str:
    """A tab-layout report as an archive crawler keeps it: one body line, cells run together."""
    out = []
    for line in text.split("\n"):
        fields = [f for f in line.split("\t") if f.strip()]
        joined = ""
        for field in fields:
            gap = rng.choice(["", " "]) if joined[-1:].isdigit() and field[:1].isdigit() else ""
            joined += gap + field
        out.append(joined)
    return header + "".join(out[1:]) + "\n"


def cms_page(text: str, title: str, published: str, source: str) -> str:
    """A tab-layout report as the article of a CMS page with its site chrome."""
    body: list[str] = []
    rows: list[str] = []

    def close_table() -> None:
        if rows:
            body.append('<table border="1" cellspacing="0">' + "".join(rows) + "</table>")
            rows.clear()

    for line in text.split("\n")[1:]:
        if "\t" in line:
            cells = "".join(f"<td>{html.escape(c)}</td>" for c in line.split("\t"))
            rows.append(f"<tr>{cells}</tr>")
        elif line.strip():
            close_table()
            body.append(f"<p>{html.escape(line.strip())}</p>")
    close_table()
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}_政府信息公开</title>
<meta name="ArticleTitle" content="{html.escape(title)}"/>
<meta name="PubDate" content="{published} 09:30"/>
<meta name="ContentSource" content="{html.escape(source)}"/></head>
<body><div class="header"><ul class="nav"><li>首页</li><li>政务公开</li><li>其他</li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>
<table class="xxgk_info"><tr><td>索引号</td><td>QX-2024-00012</td><td>发布机构</td><td>{html.escape(source)}</td></tr>
<tr><td>公开日期</td><td>{published}</td><td>主题分类</td><td>政府信息公开年报</td></tr></table>
<h1>{html.escape(title)}</h1>
<div class="TRS_Editor">{"".join(body)}</div>
<div class="footer"><ul class="links"><li>其他</li><li>网站地图</li><li>联系我们</li></ul>
<p>主办单位：{html.escape(source)}</p></div></body></html>
"""


def _merge_labels(table: Table, rows: list[list[str]], first_row: int, first_value: int) -> None:
    """Merge each row label cell over the empty label cells right of it and below it, as the
    template's 三、本年度办理结果 and （三）不予公开 cells span their rows."""
    for r in range(first_row, len(rows)):
        for c in range(first_value):
            if not rows[r][c]:
                continue
            right = c
            while right + 1 < first_value and not rows[r][right + 1]:
                right += 1
            down = r
            while (
                down + 1 < len(rows) and not any(rows[down + 1][: c + 1]) and any(rows[down + 1][c + 1 : first_value])
            ):
                down += 1
            if right > c or down > r:
                table.cell(r, c).merge(table.cell(down, right))


# Merged header regions (first row, first column, last row, last column) by table width.
_HEADER_MERGES = {
    # Table 三: the 勾稽 note, 申请人情况, 自然人, 法人或其他组织, 总计.
    10: [(0, 0, 2, 2), (0, 3, 0, 9), (1, 3, 2, 3), (1, 4, 1, 8), (1, 9, 2, 9)],
    # Table 四: 行政复议 over its five columns, 行政诉讼 over its two groups of five.
    15: [(0, 0, 0, 4), *[(1, c, 2, c) for c in range(5)], (0, 5, 0, 14), (1, 5, 1, 9), (1, 10, 1, 14)],
}


def word_document(text: str, path: Path) -> None:
    """A tab-layout report as a Word document: prose paragraphs, the tables as Word tables."""
    document = Document()
    # What Word records of the file's author and dates: the office, the day it was signed.
    props = document.core_properties
    props.author = props.last_modified_by = "石门县人民政府办公室"
    props.created = props.modified = datetime(2024, 3, 12, 9, 0)
    props.title, props.comments = text.split("\n")[0].strip(), ""
    lines = text.split("\n")
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.add_run(lines[0].strip()).bold = True
    block: list[list[str]] = []

    def close_table() -> None:
        if not block:
            return
        width = max(len(r) for r in block)
        rows = [[c.strip() for c in r] + [""] * (width - len(r)) for r in block]
        table = document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        for r1, c1, r2, c2 in _HEADER_MERGES.get(width, []):
            table.cell(r1, c1).merge(table.cell(r2, c2))
        if width == 10:
            _merge_labels(table, rows, first_row=3, first_value=3)
        block.clear()

    for line in lines[1:]:
        if "\t" in line:
            block.append(line.split("\t"))
        elif line.strip():
            close_table()
            document.add_paragraph(line.strip())
    close_table()
    document.save(str(path))


def main(folder: Path) -> None:
    dump = reportgen.make_report(2207, agency="枫亭镇人民政府", year=2022, layout="tab", blanks=False)
    header = f"标题: {dump.title}\n发布时间: 2023-01-12 10:05\n发布机构: \n{'=' * 20} 正文 {'=' * 20}\n"
    (folder / "2022_fengting_town_crawler_dump.txt").write_text(
        crawler_dump(dump.text, random.Random(2207), header), encoding="utf-8"
    )
    page = reportgen.make_report(2411, agency="青溪县人民政府", year=2024, layout="tab", blanks=False)
    (folder / "2024_qingxi_county_cms_page.html").write_text(
        cms_page(page.text, page.title, "2025-03-14", "青溪县人民政府办公室"), encoding="utf-8"
    )
    word = reportgen.make_report(2312, agency="石门县人民政府", year=2023, layout="tab", blanks=False)
    signed = word.text.rstrip("\n") + "\n\n石门县人民政府\n2024年3月12日\n"  # the 落款 dates it
    word_document(signed, folder / "2023_shimen_county_word.docx")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "examples"))
