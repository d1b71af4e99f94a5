"""Bytes to text: detect the encoding, refuse what is not text, normalise line structure.

Reports arrive as UTF-8, UTF-8 with BOM, GB18030/GBK (common on older government sites)
and occasionally UTF-16. The encoding is detected, never assumed. A few damaged bytes (a
truncated character, a stray NUL) do not make a report unreadable: they are replaced and
named in one warning; only text that is mostly damage is refused.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace

from charset_normalizer import from_bytes

from auditor.text.document import Block, Document, Notice, TextLine

# Real reports are well under 1 MB; this guards against feeding a database dump to the parser.
MAX_BYTES = 20 * 1024 * 1024
# Longer lines are no report layout (a dump, a minified page); they are wrapped so parsing stays linear.
MAX_LINE_CHARS = 20_000
# "A few" damaged bytes: at most this many, and at most 1 in 100 of the bytes that could be damaged.
MAX_BAD_BYTES = 32
_BAD_SHARE = 100
_PLACES_SHOWN = 10

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
# Controls no text means (a vertical tab is Word's soft line break: it stays).
_STRAY = re.compile(r"[\x00-\x08\x0e-\x1f]")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])
# Whitespace str.strip() knows plus the invisible characters pages carry (BOM, zero-width).
_INVISIBLE = re.compile(r"[\s\ufeff\u200b\u200c\u200d\u2060]+")


class UnreadableInput(Exception):
    """The bytes are not a report we can read; the message says why, in Chinese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class DecodedText:
    """Normalised text plus what was done to get it."""

    text: str
    encoding: str
    stripped_indent: bool
    # (problem code, Chinese message) for what reading repaired: damaged bytes, long lines.
    warnings: tuple[tuple[str, str], ...] = ()


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _places(lines: list[int]) -> str:
    shown = sorted(set(lines))
    text = "、".join(str(n) for n in shown[:_PLACES_SHOWN])
    return f"第 {text} 行" + ("等" if len(shown) > _PLACES_SHOWN else "")


