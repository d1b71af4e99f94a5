"""Classify a printed cell as a number, a blank or a text value, and convert money units."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from auditor.model.types import Cell, CellState, Number

# "Blank" per the format's practice: empty, or only a placeholder.
_BLANK_TOKENS = frozenset({"", "/", "／", "\\", "—", "——", "-", "–", "－", "无", "空", "&nbsp;", "nbsp"})
# Units a report prints after a value: money (converted, see UNIT_FACTORS) and counts.
MONEY_UNITS = ("亿元", "万元", "元", "万")
COUNT_UNITS = ("件", "个", "项", "次", "条", "笔")
UNIT = "|".join((*MONEY_UNITS, *COUNT_UNITS))  # a regex alternation, longest money unit first
# A change written in words before its number (本年增/减: ``减12``, ``增加3``) is a signed value.
SIGN_WORDS = {"增加": "+", "减少": "-", "增": "+", "减": "-"}
SIGN_WORD = "|".join(SIGN_WORDS)  # a regex alternation, longest first
# One printed value: a number, perhaps signed (in words too: 减12) or with its unit (147230元).
VALUE = rf"(?:[+\-]|{SIGN_WORD})?\d[\d,.]*(?:[ \t]?(?:{UNIT}))?"  # a unit may stand one space apart
# A line (or cell) of values only: ``3 0 0 1 4``, ``16减12``.
VALUES_ONLY = re.compile(rf"[\d\s.,+\-−%]+|\s*{VALUE}(?:\s+{VALUE})*\s*")
# A paragraph line printing a row's label and then its values (``行政许可 97``); the label is
# the shortest head the values can follow ("政府集中采购 1个 246900元": 1个 is a value).
LABEL_THEN_VALUES = re.compile(rf"^(?P<label>.*?[^\d\s.,+\-])\s+(?P<values>{VALUE}(?:\s+{VALUE})*)$")
_NEGATIVE = ("-", "−", "－", *(w for w, sign in SIGN_WORDS.items() if sign == "-"))
_NUMBER = re.compile(
    rf"^(?P<sign>[+\-−－]|{SIGN_WORD}|)\s*(?P<int>\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.(?P<frac>\d+))?\s*(?P<unit>{UNIT})?$"
)
_LEADING_NUMBER = re.compile(r"^(?P<sign>[+\-−－]?)(?P<int>\d+)(?:\.(?P<frac>\d+))?")
# Short texts that stand in a value cell without being a label.
_TEXT_VALUES = ("见附件", "详见附件", "见下表", "略", "不适用", "暂无", "未统计")

# No count or amount in a report comes near 10^15, and a float (what JSON readers use) stops
# being exact beyond 15 digits: a longer number is kept as text and reported, never computed.
MAX_DIGITS = 15

UNIT_FACTORS = {"元": Decimal(1), "万元": Decimal(10000), "万": Decimal(10000), "亿元": Decimal(100000000)}


@dataclass(frozen=True)
class ValueToken:
    """A cell that holds a value (not a label)."""

    state: CellState
    raw: str
    amount: Decimal | None  # the number as printed, before unit conversion
    unit: str | None  # 元 / 万元 / 亿元 when printed with the number
    signed: bool = False  # printed with an explicit + or -
    decimals: int = 0
    too_long: bool = False  # a number of more than MAX_DIGITS digits, refused as a value


def _digits(integer: str) -> int:
    return len(integer.replace(",", "").lstrip("0"))


def _decimal(sign: str, integer: str, frac: str | None) -> Decimal | None:
    try:
        value = Decimal(integer.replace(",", "") + ("." + frac if frac else ""))
    except InvalidOperation:
        return None
    return -value if sign in _NEGATIVE else value


# A cell's spaces between digits are dropped (a PDF may space a number's glyphs: "1 2"),
# unless they part three or more groups that are no thousands grouping ("1 234 567").
_SPACED_VALUES = re.compile(r"[+\-−－]?\d+(?:[.,]\d+)?(?:[ \u3000\xa0]+[+\-−－]?\d+(?:[.,]\d+)?){2,}")
_SPACED_THOUSANDS = re.compile(r"[+\-−－]?\d{1,3}(?:[ \u3000\xa0]\d{3})+(?:\.\d+)?")
# A row's digits that could not be split into its columns (see `auditor.model.dump`).
_UNSPLIT = re.compile(r"^〔[^〔〕]+〕$")


def is_value(text: str) -> bool:
    """Whether the printed text is a cell (a value or a printed blank such as ``—``), not a
    label or prose."""
    token = classify(text)
    return token is not None and token.state is not CellState.TEXT


@lru_cache(maxsize=8192)
def classify(text: str) -> ValueToken | None:
    """A `ValueToken` if the printed text is a cell value, else None (a label or prose).

    Cached: tables print the same few texts (0, 1, 无, row labels) over and over, and the
    answer is an immutable token that depends on the text alone.
    """
    raw = text.strip()
    if _UNSPLIT.match(raw):
        return ValueToken(CellState.UNPLACED, raw, None, None)
    if _SPACED_VALUES.fullmatch(raw) and not _SPACED_THOUSANDS.fullmatch(raw):
        return None  # several values in one cell ("1 0 0 0 0 0 1"), not one number to guess
    s = unicodedata.normalize("NFKC", raw).replace(" ", "").replace("\u3000", "")
    if s in _BLANK_TOKENS:
        return ValueToken(CellState.BLANK, raw, None, None)
    m = _NUMBER.match(s)
    if m and max(_digits(m.group("int")), len(m.group("frac") or "")) > MAX_DIGITS:
        return ValueToken(CellState.TEXT, raw, None, None, too_long=True)
    if m:
        unit = m.group("unit")
        money = unit if unit in UNIT_FACTORS else None
        return ValueToken(
            CellState.NUMBER,
            raw,
            _decimal(m.group("sign"), m.group("int"), m.group("frac")),
            "万元" if money == "万" else money,
            signed=bool(m.group("sign")),
            decimals=len(m.group("frac") or ""),
        )
    lead = _LEADING_NUMBER.match(s)
    if lead and len(s) <= 30 and _digits(lead.group("int")) <= MAX_DIGITS:
        return ValueToken(
            CellState.TEXT, raw, _decimal(lead.group("sign"), lead.group("int"), lead.group("frac")), None
        )
    if any(s.startswith(t) for t in _TEXT_VALUES) and len(s) <= 12:
        return ValueToken(CellState.TEXT, raw, None, None)
    return None


def value_cell(key: str, token: ValueToken, value: Number | None, line: int | None) -> Cell:
    """The cell of a printed value: ``value`` in the key's unit, the token's amount as printed."""
    return Cell(key, value, token.raw, token.state, line, token.amount, token.decimals, token.unit)


def to_number(amount: Decimal) -> Number:
    """An int when integral, else a float (JSON has no decimals)."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def convert(amount: Decimal, printed_unit: str | None, default_unit: str | None, target_unit: str) -> Decimal:
    """Convert a money amount to the key's unit; the printed unit wins over the header's."""
    source = printed_unit or default_unit or target_unit
    return amount * UNIT_FACTORS.get(source, Decimal(1)) / UNIT_FACTORS.get(target_unit, Decimal(1))


_UNIT_NOTE = re.compile(r"[（(]\s*(?:单位[^（）()]*|亿元|万元|元)[)）]")


def without_unit(text: str) -> str:
    """A column header without its unit note: ``本年收费金额（单位：万元）`` → ``本年收费金额``."""
    return _UNIT_NOTE.sub("", text)


def header_unit(text: str) -> str | None:
    """The unit a column header states, e.g. ``采购总金额（单位：万元，保留4位小数）`` → 万元."""
    s = unicodedata.normalize("NFKC", text)
    m = re.search(r"单位[:：]?\s*(亿元|万元|元)", s) or re.search(r"\((亿元|万元|元)\)", s)
    return m.group(1) if m else None
