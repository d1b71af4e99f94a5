"""The 内容雷同 measure: Jaccard index of character 3-grams of normalised text."""

from __future__ import annotations

from auditor.rules.similarity import normalise, shingles, similarity

PART5 = (
    "2022年，我局政府信息公开工作取得了一定成效，但仍存在一些问题和不足：一是部分栏目信息更新不够及时，"
    "个别专栏内容不够丰富；二是政策解读形式还比较单一，解读的针对性和实效性有待增强；"
    "三是基层工作人员业务能力需进一步提升。下一步，我局将完善信息发布机制，丰富解读形式，加强业务培训。"
)


def test_normalise_drops_spacing_punctuation_and_figures() -> None:
    assert normalise("２０２２年， 收到 申请 15 件。") == "#年收到申请#件"
    assert normalise("ＡＢ（一）") == "AB一"


def test_shingles() -> None:
    assert shingles("abcd") == {"abc", "bcd"}
    assert shingles("ab") == {"ab"}
    assert shingles("") == frozenset()


def test_identical_and_year_updated_copies_score_one() -> None:
    assert similarity(PART5, PART5) == 1.0
    assert similarity(PART5, PART5.replace("2022", "2023").replace("一些", " 一些 ")) == 1.0


def test_small_edits_stay_above_and_rewrites_fall_below_the_threshold() -> None:
    edited = PART5.replace("加强业务培训", "加强业务培训和考核")
    assert 0.9 < similarity(PART5, edited) < 1.0
    other = (
        "本年度依申请公开答复文书格式还不统一，个别答复未告知救济渠道；政务新媒体更新频率不高，互动回应不够及时。"
        "下一步将统一答复文书模板，建立新媒体巡查制度，每月通报。"
    )
    assert similarity(PART5, other) < 0.3


def test_symmetric_bounded_and_empty_is_zero() -> None:
    other = PART5[: len(PART5) // 2]
    assert similarity(PART5, other) == similarity(other, PART5)
    assert 0.0 <= similarity(PART5, other) <= 1.0
    assert similarity("", PART5) == 0.0
    assert similarity("。。", "，") == 0.0
