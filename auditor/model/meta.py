"""Report-level facts: title, agency, year, statistical period, publication and signature dates.

The report year comes from the title, else from the report's own name in the preamble,
else the statistical period, else the year that opens part 一 — never from the tables.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from auditor.model.types import BodyKind, Meta, Period
from auditor.text import numerals
from auditor.text.page_marks import title_without_site
from auditor.tree.parser import Block, Outline

_ORGAN_SUFFIX = (
    "人民政府办公室|人民政府办公厅|管理委员会办公室|管委会办公室|人民政府|街道办事处|办事处|管理委员会|管委会"
    "|委员会|办公室|办公厅|政府|局|厅|委|办|署|院|中心|公司|集团"
)
# What a title may name instead of an organ: the region whose government reports
# ("福州市晋安区2016年…", "2022年上海市…"). Only a title is trusted to mean the region's body.
_REGION_SUFFIX = "省|自治区|市|区|县|旗|州|盟|镇|乡|街道"
_TOWNSHIP_REGION = re.compile(r"(?:镇|乡|街道)$")
# A development zone is run by a committee (管委会) that may or may not report as a
# government: unknown. A 实验区 or 新区 (平潭综合实验区, 浦东新区) is a level of government.
_ZONE_REGION = re.compile(r"(?:开发区|高新区|园区|示范区|合作区)$")
_ORGAN_END = re.compile(f"(?:{_ORGAN_SUFFIX})$")
_REGION_END = re.compile(f"(?:{_REGION_SUFFIX})$")
_LEADING_REGION = re.compile(f"^.{{2,12}}?(?:{_REGION_SUFFIX})(?=.{{2}})")
_ORGAN_OR_REGION_END = re.compile(f"(?:{_ORGAN_SUFFIX}|{_REGION_SUFFIX})$")
# How a title names the work; older reports say 信息公开 only ("…地方税务局2013年信息公开年度报告").
_WORK_IN_FULL = "政府信息公开|政务公开"
_WORK = f"(?:{_WORK_IN_FULL}|信息公开)"
_TITLE = re.compile(r"^(?P<agency>.*?)(?P<year>\d{4})\s*年\s*度?\s*" + _WORK)
_YEARLESS_TITLE = re.compile(rf"^(?P<agency>[^\d]{{2,40}}?)(?:关于)?(?:{_WORK_IN_FULL})(?:工作)?(?:年度报告|年报)")
# "2023年度青川县人民政府政府信息公开工作年度报告": the year before the organ. Here the work
# must be named in full: in "2023年政府信息公开…" a bare 信息公开 would make "政府" the organ.
_TITLE_YEAR_FIRST = re.compile(
    # "2023年青川县人民政府信息公开…": the organ's 政府 is also the work's.
    rf"^(?P<year>\d{{4}})\s*年\s*度?\s*(?P<agency>.+?人民政府(?=信息公开)|.+?(?={_WORK_IN_FULL}))"
)
_NAME_MENTION = re.compile(
    rf"(?P<agency>[\u4e00-\u9fff()（）]{{2,40}}?)(?P<year>\d{{4}})\s*年\s*度?\s*(?:{_WORK_IN_FULL})(?:工作)?(?:年度)?(?:报告|年报)"
)
_OPENING = re.compile(
    r"^\s*(?P<year>\d{4})\s*年(?:度|以来)?\s*[，,、]?\s*(?P<agency>[\u4e00-\u9fff()（）]{2,30}?(?:"
    + _ORGAN_SUFFIX
    + "))"
)
_LEADING_WORDS = re.compile(
    r"^(?:现将|特将|兹将|现予|特此|根据|按照|依据|关于|公布|发布|印发|(?:特|现)?编[制写]|将|现(?!代)|由|是|的)+"
)
# "…管理局 关于2021年度…", "…管理局关于报送2020年度…的函": the words between the organ
# and the report's name.
_TRAILING_WORDS = re.compile(r"(?:关于|的|报送|公布|印发)+$")
# A pronoun or preposition opens no organ's name ("我区政府", "在党工委的领导下").
_NOT_A_NAME = re.compile(r"^[我本该在各其此全]")
# No organ's name quotes a document or defines a short name ("…办法》(以下简称《办法》)及…").
_NOT_IN_A_NAME = re.compile(r"[《》]|简称")
# "本报告由淮安市洪泽区人民政府办公室根据…编制": who compiled the report (an office names its organ).
_COMPILER = re.compile(
    r"本(?:年度)?报告(?:是)?由(?P<agency>[\u4e00-\u9fff（）()]{2,40}?)(?:办公室|办公厅)?"
    r"(?:根据|按照|依据|依照|编制|综合|汇总)"
)
# A title line: names the report (ends in 报告/年报); a PDF conversion may break it in two.
_TITLE_LINE = re.compile(_WORK + r".{0,12}(?:报告|年报)$")
_TITLE_MAX_CHARS = 50
# A page's 名称 field printed as a table row and flattened ("名称 沭阳县…年度报告").
_FIELD_NAME = re.compile(r"^(?:名\s*称|标\s*题)(?:\s*[:：]\s*|\s*)(?=\S)")
# A wrapped line of a sentence about the report, not its title ("…关于做好2024年政府信息公开
# 工作年度报告编制公布工作").
_IN_A_SENTENCE = re.compile(r"做好|报告的?(?:编制|公布|发布|报送)工作")
_DATE = r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
_PUBLISH_FIELDS = ("发布日期", "发布时间", "发文日期", "生成日期", "公开日期", "日期")
# The field and its date are parted by a colon, or by the cell border of a metadata table
# ("发文日期 | 2018-02-28 |"), or only by spaces.
_FIELD_SEPARATOR = r"(?:\s*[:：|]\s*|\s+)"
_PUBLISH_PATTERNS = [re.compile(re.escape(field) + _FIELD_SEPARATOR + _DATE) for field in _PUBLISH_FIELDS]
# A CMS byline names the date plainly: "来源：区人民政府办公室 时间：2017-01-12 10:01",
# "时间：2024-01-19 09:30 来源：…", or only prints it ("2024-01-19 来源：… 浏览次数：120").
_BYLINE = r"(?:来源|浏览|点击|作者|字号)\s*(?:次数)?\s*[:：]"
_BYLINE_DATES = (
    re.compile(r"来源\s*[:：].*?(?<![统计])时间" + _FIELD_SEPARATOR + _DATE),
    re.compile(r"^\s*时间" + _FIELD_SEPARATOR + _DATE + r".*?" + _BYLINE),
    re.compile(r"^\s*[\[【(（]?" + _DATE + r"[\]】)）]?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*" + _BYLINE),
    # A byline line of its own: "时间：2024-03-08 15:34", "[ 2024-01-31 ]".
    re.compile(
        r"^\s*(?:时间" + _FIELD_SEPARATOR + r"|[\[【]\s*)" + _DATE + r"\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*[\]】]?\s*$"
    ),
)
_PERIOD = re.compile(
    r"(?P<y1>\d{4})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日?\s*(?:起)?\s*(?:至|到|—|－|-|~|～)\s*"
    r"(?:(?P<y2>\d{4})\s*年\s*)?(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"
)
# The words a report names its statistical period with.
PERIOD_WORDS = re.compile(r"统计(?:期限|时限|时间|周期|区间|范围)")
_PERIOD_YEAR = re.compile(
    rf"{PERIOD_WORDS.pattern}\s*(?:为|是|:|：)?\s*(?P<y>\d{{4}})\s*年\s*(?:度|全年)?(?!\s*\d{{1,2}}\s*月)"
)
# 涵盖: "本报告…涵盖2020年1月1日至2020年12月31日期间政府信息公开情况".
_PERIOD_CONTEXT = re.compile(r"统计|期限|时限|时间段|时段|所列数据|数据|报告期|时间范围|起止时间|涵盖")


_CN_YEAR = re.compile(f"({numerals.YEAR})年")
_CN_MONTH_DAY = re.compile(f"({numerals.MONTH})月({numerals.DAY})日")
# A date as a document writes it, in Arabic or Chinese numerals (2024年1月20日, 二〇二四年元月二十日).
WRITTEN_DATE = (
    rf"(?:(?:19|20)\d{{2}}|{numerals.YEAR})\s*年\s*"
    rf"(?:\d{{1,2}}|{numerals.MONTH})\s*月\s*(?:\d{{1,2}}|{numerals.DAY})\s*日"
)


def arabic_dates(text: str) -> str:
    """Official documents often write dates in Chinese numerals (二〇二四年一月二十日)."""
    text = _CN_YEAR.sub(lambda m: "".join(str(numerals.DIGITS[c]) for c in m.group(1)) + "年", text)
    return _CN_MONTH_DAY.sub(lambda m: f"{numerals.value(m.group(1))}月{numerals.value(m.group(2))}日", text)


_WHITESPACE_RUN = re.compile(r"\s+")
# A year whose digits a page set apart (``202 4 年``: a crawler spacing a page's inline runs).
_SPACED_YEAR = re.compile(r"(?<![\d.])((?:19|20)(?: ?\d){2}) ?(?=年)")


def _nfkc(text: str) -> str:
    # Runs of whitespace become one space: the date patterns then cannot backtrack over them.
    text = _WHITESPACE_RUN.sub(" ", unicodedata.normalize("NFKC", text))
    if " " in text:
        text = _SPACED_YEAR.sub(lambda m: m.group(1).replace(" ", ""), text)
    return arabic_dates(text)


def _make_date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


# A page's breadcrumb run into its title when a crawler flattens the page (``…政府信息公开
# 平潭综合实验区金井片区管理局 政府信息公开年报 平潭综合实验区金井片区管理局2019年度…``).
_CRUMBS = re.compile(r"^.*(?:当前位置|首页|信息公开年报|政府信息公开)")


def clean_agency(name: str, *, region: bool = False) -> str | None:
    """Strip lead-in verbs and brackets noise from a candidate organ name.

    ``region``: a bare region name counts too (a title's "福州市晋安区2016年…").
    """
    after_crumbs = _CRUMBS.sub("", name)
    if after_crumbs != name and (clean := clean_agency(after_crumbs, region=region)) is not None:
        return clean
    name = _LEADING_WORDS.sub("", name.strip(" 　《》“”\"'，,。:："))
    name = _TRAILING_WORDS.sub("", name).strip()
    name = re.sub(r"[（(](?:办公室|办公厅)[)）]$", "", name)
    if not 2 <= len(name) <= 40 or _NOT_A_NAME.match(name) or _NOT_IN_A_NAME.search(name):
        return None
    return name if (_ORGAN_OR_REGION_END if region else _ORGAN_END).search(name) else None


def body_kind(agency: str | None) -> BodyKind | None:
    """Government (its own report, due 31 March), township, or department (due 31 January)."""
    if not agency:
        return None
    if re.search(r"(?:乡|镇)人民政府$|街道办事处$|办事处$", agency):
        return BodyKind.TOWNSHIP
    if agency.endswith(("人民政府", "市政府", "县政府", "区政府")):
        return BodyKind.GOVERNMENT
    if _ORGAN_END.search(agency) is None:
        # A region named by a title reports as its government (or its township).
        if _ZONE_REGION.search(agency):
            return None
        return BodyKind.TOWNSHIP if _TOWNSHIP_REGION.search(agency) else BodyKind.GOVERNMENT
    return BodyKind.DEPARTMENT


def _title_parts(text: str) -> tuple[int, str | None] | None:
    """(year, agency or None) of a title's text, or None when it names no report year."""
    normal = _nfkc(text)
    m = _TITLE.search(normal)
    if m is None or not m.group("agency").strip():
        m = _TITLE_YEAR_FIRST.search(normal) or m
    return (int(m.group("year")), clean_agency(m.group("agency"), region=True)) if m else None


def _unmarked(text: str) -> str:
    """Text without the bold or italic marks and spaces around it (``** 某局…**``)."""
    return text.strip().strip("*_").strip()


def _title(outline: Outline) -> tuple[str | None, int | None, str | None]:
    """(title, year, agency) from the first title-like line before part 一."""
    preamble = outline.preamble
    for i, block in enumerate(preamble):
        if block.kind != "title":
            continue
        # A converter's markdown bolds the field's name: "**标题：** 某局2023年…".
        text = _unmarked(_FIELD_NAME.sub("", _unmarked(block.lines[0].text.lstrip().lstrip("#"))))
        text = title_without_site(text)
        if ">" in text or text.startswith(("附件", "相关附件")):
            continue
        parts = None if _IN_A_SENTENCE.search(text) else _title_parts(text)
        if parts:
            year, agency = parts
            # "洪泽区人民政府" on its own line above "2023年政府信息公开工作年度报告".
            if agency is None and i > 0 and preamble[i - 1].kind in ("para", "title"):
                agency = clean_agency(preamble[i - 1].lines[0].text)
            return text, year, agency
    for block in preamble:
        if block.kind == "meta":
            m = re.search(r"(?:名\s*称|标\s*题)\s*[:：]\s*(?P<t>\S.*?)\s*$", block.lines[0].text)
            title = _unmarked(m.group("t")) if m else ""
            parts = _title_parts(title) if title else None
            if parts:
                return title, parts[0], parts[1]
    broken = _broken_title(preamble)
    return broken if broken[0] is not None else _yearless_title(preamble)


def _yearless_title(preamble: tuple[Block, ...]) -> tuple[str | None, int | None, str | None]:
    """A title naming no year ("青川县水利局政府信息公开工作年度报告"): its organ only (the
    year comes from the period or the text)."""
    for block in preamble:
        if block.kind == "title":
            text = block.lines[0].text.strip()
            m = _YEARLESS_TITLE.match(_nfkc(text))
            agency = clean_agency(m.group("agency"), region=True) if m else None
            if agency:
                return text, None, agency
    return None, None, None


def _broken_title(preamble: tuple[Block, ...]) -> tuple[str | None, int | None, str | None]:
    """A title the outline took for prose: a short line near the top naming the report,
    alone or broken in two by a PDF conversion ("2024 年上海市科委政府信息公开工作" + "年度报告")."""
    lines = [title_without_site(b.lines[0].text) for b in preamble[:8] if b.kind in ("para", "title")]
    for i, line in enumerate(lines):
        if not line or len(line) > _TITLE_MAX_CHARS:
            continue
        following = lines[i + 1] if i + 1 < len(lines) and len(lines[i + 1]) <= _TITLE_MAX_CHARS else ""
        for text in (line, line + following):
            parts = _title_parts(text) if _TITLE_LINE.search(_nfkc(text)) else None
            if parts:
                return text, parts[0], parts[1]
    return None, None, None


def _name_mention(outline: Outline) -> tuple[int | None, str | None]:
    """The report naming itself in the preamble: 现将岳阳市人民政府2020年政府信息公开年度报告…"""
    for block in outline.preamble:
        for m in _NAME_MENTION.finditer(_nfkc(" ".join(ln.text for ln in block.lines))):
            agency = clean_agency(m.group("agency"))
            if agency:
                return int(m.group("year")), agency
    return None, None


def find_period(lines: list[tuple[int, str]]) -> Period | None:
    """The stated statistical period; ``自2012年1月1日起至12月31日止`` ends in the same year.

    A sentence wrapped onto the next line (PDF conversions: ``统计期限为 2025`` + ``年 1 月 1
    日至…``) is read across the break; the period's line is the one it starts on.
    """
    normal: dict[int, str] = {}

    def nfkc(i: int) -> str:
        if i not in normal:
            normal[i] = _nfkc(lines[i][1]) if 0 <= i < len(lines) else ""
        return normal[i]

    for i, (number, text) in enumerate(lines):
        # Every period names a month (月, however its digits are written): most lines are skipped unread.
        if "月" not in text and (i + 1 >= len(lines) or "月" not in lines[i + 1][1]):
            continue
        first, following, previous = nfkc(i), nfkc(i + 1), nfkc(i - 1)
        s = first + following
        for m in _PERIOD.finditer(s):
            if m.start() >= len(first):
                break  # starts on the next line: read there
            # The wording may end the line before: "…统计周期" + "为 2024 年 1 月 1 日至…".
            before = (previous + s[: m.start()])[-40:]
            if not _PERIOD_CONTEXT.search(before + s[m.end() : m.end() + 4]):
                continue
            start = _make_date(m.group("y1"), m.group("m1"), m.group("d1"))
            end = _make_date(m.group("y2") or m.group("y1"), m.group("m2"), m.group("d2"))
            if start and end:
                return Period(start, end, number, m.group(0))
    return _whole_year_period(lines)


def _whole_year_period(lines: list[tuple[int, str]]) -> Period | None:
    """A period stated as a whole year: "统计期限为2023年度" is 1 January to 31 December."""
    for number, text in lines:
        if "统计" in text and (m := _PERIOD_YEAR.search(_nfkc(text))):
            year = int(m.group("y"))
            return Period(date(year, 1, 1), date(year, 12, 31), number, m.group(0))
    return None


def _published(outline: Outline) -> date | None:
    best: tuple[int, date] | None = None
    for block in outline.preamble:
        for ln in block.lines:
            s = _nfkc(ln.text)
            found = [(rank, field.search(s)) for rank, field in enumerate(_PUBLISH_PATTERNS)]
            found.extend((len(_PUBLISH_PATTERNS), byline.search(s)) for byline in _BYLINE_DATES)
            for rank, m in found:
                d = _make_date(m.group("y"), m.group("m"), m.group("d")) if m else None
                if d and (best is None or rank < best[0]):
                    best = (rank, d)
    return best[1] if best else None


def _closing(outline: Outline) -> tuple[date | None, str | None]:
    """The 落款: a date line near the end and the organ line just before it."""
    blocks: list[Block] = outline.all_blocks()[-8:]
    for i in range(len(blocks) - 1, -1, -1):
        if blocks[i].kind != "date":
            continue
        m = re.search(_DATE, _nfkc(blocks[i].lines[0].text))
        signed = _make_date(m.group("y"), m.group("m"), m.group("d")) if m else None
        organ = None
        if i > 0 and blocks[i - 1].kind in ("para", "title"):
            organ = clean_agency(blocks[i - 1].lines[0].text)
            # A 管委会 signs through its office; the report is the committee's own.
            if organ:
                organ = re.sub(r"(管理委员会|管委会)办公室$", r"\1", organ)
        return signed, organ
    return None, None


def _opening(first_section_text: str) -> tuple[int | None, str | None]:
    m = _OPENING.search(_nfkc(first_section_text[:200]))
    if m:
        return int(m.group("year")), clean_agency(m.group("agency"))
    y = re.search(r"(\d{4})\s*年", first_section_text[:200])
    return (int(y.group(1)), None) if y else (None, None)


def _compiler(outline: Outline) -> str | None:
    """The organ whose office compiled the report ("本报告由…办公室根据…编制")."""
    for block in outline.preamble:
        m = _COMPILER.search(_nfkc(block.lines[0].text))
        if m:
            return clean_agency(m.group("agency"))
    return None


# The page header's publisher: "发布机构：平潭县广播电视事业局", "来源：平潭县…局".
_PUBLISHER = re.compile(r"(?:发布机构|发文机关|发布单位|信息来源|来源)\s*[:：]\s*(?P<name>[^\s:：|,，]{2,40})")


def _publisher(outline: Outline) -> str | None:
    """The organ a page header names as the publisher: only to widen a short name."""
    for block in outline.preamble:
        for line in block.lines:
            m = _PUBLISHER.search(_nfkc(line.text))
            name = clean_agency(m.group("name")) if m else None
            if name:
                return name
    return None


def _qualified(agency: str | None, others: list[str | None]) -> str | None:
    """The fullest name of the same organ: "淮安市洪泽区人民政府" for "洪泽区人民政府", when
    another place of the report names it with the region it belongs to."""
    if agency is None:
        return None
    for other in others:
        prefix = other[: -len(agency)] if other and other.endswith(agency) else ""
        if prefix and _REGION_END.search(prefix):
            return other
    return next((other for other in others if other and _abbreviates(agency, other)), agency)


def _abbreviates(short: str, full: str) -> bool:
    """Is ``short`` the organ's short name in a title ("财金局") of ``full`` ("平潭综合实验区
    财政金融局"): after the region, the full name's characters in order, ending alike."""
    start = full.find(short[0])
    if len(short) >= len(full) or start < 0 or short[-1] != full[-1]:
        return False
    # The short name keeps the region's first characters (平潭市场监督管理局) or drops it.
    region = _REGION_END.search(full[:start]) if start else _LEADING_REGION.match(full)
    rest = iter(full[start:])
    return region is not None and all(ch in rest for ch in short)


def extract_meta(outline: Outline, first_section_text: str) -> Meta:
    """All report-level facts of an outline (the table format is the caller's to add)."""
    lines = [(ln.number, ln.text) for b in outline.all_blocks() for ln in b.lines if b.kind != "pipe"]
    title, title_year, title_agency = _title(outline)
    mention_year, mention_agency = _name_mention(outline)
    period = find_period(lines)
    signed, signer = _closing(outline)
    opening_year, opening_agency = _opening(first_section_text)
    published = _published(outline)
    published_source = "header" if published else None
    if published is None and signed is not None:
        published, published_source = signed, "signature"

    year, year_source = title_year, "title" if title_year else None
    if year is None and mention_year:
        year, year_source = mention_year, "title"
    if year is None and period:
        year, year_source = period.start.year, "period"
    if year is None and opening_year:
        year, year_source = opening_year, "narrative"

    agency = _qualified(
        title_agency or mention_agency or signer or opening_agency,
        [title_agency, mention_agency, signer, _compiler(outline), _publisher(outline)],
    )
    # A bureau's office (局办公室) compiles the bureau's report: it is no body of its own.
    agency = agency.removesuffix("办公室") if agency and agency.endswith("局办公室") else agency
    # Narrative evidence only counts when part 一 opens "N年，<organ>…", the format's own
    # opening; a year met elsewhere in the text is too weak to contradict anything.
    evidence = {
        name: y
        for name, y in (
            ("title", title_year or mention_year),
            ("period", period.start.year if period else None),
            ("narrative", opening_year if opening_agency else None),
        )
        if y
    }
    return Meta(
        title=title,
        agency=agency,
        year=year,
        year_source=year_source,
        period=period,
        published=published,
        published_source=published_source,
        signed=signed,
        body_kind=body_kind(agency),
        year_evidence=evidence,
    )
