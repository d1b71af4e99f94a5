"""Fixtures of the web tests: a workspace in a temporary folder and the Starlette test client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from starlette.testclient import TestClient

from auditor.web.app import create_app
from auditor.web.jobs import Workspace

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WRONG_TOTAL = EXAMPLES / "2023_dongling_county_wrong_total_tab.txt"
HTML_REPORT = EXAMPLES / "2024_qingxi_county_cms_page.html"
PDF_REPORT = EXAMPLES / "2023_chengling_county_pdf.pdf"


def corrected(data: bytes) -> bytes:
    """The wrong-total report with its table corrected (the README's loop, step 2)."""
    return data.replace(b"\t126\n", b"\t123\n")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    # budget=None audits in the batch thread: no worker processes in endpoint tests.
    return Workspace(tmp_path / "web", tmp_path / "audit.db", budget=None)


@pytest.fixture
def client(workspace: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(workspace), follow_redirects=False) as c:
        c.get("/")  # sets the CSRF cookie
        yield c
