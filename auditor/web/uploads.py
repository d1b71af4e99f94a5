"""Uploaded reports onto disk: names made safe, zips unpacked without traversal or bombs.

Only the uploads folder of a batch is ever written; nothing a user names is used as a
path beyond its last, sanitised component.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from auditor.pipeline import REPORT_SUFFIXES
from auditor.render.output import unique_stems
from auditor.text.decode import MAX_BYTES
from auditor.text.limits import MAX_RATIO

MAX_FILES = 2_000  # reports in one upload, counting zip members
MAX_UPLOAD_BYTES = 512 * 1024 * 1024  # the request body as sent
MAX_ZIP_INFLATED = 1024 * 1024 * 1024  # what one zip may unpack to in all
_RATIO_FROM = 1024 * 1024  # small members may compress as well as they like


class UploadRefused(Exception):
    """The upload as a whole is refused (Chinese reason)."""


@dataclass(frozen=True)
class Incoming:
    """One uploaded report: the name the user gave and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Skipped:
    """An uploaded file that is no report (or too large): its name and why."""

    name: str
    reason: str


def is_report_name(name: str) -> bool:
    """Whether a name has one of the suffixes the CLI reads (hidden and Office lock files are not reports)."""
    base = PurePosixPath(name.replace("\\", "/")).name
    return base.lower().endswith(REPORT_SUFFIXES) and not base.startswith((".", "~$"))


def unpack_zip(name: str, data: bytes) -> tuple[list[Incoming], list[Skipped]]:
    """The report members of a zip, checked against the caps before anything is inflated."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UploadRefused(f"{name} 不是有效的 zip 压缩包") from None
    if len(members) > MAX_FILES:
        raise UploadRefused(f"{name} 包含 {len(members)} 个文件，超出上限 {MAX_FILES}")
    total = sum(m.file_size for m in members)
    if total > MAX_ZIP_INFLATED:
        raise UploadRefused(f"{name} 解压后达 {total / 1048576:.0f} MB，超出上限 {MAX_ZIP_INFLATED / 1048576:.0f} MB")
    found: list[Incoming] = []
    skipped: list[Skipped] = []
    for m in members:
        inner = f"{name}/{m.filename}"
        if not is_report_name(m.filename):
            continue  # folders of reports carry other files too; they are not listed
        if m.file_size > MAX_BYTES:
            skipped.append(Skipped(inner, f"文件过大（上限 {MAX_BYTES / 1048576:.0f} MB）"))
            continue
        if m.file_size > _RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise UploadRefused(f"{name} 中的 {m.filename[:60]} 压缩比异常，疑为压缩炸弹，未解压")
        try:
            with archive.open(m) as f:
                content = f.read(MAX_BYTES + 1)  # never more than declared caps, whatever the header says
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
            skipped.append(Skipped(inner, "无法解压（损坏或加密）"))
            continue
        found.append(Incoming(m.filename, content))
    return found, skipped


def expand(uploaded: list[Incoming]) -> tuple[list[Incoming], list[Skipped]]:
    """Uploaded files with every zip replaced by its report members; other files kept or skipped."""
    reports: list[Incoming] = []
    skipped: list[Skipped] = []
    for item in uploaded:
        if item.name.lower().endswith(".zip"):
            inner, bad = unpack_zip(item.name, item.data)
            reports += inner
            skipped += bad
        elif not is_report_name(item.name):
            skipped.append(Skipped(item.name, "不是可审计的报告文件（.txt .md .html .htm .docx .pdf 或其 zip）"))
        elif len(item.data) > MAX_BYTES:
            skipped.append(Skipped(item.name, f"文件过大（上限 {MAX_BYTES / 1048576:.0f} MB）"))
        else:
            reports.append(item)
    if len(reports) > MAX_FILES:
        raise UploadRefused(f"一次最多上传 {MAX_FILES} 份报告，本次有 {len(reports)} 份")
    return reports, skipped


def save(reports: list[Incoming], folder: Path) -> list[Path]:
    """Write each report into ``folder`` under a safe, unique name (its suffix kept); the paths in order."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for item, stem in zip(reports, unique_stems([r.name for r in reports]), strict=True):
        target = folder / f"{stem}{PurePosixPath(item.name.replace(chr(92), '/')).suffix.lower()}"
        target.write_bytes(item.data)
        out.append(target)
    return out