def _tolerant(data: bytes, codec: str) -> tuple[str, list[int]] | None:
    """Decode with a few bad bytes replaced by U+FFFD: (text, byte offsets), or None if too many."""
    wide = codec.startswith("utf-16")
    could_be_bad = len(data) // 2 if wide else len(data) - len(data.translate(None, _HIGH_BYTES))
    limit = min(MAX_BAD_BYTES, could_be_bad // _BAD_SHARE)
    bad: list[int] = []
    pieces: list[str] = []
    pos = 0
    while True:
        try:
            pieces.append(data[pos:].decode(codec))
            break
        except UnicodeDecodeError as exc:
            bad.append(pos + exc.start)
            if len(bad) > limit:
                return None
            pieces.append(data[pos : pos + exc.start].decode(codec) + "\ufffd")
            pos += exc.end
    return "".join(pieces), bad


def _by_bom(data: bytes) -> tuple[str, str, list[tuple[str, str]]] | None:
    """The text when a BOM starts the data and the bytes after it agree with it."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            rest = data[len(bom) :]
            # UTF-16 text always holds zero bytes (ASCII, line ends); without any, the BOM lies.
            if codec.startswith("utf-16") and b"\x00" not in rest and rest:
                return None
            return _wide(rest, codec)
    return None


def _wide(data: bytes, codec: str) -> tuple[str, str, list[tuple[str, str]]] | None:
    """UTF-8 after its BOM, or UTF-16 (a few damaged code units tolerated), if it reads as text."""
    bad: list[int] = []
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        if not codec.startswith("utf-16"):
            return None
        repaired = _tolerant(data, codec)
        if repaired is None:
            return None
        text, bad = repaired
    if not _looks_like_text(text):
        return None
    name = codec.replace("-le", "").replace("-be", "")
    warnings = [_bad_bytes_warning(name.upper(), [text.count("\n", 0, b // 2) + 1 for b in bad])] if bad else []
    return text, name, warnings


def _utf16_unmarked(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when data without a BOM looks like UTF-16: zero bytes (the high
    half of ASCII, line ends included) at least every 500 bytes, mostly (4 in 5) at odd
    (little-endian) or mostly at even (big-endian) offsets, and line ends in that order."""
    odd, even = data[1::2].count(0), data[0::2].count(0)
    zeros = odd + even
    if zeros < 8 or zeros * 500 < len(data) or min(odd, even) * 5 > zeros:
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    newline = "\n".encode(codec)
    return codec if data.count(newline) * 2000 >= len(data) else None


def _detect(data: bytes) -> tuple[str, str, list[tuple[str, str]]]:
    warnings: list[tuple[str, str]] = []
    by_bom = _by_bom(data)
    if by_bom is not None:
        return by_bom
    unmarked = _utf16_unmarked(data)
    if unmarked is not None:
        wide = _wide(data, unmarked)
        if wide is not None:
            return wide
    for bom, _ in _BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
            warnings.append(("bom_mismatch", "文件开头的字节顺序标记（BOM）与内容的编码不符，已忽略该标记"))
            break
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few damaged bytes before GB18030: GB18030 decodes most UTF-8 bytes as
    # (wrong) Chinese, so a damaged UTF-8 file must not be read as GB18030.
    repaired = _tolerant(data, "utf-8")
    if repaired is not None:
        text, bad = repaired
        warnings.append(_bad_bytes_warning("UTF-8", [_line_of(data, b) for b in bad]))
        return text, "utf-8", warnings
    # GB18030 is a superset of GBK and GB2312: try it before asking the detector,
    # which can mistake short Chinese texts for Big5 or Shift-JIS.
    try:
        text = data.decode("gb18030")
        if _looks_like_text(text):
            return text, "gb18030", warnings
    except UnicodeDecodeError:
        repaired = _tolerant(data, "gb18030")
        if repaired is not None and _looks_like_text(repaired[0]):
            warnings.append(_bad_bytes_warning("GB18030", [_line_of(data, b) for b in repaired[1]]))
            return repaired[0], "gb18030", warnings
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableInput("binary", "无法识别文件编码，可能不是文本文件")
    return str(best), best.encoding, warnings


def _bad_bytes_warning(encoding: str, lines: list[int]) -> tuple[str, str]:
    return (
        "bad_bytes",
        f"文件有 {len(lines)} 个字节不是有效的 {encoding} 编码（{_places(lines)}），已替换为“\ufffd”后继续读取",
    )


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    return len(_CONTROL.findall(text)) * _BAD_SHARE < len(text)


def _drop_controls(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Remove a few stray control characters (NUL included) wherever they are, or refuse the text."""
    found = [m.start() for m in _STRAY.finditer(text)]
    if not found:
        return text, []
    if len(found) * _BAD_SHARE > len(text):
        raise UnreadableInput("binary", "文件含有大量控制字符或二进制内容，不是文本文件")
    lines = [text.count("\n", 0, i) + 1 for i in found]
    message = f"文件含有 {len(found)} 个控制字符（{_places(lines)}），已删除后继续读取"
    return _STRAY.sub("", text), [("control_chars", message)]


def _refuse_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise UnreadableInput(
            "too_large",
            f"文件过大（{size / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB），不像一份年度报告",
        )


def decode_report(data: bytes, max_bytes: int = MAX_BYTES) -> DecodedText:
    """Decode and normalise report bytes, or raise `UnreadableInput`."""
    if not data.strip():
        raise UnreadableInput("empty", "文件为空")
    _refuse_size(len(data), max_bytes)
    # Clearly binary (an image, an archive) is refused before decoding is tried; the same
    # share of controls anywhere else is refused after decoding (`_drop_controls`).
    head = data[:4096]
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    wide = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_unmarked(head) is not None
    if controls * _BAD_SHARE > len(head) and not wide:
        raise UnreadableInput("binary", "文件含有二进制内容，不是文本文件")
    text, encoding, warnings = _detect(data)
    return prepare(text, encoding, warnings)


def prepare(text: str, encoding: str, warnings: list[tuple[str, str]] | None = None) -> DecodedText:
    """Text from any reader, ready for the parser: controls dropped, normalised. Long lines are
    wrapped later, on the read document (`wrap_document`), after crawler dumps are re-lined.

    Raises `UnreadableInput` when nothing readable is left (only spaces, BOMs, controls).
    """
    notes = list(warnings or ())
    text, dropped = _drop_controls(text)
    notes += dropped
    text, stripped = normalise(text)
    if not _INVISIBLE.sub("", text):
        raise UnreadableInput("empty", "文件没有可读的内容（只有空白字符）")
    return DecodedText(text=text, encoding=encoding, stripped_indent=stripped, warnings=tuple(notes))


def wrap_document(document: Document) -> Document:
    """The document with text lines longer than `MAX_LINE_CHARS` cut, and one notice naming them."""
    blocks: list[Block] = []
    long: list[int] = []
    for block in document.blocks:
        if isinstance(block, TextLine) and len(block.text) > MAX_LINE_CHARS:
            long.append(block.place.line or 0)
            text = block.text
            blocks.extend(
                TextLine(text[i : i + MAX_LINE_CHARS], block.place) for i in range(0, len(text), MAX_LINE_CHARS)
            )
        else:
            blocks.append(block)
    if not long:
        return document
    message = f"{_places(long)}过长（超过 {MAX_LINE_CHARS} 个字符），已按每 {MAX_LINE_CHARS} 个字符折行读取"
    notice = Notice("long_line", message, None, "warning")
    return replace(document, blocks=tuple(blocks), notices=(*document.notices, notice))


def normalise(text: str) -> tuple[str, bool]:
    """Unify line ends and drop a tab indent that every line shares (a copy artefact).

    Returns the text (ending in a newline) and whether a shared indent was removed.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    # Non-breaking spaces come from HTML (&nbsp;): to a reader they are plain spaces.
    text = text.replace("&nbsp;", " ").replace("\xa0", " ")
    # pdftotext starts each page with a form feed; editors show it on the line it opens,
    # so it becomes a space (not a line end) and every line keeps its number.
    text = text.replace("\f", " ")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    content = [ln for ln in lines if ln.strip()]
    stripped = bool(content) and all(ln.startswith("\t") for ln in content)
    if stripped:
        lines = [ln[1:] if ln.startswith("\t") else ln for ln in lines]
    return "\n".join(lines) + "\n", stripped
