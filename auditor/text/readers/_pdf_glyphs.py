"""Whether a PDF's text layer can be trusted: present, decodable, not mojibake.

pdfminer shows a glyph its font does not map to a character as ``(cid:123)``; fonts with a
made-up encoding map to the private-use area; a wrong map gives Latin-1 letters or rare CJK
characters. Each is judged by its share of the text, so a stray bad glyph only gets a notice.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from auditor.text.decode import UnreadableInput

# Fewer readable characters than this in the whole file: there is no text layer.
_MIN_TEXT = 10
# Share of characters that do not decode beyond which the text cannot be trusted.
_UNDECODABLE_SHARE = 0.1
# Mojibake made of real CJK characters (UTF-8 read as GBK, a wrong ToUnicode map) is mostly
# rare characters; report text is almost entirely (> 99%) the 3,755 common ones (GB2312 level 1).
_RARE_CJK_SHARE = 0.3
_MIN_CJK = 50


def undecodable_glyphs(texts: Sequence[str]) -> int:
    """How many glyphs of the text do not decode; raises `UnreadableInput` when the text as a
    whole cannot be trusted (no text layer, too many bad glyphs, mojibake)."""
    total = sum(len(_glyphs(t)) for t in texts)
    if total < _MIN_TEXT:
        raise UnreadableInput("pdf_no_text", "PDF 中未检测到文字层，可能是扫描件，需人工核对")
    bad = sum(1 for t in texts for ch in _glyphs(t) if _is_undecodable(ch))
    share = bad / total
    if share > _UNDECODABLE_SHARE:
        raise UnreadableInput(
            "pdf_undecodable",
            f"PDF 的文字无法正确解码（{share:.0%} 的字符为无法识别的字形、私用区字符或乱码），"
            "可能使用了未嵌入编码映射的字体，需人工核对",
        )
    cjk = [ch for t in texts for ch in t if "\u4e00" <= ch <= "\u9fff"]
    rare = sum(1 for ch in cjk if not _common_cjk(ch))
    if len(cjk) >= _MIN_CJK and rare / len(cjk) > _RARE_CJK_SHARE:
        raise UnreadableInput(
            "pdf_undecodable",
            f"PDF 的文字疑为乱码（{rare / len(cjk):.0%} 的汉字为生僻字，正常报告几乎全为常用字），"
            "可能是字体编码映射错误，需人工核对",
        )
    return bad


def _is_undecodable(ch: str) -> bool:
    if ch.startswith("(cid:") or ch == "\ufffd":
        return True
    code = ord(ch[0])
    if 0xE000 <= code <= 0xF8FF or unicodedata.category(ch[0]) == "Cc":
        return True
    # Latin letters with accents in a Chinese report: GBK bytes shown as Latin-1 (mojibake).
    return 0xC0 <= code <= 0x24F and unicodedata.category(ch[0]).startswith("L")


def _common_cjk(ch: str) -> bool:
    """One of the 3,755 common Chinese characters (GB2312 level 1, rows 16-55)."""
    try:
        encoded = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def _glyphs(text: str) -> list[str]:
    """Characters of a text, an unmapped glyph `(cid:123)` counting as one."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("(cid:", i) and (end := text.find(")", i)) > 0:
            out.append(text[i : end + 1])
            i = end + 1
        else:
            out.append(text[i])
            i += 1
    return out
