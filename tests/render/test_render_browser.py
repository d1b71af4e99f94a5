"""Pages opened in a real headless Chromium (selenium 4): no console errors, highlights, sorting."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from auditor.render.output import new_run_dir, write_outputs
from tests.render import render_records

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--window-size=1280,1600",
)


def _binary(*candidates: str) -> str | None:
    for name in candidates:
        path = name if Path(name).is_file() else shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium = _binary("/usr/bin/chromium", "chromium", "chromium-browser")
    chromedriver = _binary("/usr/bin/chromedriver", "chromedriver")
    if not chromium or not chromedriver:
        pytest.skip("no Chromium/chromedriver found (apt-get install -y chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = new_run_dir(tmp_path_factory.mktemp("reports_out"))
    write_outputs(render_records.batch(), run)
    return run


def _open(driver: Any, path: Path) -> list[dict[str, Any]]:
    """Load a page; return its console messages that are warnings or errors."""
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.as_uri())
    return [m for m in driver.get_log("browser") if m["level"] in ("SEVERE", "WARNING")]


def _style(driver: Any, element: Any, prop: str) -> str:
    return str(driver.execute_script(f"return getComputedStyle(arguments[0]).{prop};", element))


def test_report_page_highlights_blamed_cells(driver: Any, run_dir: Path, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    page = run_dir / "reports" / "岳阳市人民政府2020年政府信息公开工作年度报告.html"
    assert _open(driver, page) == []
    blamed = driver.find_element(By.ID, "cell-requests.results_total.total")
    plain = driver.find_element(By.ID, "cell-requests.received.total")
    assert "blamed" in blamed.get_attribute("class").split()
    assert _style(driver, blamed, "backgroundColor") == "rgb(253, 226, 225)"
    assert _style(driver, blamed, "outlineStyle") == "solid"
    assert _style(driver, plain, "backgroundColor") != _style(driver, blamed, "backgroundColor")
    assert "应为 333" in blamed.text
    # Cell → finding → cell.
    blamed.find_element(By.LINK_TEXT, "问题2").click()
    assert driver.execute_script("return location.hash") == "#finding-2"
    finding = driver.find_element(By.ID, "finding-2")
    assert "COL-002" in finding.text
    finding.find_element(By.CSS_SELECTOR, 'a[href="#cell-requests.results_total.total"]').click()
    assert driver.execute_script("return location.hash") == "#cell-requests.results_total.total"
    shot = tmp_path / "report.png"
    assert driver.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_hostile_report_text_does_not_run(driver: Any, run_dir: Path) -> None:
    from selenium.webdriver.common.by import By

    assert _open(driver, run_dir / "reports" / "b_报告.html") == []
    assert driver.execute_script("return document.scripts.length") == 0
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith(render_records.SCRIPT_AGENCY)
    assert render_records.SCRIPT_MESSAGE in driver.find_element(By.ID, "finding-1").text


def _column(driver: Any, index: int) -> list[str]:
    from selenium.webdriver.common.by import By

    rows = driver.find_elements(By.CSS_SELECTOR, "#reports tbody tr")
    return [r.find_elements(By.TAG_NAME, "td")[index].get_attribute("data-v") for r in rows]


def test_index_sorts_when_a_header_is_clicked(driver: Any, run_dir: Path, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    assert _open(driver, run_dir / "index.html") == []
    assert driver.execute_script("return document.querySelectorAll('svg.chart').length") == 2
    headers = {th.text.strip("▲▼ "): th for th in driver.find_elements(By.CSS_SELECTOR, "#reports th")}
    headers["得分"].click()
    assert _column(driver, 4) == ["80.5", "90.5", "90.5", ""]  # the failed report stays last
    assert headers["得分"].get_attribute("aria-sort") == "ascending"
    headers["得分"].click()
    assert _column(driver, 4) == ["90.5", "90.5", "80.5", ""]
    headers["错误"].click()
    assert _column(driver, 6) == ["1", "1", "2", ""]
    headers["年度"].click()
    assert _column(driver, 2) == ["2020", "2021", "2022", ""]
    assert headers["年度"].get_attribute("aria-sort") == "ascending"
    assert headers["错误"].get_attribute("aria-sort") is None
    # Each report links to its page.
    link = driver.find_element(By.LINK_TEXT, "岳麓区司法局.html")
    link.click()
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("长沙市岳麓区司法局")
    driver.back()
    assert driver.save_screenshot(str(tmp_path / "index.png"))
    assert [m for m in driver.get_log("browser") if m["level"] in ("SEVERE", "WARNING")] == []


def test_index_filters_and_groups_by_agency(driver: Any, run_dir: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    assert _open(driver, run_dir / "index.html") == []

    def shown() -> list[str]:
        rows = driver.find_elements(By.CSS_SELECTOR, "#reports tbody tr.report")
        return [r.get_attribute("data-agency") for r in rows if r.is_displayed()]

    assert len(shown()) == 4
    search = driver.find_element(By.ID, "f-text")
    search.send_keys("岳麓")
    assert shown() == ["长沙市岳麓区司法局"]
    search.clear()
    search.send_keys(" ")  # an input event after clear
    Select(driver.find_element(By.ID, "f-severity")).select_by_value("error")
    with_errors = shown()
    assert with_errors and len(with_errors) < 4
    Select(driver.find_element(By.ID, "f-severity")).select_by_value("")
    Select(driver.find_element(By.ID, "f-band")).select_by_visible_text("良好")
    assert shown() == ["岳阳市人民政府"]
    Select(driver.find_element(By.ID, "f-band")).select_by_value("")
    Select(driver.find_element(By.ID, "f-rule")).select_by_value("COL-002")
    assert shown() == ["岳阳市人民政府"]
    Select(driver.find_element(By.ID, "f-rule")).select_by_value("")
    driver.find_element(By.ID, "f-group").click()
    groups = [g.text for g in driver.find_elements(By.CSS_SELECTOR, "#reports tr.group") if g.is_displayed()]
    assert len(groups) == 4 and all("份）" in g for g in groups)
    assert [m for m in driver.get_log("browser") if m["level"] in ("SEVERE", "WARNING")] == []


def test_report_page_shows_part_five_with_the_sentence_highlighted(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    from auditor.pipeline import AuditOptions, audit_file
    from tests.conftest import EXAMPLES

    record = audit_file(EXAMPLES / "2023_dongling_county_wrong_total_tab.txt", AuditOptions())
    part5 = next(s for s in record["sections"] if s["number"] == 5)
    line, text = part5["lines"][1]
    quote = text[4:14]
    record["findings"].append(
        {
            "rule": "RECT-001",
            "severity": "warning",
            "category": "narrative",
            "message": f"第五部分“{quote}”未说明整改情况",
            "line": line,
            "location": {"part": 5, "line": line},
        }
    )
    run = new_run_dir(tmp_path)
    write_outputs([record], run)
    (page,) = (run / "reports").glob("*.html")
    assert _open(driver, page) == []
    sentence = driver.find_element(By.ID, f"line-{line}")
    assert sentence.is_displayed() and "hit" in sentence.get_attribute("class").split()
    mark = sentence.find_element(By.TAG_NAME, "mark")
    assert mark.text == quote and mark.is_displayed()
    assert _style(driver, mark, "backgroundColor") == "rgb(255, 224, 130)"
    heading = driver.find_element(By.ID, "prose").text
    assert "第一、五、六部分" in heading
