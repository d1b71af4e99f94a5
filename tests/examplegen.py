"""Make the bundled crawler-dump and CMS-page examples from generated reports.

    python -m tests.examplegen examples/

A crawler keeps a page's text on one line with table cells run together (values glued or
space-separated at random); a CMS page wraps the article in navigation, an info table and
a footer whose link lists must not be read as report text.
"""

from __future__ import annotations

import html
import random
import sys
from pathlib import Path

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


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "examples"))
