"""Chinese numerals as reports write them: list numbers (一、 （三） 第二部分), dates
(二〇二四年元月二十日) and part numbers.

The one place these characters are listed: every pattern that reads or writes a Chinese
numeral is built from the fragments here (regular expressions, the outline grammar).
"""

from __future__ import annotations

from collections.abc import Mapping

SMALL = "一二三四五六七八九十"
"""The numerals of list numbers, months and days: one to ten, and the tens (二十三)."""

NUMERAL = f"[{SMALL}]"
"""One numeral, as a regular-expression class."""

DIGITS: Mapping[str, int] = {
    "〇": 0, "○": 0, "零": 0, "0": 0, "O": 0,  # a year is often typed with a Latin 0 or O for 〇 (二0一三年)
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
"""Digits of a year written digit by digit (二〇二四)."""

YEAR = f"[〇○零一二][{''.join(DIGITS)}]{{3}}"
"""A year in Chinese digits: four of them, the first 一 or 二 (or a zero typed for it)."""

MONTH = f"[元{SMALL}]{{1,3}}"
"""A month's number (元月 is January)."""

DAY = f"{NUMERAL}{{1,3}}"
"""A day's number (一 … 三十一)."""

_WRITTEN = "〇" + SMALL
"""How a number from 0 to 10 is written (`written`)."""


def value(text: str) -> int:
    """一 … 三十一 as written in dates (十二, 二十, 二十三, 三十一); 元 (元月) is 1."""
    if text == "元":
        return 1
    if "十" not in text:
        return DIGITS[text]
    tens, _, units = text.partition("十")
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[units] if units else 0)


def written(n: int) -> str:
    """The numeral of ``n`` from 0 to 10 (a part or list number); other numbers in Arabic digits."""
    return _WRITTEN[n] if 0 <= n < len(_WRITTEN) else str(n)
