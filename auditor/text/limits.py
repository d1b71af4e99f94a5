"""Limits checked before reading: what the file system says about a file, and what a zip
archive (a DOCX) says about its members, so a hostile input is refused before it costs
memory or time. Each check raises `UnreadableInput` with a Chinese reason."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

from auditor.text.decode import MAX_BYTES, UnreadableInput

# A DOCX report inflates to a few MB at most; XML compresses about 10:1.
MAX_INFLATED_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 5_000
_RATIO_FROM = 1024 * 1024  # small members may compress as well as they like


def check_file(path: Path, max_bytes: int = MAX_BYTES) -> int:
    """The size of a regular file that is small enough to read; refuses devices, pipes, sockets."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise UnreadableInput("unreadable", f"无法读取文件：{exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableInput("special_file", "不是普通文件（设备、管道、套接字或文件夹），未读取")
    if info.st_size > max_bytes:
        raise UnreadableInput(
            "too_large",
            f"文件过大（{info.st_size / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB），不像一份年度报告",
        )
    return info.st_size


def read_limited(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a checked file, never more than ``max_bytes`` + 1 (the file may grow meanwhile)."""
    check_file(path, max_bytes)
    try:
        with open(path, "rb") as f:
            return f.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableInput("unreadable", f"无法读取文件：{exc.strerror or exc}") from exc


def check_archive(data: bytes) -> None:
    """Refuse a zip whose members would inflate beyond the caps (a zip bomb) before unpacking it.

    The sizes are the ones the archive declares; the zip reader never inflates a member
    beyond its declared size, so checking them bounds the real work.
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableInput("bad_docx", f"无法读取 DOCX 文件：{type(exc).__name__}") from exc
    if len(members) > MAX_MEMBERS:
        raise UnreadableInput("archive_limit", f"DOCX 文件包含 {len(members)} 个部件，超出上限 {MAX_MEMBERS}，未读取")
    total = sum(m.file_size for m in members)
    if total > MAX_INFLATED_BYTES:
        raise UnreadableInput(
            "archive_limit",
            f"DOCX 文件解压后达 {total / 1048576:.0f} MB，超出上限 {MAX_INFLATED_BYTES / 1048576:.0f} MB，未读取",
        )
    for m in members:
        if m.file_size > _RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise UnreadableInput(
                "archive_limit",
                f"DOCX 文件的部件 {m.filename[:60]!r} 压缩比异常（{m.file_size // max(m.compress_size, 1)}:1），"
                "疑为压缩炸弹，未读取",
            )
