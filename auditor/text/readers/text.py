"""Plain text (web-page text, crawler dumps, markdown): one `TextLine` per source line."""

from __future__ import annotations

from auditor.text.decode import decode_report
from auditor.text.document import Document, Notice, Place, TextLine
from auditor.text.readers import Reader

_NATIVE = ("utf-8", "ascii")
# The places of lines 0…N, made once per process: a place is immutable, so every report
# shares them (real reports have a few hundred lines; longer files make their own).
_SHARED_PLACES = 2048
_LINE_PLACES = tuple(Place(line=n) for n in range(_SHARED_PLACES + 1))


def _place(n: int) -> Place:
    return _LINE_PLACES[n] if n <= _SHARED_PLACES else Place(line=n)


def read(data: bytes) -> Document:
    """Decode the bytes; every line keeps its 1-based line number."""
    decoded = decode_report(data)
    lines = decoded.text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    notices = [Notice(code, message, None, "warning") for code, message in decoded.warnings]
    if decoded.encoding not in _NATIVE:
        notices.append(Notice("encoding", f"文件编码为 {decoded.encoding}，已自动转换"))
    blocks = tuple(TextLine(text, _place(n)) for n, text in enumerate(lines, 1))
    return Document("text", blocks, decoded.encoding, tuple(notices))


READER = Reader("text", 100, lambda data, suffix: True, read)
