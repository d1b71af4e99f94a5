"""Plain text (web-page text, crawler dumps, markdown): one `TextLine` per source line."""

from __future__ import annotations

from auditor.text.decode import decode_report
from auditor.text.document import Document, Notice, Place, TextLine
from auditor.text.readers import Reader

_NATIVE = ("utf-8", "ascii")


def read(data: bytes) -> Document:
    """Decode the bytes; every line keeps its 1-based line number."""
    decoded = decode_report(data)
    lines = decoded.text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    notices = [Notice(code, message, None, "warning") for code, message in decoded.warnings]
    if decoded.encoding not in _NATIVE:
        notices.append(Notice("encoding", f"文件编码为 {decoded.encoding}，已自动转换"))
    blocks = tuple(TextLine(text, Place(line=n)) for n, text in enumerate(lines, 1))
    return Document("text", blocks, decoded.encoding, tuple(notices))


READER = Reader("text", 100, lambda data, suffix: True, read)
