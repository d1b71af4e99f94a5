"""The inspector's loop in a real headless Chromium against a running `audit serve` server.

Upload a text, an HTML and a PDF report, wait for the batch, filter to the failing one,
dismiss an item, check the 整改清单 no longer lists it, re-upload a corrected version and
see 已整改. A screenshot of each page is kept in ``reports_out/test-artifacts/web/``.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from auditor.web.app import create_app
from auditor.web.jobs import Workspace
from tests.render.test_render_browser import driver  # noqa: F401  (the shared Chromium fixture)
from tests.web.conftest import HTML_REPORT, PDF_REPORT, WRONG_TOTAL, corrected

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("AUDITOR_TEST_ARTIFACTS", ROOT / "reports_out" / "test-artifacts")) / "web"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    import uvicorn

    port = _free_port()
    app = create_app(Workspace(tmp_path / "web", tmp_path / "audit.db"))
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(20)


class Pages:
    """The browser, with each page's console checked and a screenshot kept."""

    def __init__(self, browser: Any, base: str) -> None:
        self.driver = browser
        self.base = base
        self.errors: list[Any] = []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)

    def shot(self, name: str) -> None:
        self.driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
        self.errors += [m for m in self.driver.get_log("browser") if m["level"] == "SEVERE"]

    def wait_batch(self, timeout: float = 180) -> None:
        from selenium.webdriver.common.by import By

        deadline = time.monotonic() + timeout
        while True:
            try:
                status = self.driver.find_element(By.ID, "status").get_attribute("data-status")
            except Exception:  # the page is being refreshed
                status = None
            if status == "done":
                return
            assert status not in ("failed", "interrupted") and time.monotonic() < deadline, status
            time.sleep(0.3)

    def upload(self, *files: Path) -> None:
        from selenium.webdriver.common.by import By

        self.open("/")
        self.driver.find_element(By.ID, "files").send_keys("\n".join(str(f) for f in files))
        self.driver.find_element(By.ID, "upload").click()
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(self.driver, 60).until(lambda d: "/batch/" in d.current_url)
        self.wait_batch()

    def fetch(self, path: str) -> str:
        script = "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);"
        return str(self.driver.execute_async_script(script, self.base + path))


def test_the_inspectors_loop_in_chromium(driver: Any, server: str, tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    pages = Pages(driver, server)
    driver.get_log("browser")
    pages.open("/")
    pages.shot("1-upload")
    pages.upload(WRONG_TOTAL, HTML_REPORT, PDF_REPORT)
    assert len(driver.find_elements(By.CSS_SELECTOR, "tr.report-row")) == 3
    pages.shot("2-batch")

    pages.open("/reports")
    Select(driver.find_element(By.ID, "rule")).select_by_visible_text("COL-001")
    driver.find_element(By.ID, "apply").click()
    WebDriverWait(driver, 20).until(lambda d: "rule=COL-001" in d.current_url)
    rows = driver.find_elements(By.CSS_SELECTOR, "tr.report-row")
    assert len(rows) == 1 and WRONG_TOTAL.name in rows[0].text
    pages.shot("3-list-filtered")

    rows[0].find_element(By.PARTIAL_LINK_TEXT, WRONG_TOTAL.stem).click()
    WebDriverWait(driver, 20).until(lambda d: "/report/" in d.current_url)
    report_url = driver.current_url
    report_id = report_url.rstrip("/").rsplit("/", 1)[-1]
    item = driver.find_element(By.CSS_SELECTOR, 'tr.finding[data-rule="COL-001"]')
    pages.shot("4-report")
    before = pages.fetch(f"/report/{report_id}/rectification.md")
    Select(item.find_element(By.NAME, "decision")).select_by_visible_text("不属问题")
    item.find_element(By.NAME, "reason").send_keys("总计含3件已撤回申请，经核实不属问题")
    item.find_element(By.NAME, "by").send_keys("张三")
    item.find_element(By.CSS_SELECTOR, "button").click()
    WebDriverWait(driver, 20).until(lambda d: "saved=" in d.current_url)
    item = driver.find_element(By.CSS_SELECTOR, 'tr.finding[data-rule="COL-001"]')
    assert "dismissed" in str(item.get_attribute("class")) and "已核实-不属问题（张三" in item.text
    pages.shot("5-dismissed")
    after = pages.fetch(f"/report/{report_id}/rectification.md")
    assert "表三" in before and len(re.findall(r"^\| \d+ \|", after, re.M)) == 0

    fixed = tmp_path / WRONG_TOTAL.name
    fixed.write_bytes(corrected(WRONG_TOTAL.read_bytes()))
    pages.upload(fixed)
    assert "已整改 1" in driver.find_element(By.ID, "reports").text
    pages.shot("6-reupload")
    driver.find_element(By.CSS_SELECTOR, "#reports tr.report-row a[href^='/report/']").click()
    WebDriverWait(driver, 20).until(lambda d: "/report/" in d.current_url)
    assert "【已整改】COL-001" in driver.find_element(By.ID, "fixed-items").text
    pages.shot("7-fixed")
    assert pages.errors == []
