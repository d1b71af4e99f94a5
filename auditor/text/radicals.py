"""CJK radicals standing for the ordinary characters they look like.

Some PDF producers (a browser's "print to PDF", some Word fonts) map a character's glyph to
the code point of the Kangxi radical or radical-supplement form that looks the same: 行 comes
out as ⾏ (U+2F8F), 民 as ⺠ (U+2EA0). Text copied out of such a PDF carries them into web pages
and crawler dumps too. To a reader they are the characters; left as they are, no heading,
label or name containing them would match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from auditor.text.document import Block, Document, TableGrid, TextLine

# Kangxi radicals (U+2F00–U+2FD5) each decompose to their character; of the supplement's
# simplified and standalone forms only two do, so the ones that are ordinary characters are
# listed here.
_SUPPLEMENT = {
    "⺁": "厂", "⺇": "几", "⺌": "小", "⺍": "小", "⺎": "兀", "⺏": "尣", "⺐": "尢", "⺒": "巳",
    "⺓": "幺", "⺔": "彑", "⺖": "忄", "⺗": "心", "⺘": "扌", "⺙": "攵", "⺛": "旡", "⺜": "日", "⺝": "月",
    "⺞": "歺", "⺟": "母", "⺠": "民", "⺡": "氵", "⺢": "氺", "⺣": "灬", "⺤": "爫", "⺥": "爫", "⺦": "丬",
    "⺧": "牜", "⺨": "犭", "⺩": "王", "⺪": "疋", "⺫": "罒", "⺬": "示", "⺭": "礻", "⺮": "竹", "⺯": "糸",
    "⺰": "纟", "⺱": "罓", "⺲": "罒", "⺳": "网", "⺴": "罒", "⺵": "罒", "⺶": "羊", "⺷": "羊", "⺸": "羊",
    "⺹": "耂", "⺺": "聿", "⺻": "聿", "⺼": "月", "⺽": "臼", "⺾": "艹", "⺿": "艹", "⻀": "艹", "⻁": "虎",
    "⻂": "衤", "⻃": "西", "⻄": "西", "⻅": "见", "⻆": "角", "⻇": "角", "⻈": "讠", "⻉": "贝", "⻊": "足",
    "⻋": "车", "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻏": "阝", "⻐": "钅", "⻑": "長", "⻒": "镸", "⻓": "长",
    "⻔": "门", "⻖": "阝", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞",
    "⻝": "食", "⻞": "食", "⻟": "食", "⻠": "饣", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼",
    "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻫": "斉", "⻬": "齐", "⻭": "歯", "⻮": "齿",
    "⻯": "竜", "⻰": "龙", "⻱": "龜", "⻲": "亀", "⻳": "龟",
}  # fmt: skip
_KANGXI = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0x2F00, 0x2FD6)}
_TABLE = str.maketrans({**_KANGXI, **_SUPPLEMENT})
_RADICAL = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")


def unify(text: str) -> str:
    """``text`` with every radical that stands for a character replaced by the character."""
    return text.translate(_TABLE) if _RADICAL.search(text) else text


def unify_document(document: Document) -> Document:
    """The document with its lines, table cells and page facts unified (itself when none has a radical)."""
    if not any(_RADICAL.search(t) for t in _texts(document)):
        return document
    blocks: list[Block] = []
    for block in document.blocks:
        if isinstance(block, TextLine):
            blocks.append(replace(block, text=unify(block.text)))
        else:
            blocks.append(replace(block, rows=tuple(tuple(unify(c) for c in row) for row in block.rows)))
    hints = {key: unify(value) for key, value in document.hints.items()}
    return replace(document, blocks=tuple(blocks), hints=hints)


def _texts(document: Document) -> list[str]:
    texts = [*document.hints.values()]
    for block in document.blocks:
        if isinstance(block, TableGrid):
            texts.extend(c for row in block.rows for c in row)
        else:
            texts.append(block.text)
    return texts
