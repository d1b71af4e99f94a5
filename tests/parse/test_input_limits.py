"""Limits checked before reading (issue 9): the size from the file system, special files,
zip bombs; none of them is read into memory or waited on."""

from __future__ import annotations

import io
import os
import sys
import time
import zipfile
from pathlib import Path

import pytest

from auditor.model.serialize import report_record
from auditor.pipeline import read_report
from auditor.text.limits import MAX_INFLATED_BYTES


def _codes(path: Path) -> set[str]:
    return {p["code"] for p in report_record(read_report(path))["problems"]}


def test_size_is_judged_from_the_file_system_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "dump.txt"
    with open(huge, "wb") as f:
        f.truncate(3 * 1024**3)  # sparse: 3 GB as the file system says, no disk used
    started = time.monotonic()
    assert _codes(huge) == {"too_large"}
    assert time.monotonic() - started < 2  # not read


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert _codes(fifo) == {"special_file"}


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_refused() -> None:
    assert _codes(Path("/dev/zero")) == {"special_file"}


def _docx(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_docx_is_refused_before_inflating(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_docx({"word/document.xml": b"\0" * (MAX_INFLATED_BYTES // 2)}))
    assert bomb.stat().st_size < 1024 * 1024
    started = time.monotonic()
    assert _codes(bomb) == {"archive_limit"}
    assert time.monotonic() - started < 2


def test_a_docx_inflating_beyond_the_total_cap_is_refused(tmp_path: Path) -> None:
    # Each member compresses about 60:1 (no bomb by ratio); together they inflate beyond the cap.
    member = os.urandom(16 * 1024) * 64
    many = {f"word/media/image{i}.bin": member for i in range(MAX_INFLATED_BYTES // len(member) + 1)}
    big = tmp_path / "big.docx"
    big.write_bytes(_docx(many))
    assert big.stat().st_size < 5 * 1024 * 1024
    assert _codes(big) == {"archive_limit"}


def test_a_broken_docx_is_still_bad_docx(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04" + b"garbage" * 10)
    assert _codes(broken) == {"bad_docx"}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
def test_a_file_name_that_is_not_utf8_is_shown_with_replacement_characters(tmp_path: Path) -> None:
    name = os.fsdecode(b"bad\xff\xfename.txt")
    path = tmp_path / name
    path.write_text("一、总体情况\n", encoding="utf-8")
    shown = report_record(read_report(path))["source"]["path"]
    shown.encode("utf-8")  # no lone surrogates
    assert shown.endswith("bad\ufffd\ufffdname.txt")
