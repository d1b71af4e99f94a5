"""Report-level facts in the phrasings real reports use."""

from __future__ import annotations

import pytest

from auditor.model.meta import arabic_dates, body_kind, clean_agency
from auditor.model.types import BodyKind
from auditor.pipeline import parse_text


def _meta(text: str) -> dict[str, object]:
    m = parse_text(text).meta
    return {
        "title": m.title,
        "agency": m.agency,
        "year": m.year,
        "period": (m.period.start.isoformat(), m.period.end.isoformat()) if m.period else None,
        "published": m.published.isoformat() if m.published else None,
        "signed": m.signed.isoformat() if m.signed else None,
    }


@pytest.mark.parametrize(
    ("title", "agency", "year"),
    [
        ("青川县人民政府2023年政府信息公开工作年度报告", "青川县人民政府", 2023),
        ("青川县教育局 2023年度政府信息公开工作报告", "青川县教育局", 2023),
        ("2023年度青川县人民政府政府信息公开工作年度报告", "青川县人民政府", 2023),
        ("关于青川县财政局2022年政府信息公开工作年度报告", "青川县财政局", 2022),
        ("# 南湖区市场监督管理局2024年政府信息公开工作年度报告", "南湖区市场监督管理局", 2024),
    ],
)
def test_title_variants(title: str, agency: str, year: int) -> None:
    meta = _meta(f"{title}\n一、总体情况\n正文。\n")
    assert (meta["agency"], meta["year"]) == (agency, year)


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("本报告中所列数据的统计期限自2023年1月1日起至12月31日止。", ("2023-01-01", "2023-12-31")),
        ("本报告所列数据统计期限为2023年1月1日至2023年12月31日。", ("2023-01-01", "2023-12-31")),
        ("统计时间段为2023年1月1日—2023年12月31日。", ("2023-01-01", "2023-12-31")),
        ("数据统计期限为二〇二三年一月一日至十二月三十一日。", ("2023-01-01", "2023-12-31")),
        ("2023年1月1日至12月31日，我局开展了专项行动。", None),  # no statistical wording: not a period
        # Wrapped by a PDF conversion: the sentence is read across the line break.
        ("本年度报告中所列数据统计期限为 2023\n年 1 月 1 日至 12 月 31 日。", ("2023-01-01", "2023-12-31")),
    ],
)
def test_period_phrasings(sentence: str, period: tuple[str, str] | None) -> None:
    assert _meta(f"某局2023年政府信息公开工作年度报告\n{sentence}\n一、总体情况\n正文。\n")["period"] == period


@pytest.mark.parametrize(
    ("header", "published"),
    [
        ("发布日期：2024-01-20", "2024-01-20"),
        ("发布时间:2024年01月20日 09:30", "2024-01-20"),
        ("发布机构：某局  生成日期：2024-01-21", "2024-01-21"),
        ("发文日期：2024/1/22", "2024-01-22"),
    ],
)
def test_publication_date_fields(header: str, published: str) -> None:
    assert _meta(f"{header}\n某局2023年政府信息公开工作年度报告\n一、总体情况\n正文。\n")["published"] == published


def test_closing_signature_date_in_chinese_numerals() -> None:
    meta = _meta(
        "某局2023年政府信息公开工作年度报告\n一、总体情况\n正文。\n六、其他需要报告的事项\n无。\n某局\n二〇二四年一月十八日\n"
    )
    assert meta["signed"] == meta["published"] == "2024-01-18"


def test_arabic_dates() -> None:
    assert arabic_dates("二〇二四年十二月三十一日") == "2024年12月31日"
    assert arabic_dates("二〇二〇年一月十日") == "2020年1月10日"


@pytest.mark.parametrize(
    ("agency", "kind"),
    [
        ("岳阳市人民政府", BodyKind.GOVERNMENT),
        ("邓州市政府", BodyKind.GOVERNMENT),
        ("永州市人民政府办公室", BodyKind.DEPARTMENT),
        ("安顺经济技术开发区管理委员会", BodyKind.DEPARTMENT),
        ("青川县教育局", BodyKind.DEPARTMENT),
        ("城关镇人民政府", BodyKind.TOWNSHIP),
        ("东城街道办事处", BodyKind.TOWNSHIP),
    ],
)
def test_body_kind(agency: str, kind: BodyKind) -> None:
    assert body_kind(agency) is kind


def test_clean_agency() -> None:
    assert clean_agency("现将岳阳市人民政府") == "岳阳市人民政府"
    assert clean_agency("阜阳市人民政府(办公室)") == "阜阳市人民政府"
    assert clean_agency("认真贯彻落实") is None
