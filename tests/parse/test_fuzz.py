"""Whatever the text, parsing returns a report: no exception escapes the parser."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.model.serialize import report_record
from auditor.pipeline import parse_bytes, parse_text
from tests.conftest import SEEDS

PIECES = [
    "|",
    "||",
    " |",
    "\t",
    "\n",
    "\n\n",
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "（一）予以公开",
    "总计",
    "其他",
    "自然人",
    "第二十条第（一）项",
    "规章",
    "结果维持",
    "0",
    "12",
    "-3",
    "4.5万元",
    "/",
    "—",
    "| --- |",
    "#",
    "2023年1月1日至2023年12月31日",
    "发布日期：2024-01-05",
    "行政许可",
    "3.其他",
    "<table><tr><td>",
    "</td></tr></table>",
    "本年收费金额（单位：万元）",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=120))
def test_random_text_never_raises(pieces: list[str]) -> None:
    record = report_record(parse_text("".join(pieces)))
    assert record["schema"] == "auditor.report/1"


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_mutated_seeds_never_raise(data: st.DataObject) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        return
    raw = bytearray(data.draw(st.sampled_from(seeds)).read_bytes())
    for _ in range(data.draw(st.integers(0, 30))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(raw)))
    report_record(parse_bytes(bytes(raw[:cut]), "mutated.txt"))
