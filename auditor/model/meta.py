"""Report-level facts: title, agency, year, statistical period, publication and signature dates.

The report year comes from the title, else from the report's own name in the preamble,
else the statistical period, else the year that opens part 一 — never from the tables.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from auditor.model.types import BodyKind, Meta, Period
from auditor.tree.parser import Block, Outline

_ORGAN_SUFFIX = (
    "人民政府办公室|人民政府办公厅|管理委员会办公室|管委会办公室|人民政府|街道办事处|办事处|管理委员会|管委会"
    "|委员会|办公室|办公厅|政府|局|厅|委|办|署|院|中心|公司|集团"
)
_TITLE = re.compile(r"^(?P<agency>.*?)(?P<year>\d{4})\s*年\s*度?\s*(?:政府信息公开|政务公开)")
# "2023年度青川县人民政府政府信息公开工作年度报告": the year before the organ.
_TITLE_YEAR_FIRST = re.compile(r"^(?P<year>\d{4})\s*年\s*度?\s*(?P<agency>.+?)(?:政府信息公开|政务公开)")
_NAME_MENTION = re.compile(
    r"(?P<agency>[\u4e00-\u9fff()（）]{2,40}?)(?P<year>\d{4})\s*年\s*度?\s*(?:政府信息公开|政务公开)(?:工作)?(?:年度)?(?:报告|年报)"
)
_OPENING = re.compile(
    r"^\s*(?P<year>\d{4})\s*年(?:度|以来)?\s*[，,、]?\s*(?P<agency>[\u4e00-\u9fff()（）]{2,30}?(?:"
    + _ORGAN_SUFFIX
    + "))"
)
_LEADING_WORDS = re.compile(r"^(?:现将|特将|兹将|现予|特此|根据|按照|依据|关于|将|现|由|是|的)+")
_DATE = r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
_PUBLISH_FIELDS = ("发布日期", "发布时间", "发文日期", "生成日期", "公开日期", "日期")
_PERIOD = re.compile(
    r"(?P<y1>\d{4})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日?\s*(?:起)?\s*(?:至|到|—|－|-|~|～)\s*"
    r"(?:(?P<y2>\d{4})\s*年\s*)?(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"
)
_PERIOD_CONTEXT = re.compile(r"统计|期限|时限|时间段|时段|所列数据|数据|报告期|时间范围|起止时间")


_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = re.compile("([〇○零一二三四五六七八九]{4})年")
_CN_MONTH_DAY = re.compile("([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


def _cn_number(text: str) -> int:
    """一…三十一 as written in dates (十二, 二十, 二十三, 三十一)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def arabic_dates(text: str) -> str:
    """Official documents often write dates in Chinese numerals (二〇二四年一月二十日)."""
    text = _CN_YEAR.sub(lambda m: "".join(str(_CN_DIGITS[c]) for c in m.group(1)) + "年", text)
    return _CN_MONTH_DAY.sub(lambda m: f"{_cn_number(m.group(1))}月{_cn_number(m.group(2))}日", text)


_WHITESPACE_RUN = re.compile(r"\s+")


def _nfkc(text: str) -> str:
    # Runs of whitespace become one space: the date patterns then cannot backtrack over them.
    return arabic_dates(_WHITESPACE_RUN.sub(" ", unicodedata.normalize("NFKC", text)))


def _make_date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def clean_agency(name: str) -> str | None:
    """Strip lead-in verbs and brackets noise from a candidate organ name."""
    name = _LEADING_WORDS.sub("", name.strip(" 　《》“”\"'，,。:："))
    name = re.sub(r"[（(](?:办公室|办公厅)[)）]$", "", name)
    return name if 2 <= len(name) <= 40 and re.search(f"(?:{_ORGAN_SUFFIX})$", name) else None


def body_kind(agency: str | None) -> BodyKind | None:
    """Government (its own report, due 31 March), township, or department (due 31 January)."""
    if not agency:
        return None
    if re.search(r"(?:乡|镇)人民政府$|街道办事处$|办事处$", agency):
        return BodyKind.TOWNSHIP
    if agency.endswith(("人民政府", "市政府", "县政府", "区政府")):
        return BodyKind.GOVERNMENT
    return BodyKind.DEPARTMENT


def _title(outline: Outline) -> tuple[str | None, int | None, str | None]:
    """(title, year, agency) from the first title-like line before part 一."""
    for block in outline.preamble:
        if block.kind != "title":
            continue
        text = block.lines[0].text.strip().lstrip("#").strip().strip("*").strip()
        if ">" in text or text.startswith(("附件", "相关附件")):
            continue
        m = _TITLE.search(_nfkc(text))
        if m is None or not m.group("agency").strip():
            m = _TITLE_YEAR_FIRST.search(_nfkc(text)) or m
        if m:
            return text, int(m.group("year")), clean_agency(m.group("agency"))
    for block in outline.preamble:
        if block.kind == "meta":
            m = re.search(r"(?:名\s*称|标\s*题)\s*[:：]\s*(?P<t>\S+)", block.lines[0].text)
            t = _TITLE.search(_nfkc(m.group("t"))) if m else None
            if m and t:
                return m.group("t"), int(t.group("year")), clean_agency(t.group("agency"))
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
    for i, (number, text) in enumerate(lines):
        first = _nfkc(text)
        following = _nfkc(lines[i + 1][1]) if i + 1 < len(lines) else ""
        s = first + following
        for m in _PERIOD.finditer(s):
            if m.start() >= len(first):
                break  # starts on the next line: read there
            before = s[max(0, m.start() - 40) : m.start()]
            if not _PERIOD_CONTEXT.search(before + s[m.end() : m.end() + 4]):
                continue
            start = _make_date(m.group("y1"), m.group("m1"), m.group("d1"))
            end = _make_date(m.group("y2") or m.group("y1"), m.group("m2"), m.group("d2"))
            if start and end:
                return Period(start, end, number, m.group(0))
    return None


def _published(outline: Outline) -> date | None:
    best: tuple[int, date] | None = None
    for block in outline.preamble:
        for ln in block.lines:
            s = _nfkc(ln.text)
            for rank, field in enumerate(_PUBLISH_FIELDS):
                m = re.search(re.escape(field) + r"\s*[:：]\s*" + _DATE, s)
                if m:
                    d = _make_date(m.group("y"), m.group("m"), m.group("d"))
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

    agency = title_agency or mention_agency or signer or opening_agency
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
