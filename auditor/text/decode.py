"""Bytes to text: detect the encoding, refuse what is not text, normalise line structure.

Reports arrive as UTF-8, UTF-8 with BOM, GB18030/GBK (common on older government sites)
and occasionally UTF-16. The encoding is detected, never assumed.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

# Real reports are well under 1 MB; this guards against feeding a database dump to the parser.
MAX_BYTES = 20 * 1024 * 1024


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


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


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _detect(data: bytes) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name.replace("-sig", "")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # GB18030 is a superset of GBK and GB2312: try it before asking the detector,
    # which can mistake short Chinese texts for Big5 or Shift-JIS.
    try:
        text = data.decode("gb18030")
        if _looks_like_text(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableInput("binary", "无法识别文件编码，可能不是文本文件")
    return str(best), best.encoding


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    return len(_CONTROL.findall(text)) / len(text) < 0.01


def decode_report(data: bytes, max_bytes: int = MAX_BYTES) -> DecodedText:
    """Decode and normalise report bytes, or raise `UnreadableInput`."""
    if not data.strip():
        raise UnreadableInput("empty", "文件为空")
    if len(data) > max_bytes:
        raise UnreadableInput(
            "too_large",
            f"文件过大（{len(data) / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB），不像一份年度报告",
        )
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableInput("binary", "文件含有二进制内容，不是文本文件")
    text, encoding = _detect(data)
    if not _looks_like_text(text):
        raise UnreadableInput("binary", "文件含有大量控制字符，不是文本文件")
    text, stripped = normalise(text)
    return DecodedText(text=text, encoding=encoding, stripped_indent=stripped)


def normalise(text: str) -> tuple[str, bool]:
    """Unify line ends and drop a tab indent that every line shares (a copy artefact).

    Returns the text (ending in a newline) and whether a shared indent was removed.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    # Non-breaking spaces come from HTML (&nbsp;): to a reader they are plain spaces.
    text = text.replace("&nbsp;", " ").replace("\xa0", " ")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    content = [ln for ln in lines if ln.strip()]
    stripped = bool(content) and all(ln.startswith("\t") for ln in content)
    if stripped:
        lines = [ln[1:] if ln.startswith("\t") else ln for ln in lines]
    return "\n".join(lines) + "\n", stripped
