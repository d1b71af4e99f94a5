"""The 整改清单 and the 通报 printed through LibreOffice: A4 portrait, pages, fonts, clean text.

Needs ``soffice`` (LibreOffice Writer) and poppler's ``pdfinfo``/``pdffonts``/``pdftotext``/
``pdftoppm``; `.ci/run` installs them best effort, and without them these tests skip. Each
PDF is also rendered to PNG under ``$AUDITOR_TEST_ARTIFACTS`` (default
``reports_out/test-artifacts``) so a person can look at the pages.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from auditor.pipeline import AuditOptions, audit_file, audit_files
from auditor.render.formats import bulletin_docx, rectification_docx
from auditor.render.kinds import ReportEntry
from tests.conftest import EXAMPLES, ROOT, SEEDS

TOOLS = ("soffice", "pdfinfo", "pdffonts", "pdftotext", "pdftoppm")
pytestmark = pytest.mark.skipif(
    any(shutil.which(t) is None for t in TOOLS),
    reason="LibreOffice or poppler-utils missing (.ci/run installs libreoffice-writer and poppler-utils)",
)
ARTIFACTS = Path(os.environ.get("AUDITOR_TEST_ARTIFACTS", ROOT / "reports_out" / "test-artifacts"))
RULE_ID = re.compile(r"(?<![A-Za-z])[A-Z]{2,}-\d{3}")
CJK_FONT = re.compile(r"CJK|Song|Fang|Hei|Kai|Ming|Noto Serif SC|Noto Sans SC|WenQuanYi|AR PL", re.I)


def _pdf(docx: bytes, name: str, tmp_path: Path) -> Path:
    source = tmp_path / f"{name}.docx"
    source.write_bytes(docx)
    profile = tmp_path / "lo-profile"  # a private profile: parallel runs do not share a lock
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / f"{name}.pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(ARTIFACTS / name)], check=True, timeout=120)
    return pdf


def _check(pdf: Path, min_pages: int = 1) -> str:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore[union-attr]
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert min_pages <= pages <= 20
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert CJK_FONT.search(fonts), fonts  # Chinese set in a CJK face, not boxes
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert not RULE_ID.search(text)
    assert "未经核实" not in text and "检查实践" not in text
    return text


def test_seed_000_and_dongling_lists_print_as_a4_documents(tmp_path: Path) -> None:
    paths = [EXAMPLES / "2023_dongling_county_wrong_total_tab.txt"]
    if (SEEDS / "000_97623f781dbd24e0.txt").is_file():
        paths.append(SEEDS / "000_97623f781dbd24e0.txt")
    for path in paths:
        record = audit_file(path, AuditOptions())
        text = _check(_pdf(rectification_docx.render(record), f"整改清单-{path.stem}", tmp_path))
        assert "整改清单" in text and "整改期限" in text and re.search(r"—\s*1\s*—", text)


def test_bulletin_prints_as_an_a4_document(tmp_path: Path) -> None:
    records = audit_files(sorted(EXAMPLES.glob("*.txt")), AuditOptions(), jobs=1)
    text = _check(_pdf(bulletin_docx.render([ReportEntry(r, {}) for r in records]), "通报", tmp_path), 2)
    assert "通报" in text and "东岭县人民政府" in text
