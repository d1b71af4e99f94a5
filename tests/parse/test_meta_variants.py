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
        # A title may name the region whose government reports, before or after the year.
        ("青州市临河区2016年政府信息公开工作年度报告", "青州市临河区", 2016),
        ("2022年江川市政府信息公开工作年度报告", "江川市", 2022),
        ("2023年度柳溪镇政府信息公开工作年度报告", "柳溪镇", 2023),
        ("2023年青川县人民政府信息公开工作年度报告", "青川县人民政府", 2023),  # 政府 shared
        # A crawler's title keeps the connective between the organ and the report's name.
        ("青川县水务局 关于2021年度政府信息公开工作年度报告", "青川县水务局", 2021),
        ("青川县水务局关于报送2021年度政府信息公开工作年度报告的函", "青川县水务局", 2021),
        ("青川县地方税务局2013年信息公开年度报告", "青川县地方税务局", 2013),
        # A crawler's first line is the page's <title>, with the column's and site's names.
        (
            "青川县水务局2021年度政府信息公开工作年度报告_政府信息公开年报_中共青川县委青川县人民政府门户网站",
            "青川县水务局",
            2021,
        ),
        ("青川县水务局2021年度政府信息公开工作年度报告 - 青川县人民政府", "青川县水务局", 2021),
        # A page flattened onto one line runs its breadcrumb into the title.
        (
            "当前位置：首页政务公开政府信息公开青川县水务局政府信息公开年报青川县水务局2021年度政府信息公开工作年度报告",
            "青川县水务局",
            2021,
        ),
        # A converter's markdown of a saved page bolds the field's name, marks and all.
        ("**标题：** 青川县水务局 2021 年政府信息公开年度报告-青川县水务局", "青川县水务局", 2021),
        ("**标题：**青川县水务局2021年度政府信息公开工作年度报告**", "青川县水务局", 2021),
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
        (
            "现公布本局2023年度报告，涵盖2023年1月1日至2023年12月31日期间政府信息公开情况。",
            ("2023-01-01", "2023-12-31"),
        ),
        # A whole year, stated as such.
        ("本报告所列数据的统计期限为2023年度。", ("2023-01-01", "2023-12-31")),
        ("数据统计时间为2023年全年。", ("2023-01-01", "2023-12-31")),
        ("统计时间为2023年3月，共收到申请5件。", None),  # a month is no period
        # Wrapped by a PDF conversion: the sentence is read across the line break.
        ("本年度报告中所列数据统计期限为 2023\n年 1 月 1 日至 12 月 31 日。", ("2023-01-01", "2023-12-31")),
        # …or broken just before the dates: the wording ends the line above.
        ("本年度报告中所列数据的统计周期\n为 2023 年 1 月 1 日至 12 月 31 日。", ("2023-01-01", "2023-12-31")),
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
        # A CMS metadata table, its cells parted by bars; a byline with source and time.
        ("索 引 号 | 0144/2024-001 | 分 类 | 年报 |\n发布机构 | 某局 | 发文日期 | 2024-01-23 |", "2024-01-23"),
        ("来源:某局办公室 时间:2024-01-24 10:01", "2024-01-24"),
        ("时间：2024-01-25 09:30:00 来源：某局", "2024-01-25"),
        ("2024-01-26 来源：某局 浏览次数：120", "2024-01-26"),
        ("[2024-01-27] 浏览次数：5", "2024-01-27"),
    ],
)
def test_publication_date_fields(header: str, published: str) -> None:
    assert _meta(f"{header}\n某局2023年政府信息公开工作年度报告\n一、总体情况\n正文。\n")["published"] == published


def test_statistical_time_is_no_publication_date() -> None:
    header = "来源：某局 统计时间：2023年1月1日至12月31日"
    meta = _meta(f"{header}\n某局2023年政府信息公开工作年度报告\n一、总体情况\n正文。\n")
    assert meta["published"] is None


def test_organ_line_above_a_title_without_one() -> None:
    meta = _meta("青川县人民政府\n2023年政府信息公开工作年度报告\n一、总体情况\n正文。\n")
    assert (meta["agency"], meta["year"]) == ("青川县人民政府", 2023)


def test_agency_qualified_by_the_office_that_compiled_the_report() -> None:
    text = (
        "青川县人民政府\n2023年政府信息公开工作年度报告\n"
        "本报告由广元市青川县人民政府办公室根据《条例》要求编制。\n一、总体情况\n正文。\n"
    )
    assert _meta(text)["agency"] == "广元市青川县人民政府"


def test_title_broken_over_two_lines_by_a_conversion() -> None:
    meta = _meta("正文\n2024 年江川市科委政府信息公开工作\n年度报告\n根据《条例》编制。\n一、总体情况\n正文。\n")
    title = "2024 年江川市科委政府信息公开工作年度报告"
    assert (meta["title"], meta["agency"], meta["year"]) == (title, "江川市科委", 2024)


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
        # Regions a title names: their government, their township; a zone's committee: unknown.
        ("青州市临河区", BodyKind.GOVERNMENT),
        ("柳溪镇", BodyKind.TOWNSHIP),
        ("海湾综合实验区", BodyKind.GOVERNMENT),
        ("青河经济技术开发区", None),
    ],
)
def test_body_kind(agency: str, kind: BodyKind | None) -> None:
    assert body_kind(agency) is kind


