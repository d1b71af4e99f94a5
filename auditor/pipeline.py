"""The data path end to end: file → text → outline → Report (→ audit record).

Library entry points live here so the CLI stays thin and tests need no typer.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from auditor.model.build import build_report
from auditor.model.types import Meta, Problem, Report, Source
from auditor.text.decode import DecodedText, UnreadableInput, decode_report, normalise
from auditor.text.html import docx_to_text, html_to_text, looks_like_html
from auditor.tree.parser import parse_outline

REPORT_SUFFIXES = (".txt", ".md", ".text", ".html", ".htm", ".docx")


def parse_text(text: str, path: str = "<text>", *, encoding: str | None = "utf-8") -> Report:
    """Parse report text that is already decoded."""
    normalised, _ = normalise(text)
    data = text.encode("utf-8", errors="replace")
    source = Source(path, hashlib.sha256(data).hexdigest(), None, encoding, len(data))
    return build_report(normalised, parse_outline(normalised), source)


def unreadable_report(path: str, code: str, message: str, data: bytes = b"") -> Report:
    """A report that could not be read: no content, one problem saying why."""
    source = Source(path, hashlib.sha256(data).hexdigest(), None, None, len(data))
    return Report(source=source, meta=Meta(), problems=(Problem(code, message, None, "error"),))


def _docx_text(data: bytes) -> DecodedText:
    try:
        text = docx_to_text(data)
    except Exception as exc:  # python-docx raises many types for a broken package
        raise UnreadableInput("bad_docx", f"无法读取 DOCX 文件：{type(exc).__name__}") from exc
    normalised, stripped = normalise(text)
    return DecodedText(normalised, "docx", stripped)


def parse_bytes(data: bytes, path: str) -> Report:
    """Decode and parse report bytes; unreadable input gives a report with one problem.

    HTML pages and DOCX files are converted to text first; their tables keep exact cells.
    """
    converted: str | None = None
    try:
        if path.lower().endswith(".docx") or data.startswith(b"PK\x03\x04"):
            decoded: DecodedText = _docx_text(data)
            converted = "docx"
        else:
            decoded = decode_report(data)
            if path.lower().endswith((".html", ".htm")) or looks_like_html(decoded.text):
                normalised, stripped = normalise(html_to_text(decoded.text))
                decoded = DecodedText(normalised, decoded.encoding, stripped)
                converted = "html"
    except UnreadableInput as exc:
        return unreadable_report(path, exc.code, exc.message, data)
    source = Source(path, hashlib.sha256(data).hexdigest(), None, decoded.encoding, len(data))
    report = build_report(decoded.text, parse_outline(decoded.text), source, converted_from=converted)
    if decoded.encoding not in ("utf-8", "ascii", "docx"):
        note = Problem("encoding", f"文件编码为 {decoded.encoding}，已自动转换", None, "info")
        report = Report(
            report.source,
            report.meta,
            report.sections,
            report.cells,
            report.unplaced_rows,
            report.tables,
            (note, *report.problems),
            report.lines,
        )
    return report


def read_report(path: Path) -> Report:
    """Read and parse one report file; never raises for bad content."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return unreadable_report(str(path), "unreadable", f"无法读取文件：{exc.strerror or exc}")
    return parse_bytes(data, str(path))


def collect_paths(paths: list[Path]) -> list[Path]:
    """Files named directly, plus report files found recursively in named folders (sorted)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES))
        else:
            out.append(p)
    return out
