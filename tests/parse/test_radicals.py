"""Radical code points standing for characters (⾏ for 行, ⺠ for 民), as some PDF producers
write them and text copied out of their PDFs keeps them: read as the characters."""

from __future__ import annotations

import pytest

from auditor.findings import audit
from auditor.pipeline import parse_bytes, parse_text
from auditor.rules.loader import load_pack
from auditor.text.radicals import unify
from tests.reportgen import make_report

# Characters a browser's "print to PDF" was seen writing as radicals in a real report.
AS_RADICALS = str.maketrans(
    {"行": "⾏", "民": "⺠", "人": "⼈", "工": "⼯", "文": "⽂", "用": "⽤", "门": "⻔", "长": "⻓"}
)


def test_radicals_read_as_the_characters() -> None:
    assert unify("中华⼈⺠共和国政府信息公开⾏政复议") == "中华人民共和国政府信息公开行政复议"
    assert unify("⻔户⽹站") == "门户网站"
    assert unify("平常的文字") == "平常的文字"


@pytest.mark.parametrize("seed", [3, 17, 42])
def test_a_report_written_with_radicals_reads_like_the_original(seed: int) -> None:
    text = make_report(seed, fmt="2021", year=2023, layout="pipe").text
    assert "行政复议" in text
    original, radical = parse_text(text), parse_text(text.translate(AS_RADICALS))
    assert [s.number for s in radical.sections] == [s.number for s in original.sections]
    assert radical.cells == original.cells
    assert radical.meta.agency == original.meta.agency
    pack = load_pack("2024")
    found, expected = audit(radical, pack), audit(original, pack)
    assert [(f.rule, f.cells) for f in found.findings] == [(f.rule, f.cells) for f in expected.findings]


def test_radicals_in_a_page_and_its_table_cells() -> None:
    page = (
        "<html><body><h1>青川县⼈⺠政府2023年政府信息公开⼯作年度报告</h1>"
        "<p>四、政府信息公开⾏政复议、⾏政诉讼情况</p>"
        "<table><tr><td>⾏政复议</td></tr></table></body></html>"
    )
    report = parse_bytes(page.encode("utf-8"), "page.html")
    assert report.meta.agency == "青川县人民政府"
    assert 4 in [s.number for s in report.sections]