def test_clean_agency() -> None:
    assert clean_agency("现将岳阳市人民政府") == "岳阳市人民政府"
    assert clean_agency("阜阳市人民政府(办公室)") == "阜阳市人民政府"
    assert clean_agency("认真贯彻落实") is None
    assert clean_agency("现公布泰州市人民政府") == "泰州市人民政府"
    # "…要求，特编制湛江市人民政府地方志办公室2023年…报告" (a real report's opening).
    assert clean_agency("特编制湛江市人民政府地方志办公室") == "湛江市人民政府地方志办公室"
    assert clean_agency("现代农业示范区管理委员会") == "现代农业示范区管理委员会"
    # A quoted document or a defined short name is no organ (a PDF's wrapped sentence).
    assert clean_agency("福建省政府信息公开办法》(以下简称《办法》)及区管委会办") is None


def test_a_wrapped_sentence_naming_the_report_is_no_title() -> None:
    # A PDF wraps the opening sentence; one of its lines reads like a title line.
    text = (
        "根据《福建省政府信息公开办法》（以下简称《办法》）及区管委会办\n"
        "公室关于做好2024年政府信息公开工作年度报告编制公布工作\n"
        "的通知要求，编制本报告。\n一、总体情况\n正文。\n"
    )
    meta = _meta(text)
    assert meta["title"] is None and meta["agency"] is None
    # A pronoun or a preposition opens no name ("2016年，我区政府…", "在党工委的领导下").
    assert clean_agency("我区政府") is None
    assert clean_agency("在党工委") is None
    # A bare region counts only where a title names it.
    assert clean_agency("青州市临河区") is None
    assert clean_agency("青州市临河区", region=True) == "青州市临河区"


@pytest.mark.parametrize(
    ("title", "agency"),
    [
        ("青川县水利局政府信息公开工作年度报告", "青川县水利局"),
        ("青川县人民政府关于政府信息公开工作年度报告", "青川县人民政府"),
        ("我局政府信息公开工作年度报告", None),  # a pronoun names no organ
        ("关于印发政府信息公开工作年度报告的通知", None),
    ],
)
def test_a_title_naming_no_year_still_names_its_organ(title: str, agency: str | None) -> None:
    meta = _meta(f"{title}\n本报告所列数据统计期限为2023年1月1日至2023年12月31日。\n一、总体情况\n正文。\n")
    assert (meta["agency"], meta["year"]) == (agency, 2023)


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("财金局", "平潭综合实验区财政金融局"),  # a real 2016 title, signed by the full name
        ("平潭市场监督管理局", "平潭综合实验区市场监督管理局"),  # the region's first characters kept
    ],
)
def test_a_titles_short_name_gives_way_to_the_full_name_the_report_signs_with(short: str, full: str) -> None:
    body = "一、概述\n本局认真落实条例。\n六、其他需要报告的事项\n无。\n"
    text = f"{short}2016年政府信息公开年度报告\n{body}{full}\n2017年1月10日\n"
    assert _meta(text)["agency"] == full


@pytest.mark.parametrize(
    ("byline", "published"),
    [
        ("时间：2024-03-08 15:34", "2024-03-08"),
        ("[ 2024-01-31 ]", "2024-01-31"),
        ("时间：2023年1月1日至12月31日", None),
    ],
)
def test_a_byline_date_on_a_line_of_its_own(byline: str, published: str | None) -> None:
    # A CMS page's byline copied apart from its 来源 field.
    text = f"青川县水利局2023年政府信息公开工作年度报告\n{byline}\n一、总体情况\n2023年，青川县水利局认真落实条例。\n"
    assert _meta(text)["published"] == published


@pytest.mark.parametrize("field", ["名称 ", "名称", "标题："])
def test_a_page_field_name_before_the_title_is_no_part_of_the_agency(field: str) -> None:
    # A page's metadata table (名称 | 沭阳县…报告) flattened, or read from a PDF, as one line.
    text = f"{field}沭阳县发展和改革局2023年政府信息公开年度报告\n一、总体情况\n正文。\n"
    assert _meta(text)["agency"] == "沭阳县发展和改革局"


def test_a_short_name_gives_way_to_the_publisher_the_page_header_names() -> None:
    # A real 2011 page: title "平潭县广电局…", header "发布机构: 平潭县广播电视事业局", no 落款.
    title = "平潭县广电局2011年政府信息公开年度报告"
    text = f"标题: {title}\n发布机构: 平潭县广播电视事业局\n{title}\n一、概述\n正文。\n"
    assert _meta(text)["agency"] == "平潭县广播电视事业局"


def test_a_bureaus_office_in_the_title_reports_for_the_bureau() -> None:
    # A real 2016 title "平潭综合实验区综合执法局办公室 2016年…": the report is the bureau's.
    text = "平潭综合实验区综合执法局办公室 2016年政府信息公开工作年度报告\n一、概述\n正文。\n"
    assert _meta(text)["agency"] == "平潭综合实验区综合执法局"
    text = "平潭综合实验区管委会办公室2016年政府信息公开工作年度报告\n一、概述\n正文。\n"
    assert _meta(text)["agency"] == "平潭综合实验区管委会办公室"  # an office that is a body


def test_a_page_title_line_gives_the_report_title_without_the_sites_names() -> None:
    # A crawler's first line is the page's <title>, with the column's and the site's names.
    line = "青川县水务局2021年度政府信息公开工作年度报告_政府信息公开年报_中共青川县委青川县人民政府门户网站"
    meta = _meta(f"{line}\n一、总体情况\n正文。\n")
    assert (meta["title"], meta["agency"], meta["year"]) == (
        "青川县水务局2021年度政府信息公开工作年度报告",
        "青川县水务局",
        2021,
    )
