"""Label matching tolerances and the never-guess placement of short rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from auditor.model.labels import label_index
from auditor.model.placement import Slot, place_row
from auditor.model.types import CellState
from auditor.model.values import ValueToken, classify, convert, header_unit


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("（一）予以公开", "granted"),
        ("(一)予以公开", "granted"),
        ("予以公开", "granted"),
        ("(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)", "partially_granted"),
        ("１．属于国家秘密", "denied.state_secret"),
        ("属于国家秘密", "denied.state_secret"),
        ("2.其他法律法规禁止公开", "denied.prohibited_by_law"),
        ('3.危及"三安全一稳定"', "denied.three_safeties"),
        ("三、本年度办理结果 ", None),
        ("一、本年新收 政府信息公开申请数量", "received"),
        ("四、结转下年度继续办理", "carried_over"),
        ("申请人无正当理由逾期不补正", "other.no_correction"),  # cut short by the page
        ("申请人逾期未按收费通知要求缴纳费用", "other.unpaid_fee"),
    ],
)
def test_request_row_labels(printed: str, key: str | None) -> None:
    match = label_index("2021").lookup(printed)
    assert match is not None
    rows = [e.key for e in match.entries if e.kind == "row"]
    assert (rows[0] if rows else None) == key


@pytest.mark.parametrize(
    ("fmt", "printed", "kind", "key"),
    [
        ("2019", "本年新 制作数量", "column", "new_made"),
        ("2019", "本年新", "column", "new_made"),  # cut short by the page
        ("2019", "第二十条第(五)项", "caption", "第二十条第（五）项"),
        ("2021", "商业 企业", "column", "commercial"),
        ("2021", "本年收费金额(单位:万元)", "column", "amount_wan"),
        ("2021", "结果 纠正", "column", "corrected"),
    ],
)
def test_headers_and_captions(fmt: str, printed: str, kind: str, key: str) -> None:
    match = label_index(fmt).lookup(printed)
    assert match is not None
    assert any(e.kind == kind and e.key == key for e in match.entries)


def test_note_with_a_full_stop_is_still_the_note() -> None:
    match = label_index("2021").lookup("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和。）")
    assert match is not None and match.entries[0].kind == "header"


def test_prose_is_no_label() -> None:
    assert label_index("2021").lookup("我局认真贯彻落实《条例》，全面推进政务公开。") is None


@pytest.mark.parametrize(
    ("text", "state", "amount", "unit"),
    [
        ("338", CellState.NUMBER, Decimal(338), None),
        ("+1", CellState.NUMBER, Decimal(1), None),
        ("-50", CellState.NUMBER, Decimal(-50), None),
        ("1,234", CellState.NUMBER, Decimal(1234), None),
        ("44.18亿元", CellState.NUMBER, Decimal("44.18"), "亿元"),
        ("8204813178元", CellState.NUMBER, Decimal(8204813178), "元"),
        ("／", CellState.BLANK, None, None),
        ("—", CellState.BLANK, None, None),
        ("无", CellState.BLANK, None, None),
        ("3（含2件转办）", CellState.TEXT, Decimal(3), None),
        ("见附件", CellState.TEXT, None, None),
    ],
)
def test_value_classification(text: str, state: CellState, amount: Decimal | None, unit: str | None) -> None:
    token = classify(text)
    assert token is not None
    assert (token.state, token.amount, token.unit) == (state, amount, unit)


def test_money_units() -> None:
    assert header_unit("采购总金额（单位：万元，保留4位小数）") == "万元"
    assert convert(Decimal("4281.8773"), None, "万元", "元") == Decimal("42818773.0000")
    assert convert(Decimal("44.18"), "亿元", None, "元") == Decimal("4418000000")
    assert convert(Decimal(35000), "元", None, "万元") == Decimal("3.5")


def _slots(*printed: str | int) -> list[Slot]:
    out = []
    for p in printed:
        if isinstance(p, int):
            out.append(Slot(None, 1, p))
        else:
            token = classify(p)
            assert isinstance(token, ValueToken)
            out.append(Slot(token, 1))
    return out


def test_short_row_places_only_the_total() -> None:
    placement = place_row(
        _slots("266", "7", "1", "2", "5", "281"), 7, explicit_rows=False, gaps_reliable=False, total_col=6
    )
    assert set(placement.cells) == {6}
    assert placement.unplaced is not None and len(placement.unplaced) == 6


def test_short_row_without_total_evidence_places_nothing() -> None:
    placement = place_row(_slots("5", "1", "7"), 7, explicit_rows=False, gaps_reliable=False, total_col=6)
    assert placement.cells == {}


def test_reliable_gap_marks_the_blank() -> None:
    placement = place_row(_slots("3", "3", 1), 3, explicit_rows=False, gaps_reliable=True)
    assert placement.unplaced is None and placement.blank == {2}


def test_unreliable_gaps_are_ignored() -> None:
    placement = place_row(_slots("3", "3", 1), 3, explicit_rows=False, gaps_reliable=False)
    assert placement.unplaced is not None and placement.cells == {}


def test_explicit_row_inner_gap_is_a_blank() -> None:
    placement = place_row(_slots(2, "5", 1, "0", "0", "0", "0", "5"), 7, explicit_rows=True, gaps_reliable=False)
    assert placement.unplaced is None and placement.blank == {1}


def test_a_field_holding_several_values_says_no_column() -> None:
    # ``| 四、结转下年度继续办理 | | 0 | 0 0 | 0 | 0 0 |``: a converter's made-up small table
    # put two cells' values in one field; its empty field is a spanned label, not a blank.
    fields = [(None, 1), ("0", 2), ("0", 3), ("0", 3), ("0", 4), ("0", 5), ("0", 5)]
    slots = [Slot(None, 1, 1, f) if v is None else Slot(classify(v), 1, 0, f) for v, f in fields]
    for reliable in (False, True):
        placement = place_row(slots, 7, explicit_rows=True, gaps_reliable=reliable, total_col=6)
        assert not placement.blank and 0 not in placement.cells


def test_surplus_of_equal_values_is_unambiguous() -> None:
    placement = place_row(_slots(*["0"] * 8), 7, explicit_rows=True, gaps_reliable=False)
    assert placement.unplaced is None and placement.problem


def test_surplus_of_different_values_is_not_placed() -> None:
    placement = place_row(_slots("1", "0", "0", "0", "0", "0", "0", "1"), 7, explicit_rows=True, gaps_reliable=False)
    assert placement.unplaced is not None and placement.cells == {}


def test_surplus_row_read_the_one_way_its_total_adds_up() -> None:
    # A converter printed a spanned 0 in both columns it spans: dropping any of the 0s gives
    # the same row, and only that leaves 22 + 3 = 25.
    values = ["22", "0", "0", "0", "0", "0", "3", "25"]
    placement = place_row(_slots(*values), 7, explicit_rows=True, gaps_reliable=False, total_col=6)
    assert placement.unplaced is None and "合计相符" in (placement.problem or "")
    assert [placement.cells[c][0].raw for c in range(7)] == ["22", "0", "0", "0", "0", "3", "25"]
    # Without a 总计 to check, dropping the 22 or the 3 is as good a reading: nothing placed.
    assert place_row(_slots(*values), 7, explicit_rows=True, gaps_reliable=False).cells == {}


def test_surplus_row_whose_sums_allow_two_readings_is_not_placed() -> None:
    # Dropping the first 0 or the 0 after the 2 both add up: which column holds the 2 is open.
    placement = place_row(_slots("64", "0", "0", "0", "2", "0", "4", "70"), 7, explicit_rows=True,
                          gaps_reliable=False, total_col=6)  # fmt: skip
    assert placement.unplaced is not None and placement.cells == {}


def test_appeals_row_places_what_its_sums_force() -> None:
    # Seed 000: 12 values for 15 columns. Only one spread makes every group add up in its
    # first five columns; the two 行政诉讼 groups are forced only in their totals (12, 19).
    values = ["12", "6", "57", "3", "78", "10", "2", "12", "3", "13", "3", "19"]
    placement = place_row(_slots(*values), 15, explicit_rows=False, gaps_reliable=False, group_size=5)
    assert {c: v.raw for c, (v, _) in placement.cells.items()} == {
        0: "12",
        1: "6",
        2: "57",
        3: "3",
        4: "78",
        9: "12",
        14: "19",
    }


def test_zeros_prove_nothing() -> None:
    placement = place_row(_slots("0", "5", "0", "0", "5", "1", "1"), 15, explicit_rows=False, gaps_reliable=False,
                          group_size=5)  # fmt: skip
    assert 0 not in placement.cells and 4 not in placement.cells


def test_inconsistent_row_places_nothing() -> None:
    placement = place_row(_slots("5", "1", "7"), 7, explicit_rows=False, gaps_reliable=False, total_col=6)
    assert placement.cells == {} and placement.unplaced is not None
