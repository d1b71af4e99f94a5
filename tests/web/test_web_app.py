"""`audit serve` endpoints through Starlette's test client: the inspector's loop, safety, restart."""

from __future__ import annotations

import io
import re
import threading
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from auditor.web.app import CSRF_COOKIE, create_app
from auditor.web.jobs import DONE, Workspace
from tests.web.conftest import HTML_REPORT, PDF_REPORT, WRONG_TOTAL, corrected


def upload(client: TestClient, files: list[tuple[str, bytes]], csrf: str | None = None) -> str:
    token = client.cookies.get(CSRF_COOKIE) if csrf is None else csrf
    response = client.post("/upload", data={"csrf": token}, files=[("files", (name, data)) for name, data in files])
    assert response.status_code == 303, response.text
    return str(response.headers["location"]).rsplit("/", 1)[-1]


def finished(client: TestClient, workspace: Workspace, batch: str) -> str:
    workspace.wait(120)
    assert client.get(f"/batch/{batch}/status").json()["status"] == DONE
    return client.get(f"/batch/{batch}").text


def report_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-report="(\d+)"', html)]


def test_the_inspectors_loop(client: TestClient, workspace: Workspace) -> None:
    three = [(p.name, p.read_bytes()) for p in (WRONG_TOTAL, HTML_REPORT, PDF_REPORT)]
    page = finished(client, workspace, upload(client, three))
    assert len(report_ids(page)) == 3
    listed = client.get("/reports", params={"rule": "COL-001"}).text
    (failing,) = report_ids(listed)
    assert WRONG_TOTAL.name in listed and HTML_REPORT.name not in listed
    report = client.get(f"/report/{failing}").text
    items = re.findall(r'id="item-(\w+)" class="finding" data-rule="([\w-]+)"', report)
    fingerprint = next(fp for fp, rule in items if rule == "COL-001")
    before = client.get(f"/report/{failing}/rectification.md").content.decode()
    csrf = client.cookies.get(CSRF_COOKIE)
    r = client.post(
        f"/report/{failing}/review",
        data={
            "csrf": csrf,
            "fingerprint": fingerprint,
            "decision": "dismiss",
            "reason": "经核实不属问题",
            "by": "张三",
        },
    )
    assert r.status_code == 303
    after_page = client.get(f"/report/{failing}").text
    assert "已核实-不属问题（张三：经核实不属问题）" in after_page
    after = client.get(f"/report/{failing}/rectification.md").content.decode()
    assert item_rows(before) == 1 and item_rows(after) == 0  # the dismissed item is gone
    docx = client.get(f"/report/{failing}/rectification.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    again = finished(client, workspace, upload(client, [(WRONG_TOTAL.name, corrected(WRONG_TOTAL.read_bytes()))]))
    (new_id,) = report_ids(again)
    assert "已整改 1" in again
    assert "【已整改】COL-001" in client.get(f"/report/{new_id}").text
    assert "已整改" in client.get("/body", params={"name": "东岭县"}).text
    export = client.get("/export.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def item_rows(markdown: str) -> int:
    """Numbered rows of the 整改清单's item table."""
    return len(re.findall(r"^\| \d+ \|", markdown, re.M))


def test_forms_without_the_csrf_token_are_refused(client: TestClient, workspace: Workspace) -> None:
    r = client.post("/upload", data={"csrf": "forged"}, files=[("files", ("a.txt", b"x"))])
    assert r.status_code == 403 and "CSRF" in r.text
    assert workspace.batches() == []


def test_templates_escape_what_a_report_says(client: TestClient, workspace: Workspace) -> None:
    data = WRONG_TOTAL.read_bytes().replace("东岭县".encode(), "东岭县<script>alert(1)</script>".encode(), 1)
    page = finished(client, workspace, upload(client, [("x.txt", data)]))
    (rid,) = report_ids(page)
    for html in (client.get(f"/report/{rid}").text, client.get("/reports").text):
        assert "<script>alert(1)" not in html


def test_zip_with_traversal_is_unpacked_inside_the_batch(
    client: TestClient, workspace: Workspace, tmp_path: Path
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("../../escaped.txt", WRONG_TOTAL.read_bytes())
        z.writestr("/abs/other.html", HTML_REPORT.read_bytes())
        z.writestr("notes.jpg", b"not a report")
    batch = upload(client, [("reports.zip", buffer.getvalue())])
    page = finished(client, workspace, batch)
    assert len(report_ids(page)) == 2
    assert not (tmp_path / "escaped.txt").exists() and not list(tmp_path.parent.glob("escaped*"))
    saved = sorted(p.name for p in (workspace.batch_dir(batch) / "files").iterdir())
    assert saved == ["escaped.txt", "other.html"]


def test_zip_bomb_is_refused_with_a_page(client: TestClient, workspace: Workspace) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.txt", b"0" * (8 * 1024 * 1024))
    r = client.post(
        "/upload", data={"csrf": client.cookies.get(CSRF_COOKIE)}, files=[("files", ("b.zip", buffer.getvalue()))]
    )
    assert r.status_code == 400 and "压缩炸弹" in r.text and "Traceback" not in r.text
    assert workspace.batches() == []


def test_an_upload_without_reports_names_why(client: TestClient) -> None:
    r = client.post("/upload", data={"csrf": client.cookies.get(CSRF_COOKIE)}, files=[("files", ("a.exe", b"MZ"))])
    assert r.status_code == 400 and "a.exe" in r.text


def test_unknown_pages_give_a_chinese_page(client: TestClient) -> None:
    for url in ("/nowhere", "/report/999", "/report/abc", "/batch/../../etc", "/batch/0123456789abcdef"):
        r = client.get(url)
        assert r.status_code == 404 and "找不到页面" in r.text, url


def test_two_uploads_at_once_both_complete(client: TestClient, workspace: Workspace) -> None:
    batches: list[str] = []
    threads = [
        threading.Thread(target=lambda p=p: batches.append(upload(client, [(p.name, p.read_bytes())])))
        for p in (WRONG_TOTAL, HTML_REPORT)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(batches) == 2
    for batch in batches:
        assert len(report_ids(finished(client, workspace, batch))) == 1


def test_a_restart_keeps_everything(client: TestClient, workspace: Workspace, tmp_path: Path) -> None:
    batch = upload(client, [(WRONG_TOTAL.name, WRONG_TOTAL.read_bytes())])
    (rid,) = report_ids(finished(client, workspace, batch))
    restarted = Workspace(workspace.root, workspace.db, budget=None)
    with TestClient(create_app(restarted)) as again:
        assert WRONG_TOTAL.name in again.get("/reports").text
        assert again.get(f"/report/{rid}").status_code == 200
        assert again.get(f"/batch/{batch}/file/xlsx").status_code == 200


def test_a_token_guards_every_page(workspace: Workspace) -> None:
    with TestClient(create_app(workspace, token="s3cret")) as c:
        assert c.get("/reports").status_code == 401
        assert c.get("/reports", params={"token": "s3cret"}).status_code == 200
        assert c.get("/reports").status_code == 200  # the cookie it set


def test_serving_beyond_loopback_needs_a_token() -> None:
    from auditor.cli.serve_cmd import check_binding
    from auditor.errors import UsageError

    check_binding("127.0.0.1", None)
    check_binding("localhost", None)
    check_binding("0.0.0.0", "tok")
    with pytest.raises(UsageError, match="--token"):
        check_binding("0.0.0.0", None)


def test_last_years_values_stand_beside_this_years(client: TestClient, workspace: Workspace) -> None:
    finished(client, workspace, upload(client, [(WRONG_TOTAL.name, WRONG_TOTAL.read_bytes())]))
    next_year = Path(__file__).resolve().parents[2] / "docs" / "loop" / "2024_dongling_county_tab.txt"
    (rid,) = report_ids(finished(client, workspace, upload(client, [(next_year.name, next_year.read_bytes())])))
    page = client.get(f"/report/{rid}").text
    assert "上年报告：" in page and WRONG_TOTAL.name in page
    row = re.search(r'<tr data-cell="requests.results_total.total"><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>', page)
    assert row is not None and row.group(3) == "126"  # the 2023 report as printed


def test_a_file_that_cannot_be_read_shows_its_reason(client: TestClient, workspace: Workspace) -> None:
    page = finished(client, workspace, upload(client, [("broken.docx", b"PK\x03\x04 not really a docx")]))
    assert 'id="failed"' in page and "broken.docx：" in page and "DOCX" in page


def test_uploaded_names_never_leave_the_batch_folder(client: TestClient, workspace: Workspace, tmp_path: Path) -> None:
    batch = upload(client, [("../../../outside.txt", WRONG_TOTAL.read_bytes())])
    finished(client, workspace, batch)
    assert [p.name for p in (workspace.batch_dir(batch) / "files").iterdir()] == ["outside.txt"]
    assert [p.parent for p in tmp_path.rglob("outside.txt")] == [workspace.batch_dir(batch) / "files"]


def test_the_list_filters_and_sorts(client: TestClient, workspace: Workspace) -> None:
    three = [(p.name, p.read_bytes()) for p in (WRONG_TOTAL, HTML_REPORT, PDF_REPORT)]
    finished(client, workspace, upload(client, three))
    everything = report_ids(client.get("/reports").text)
    assert len(everything) == 3
    assert len(report_ids(client.get("/reports", params={"agency": "东岭县"}).text)) == 1
    assert len(report_ids(client.get("/reports", params={"year": "2023"}).text)) == 2
    assert report_ids(client.get("/reports", params={"year": "1999"}).text) == []
    by_score = client.get("/reports", params={"sort": "score"}).text
    scores = [float(s) for s in re.findall(r"<td>(\d+(?:\.\d+)?)</td><td>[^<]*</td>\s*<td>\d+</td>", by_score)]
    assert scores == sorted(scores) and len(scores) == 3
    assert '共 <strong id="total">3</strong> 份' in client.get("/reports").text
    assert len(report_ids(client.get("/reports", params={"review": "clean"}).text)) < 3
    # 层级: the three are county governments; no department was uploaded.
    assert len(report_ids(client.get("/reports", params={"level": "government"}).text)) == 3
    assert report_ids(client.get("/reports", params={"level": "department"}).text) == []
    assert "县级以上人民政府" in client.get("/reports").text


def test_a_broken_store_gives_a_page_not_a_traceback(client: TestClient, workspace: Workspace) -> None:
    workspace.db.unlink()
    workspace.db.mkdir()
    r = client.get("/reports")
    assert r.status_code == 503 and "审计数据库" in r.text and "Traceback" not in r.text


def test_an_upload_without_a_length_is_refused(client: TestClient) -> None:
    def body() -> object:
        yield b"--x\r\n"

    r = client.post("/upload", content=body(), headers={"content-type": "multipart/form-data; boundary=x"})
    assert r.status_code == 411 and "Content-Length" in r.text


def test_an_internal_error_gives_a_chinese_page(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(workspace, "batches", boom)
    with TestClient(create_app(workspace), raise_server_exceptions=False) as c:
        r = c.get("/")
    assert r.status_code == 500 and "服务器内部错误" in r.text and "bug" not in r.text


def test_a_batch_cut_short_by_a_restart_says_so(workspace: Workspace) -> None:
    state = workspace.new_batch("2026-01-01T00:00:00+00:00")
    state.status, state.total = "auditing", 3
    workspace.save(state)
    restarted = Workspace(workspace.root, workspace.db, budget=None)
    with TestClient(create_app(restarted)) as c:
        page = c.get(f"/batch/{state.id}").text
    assert "已中断" in page and "请重新上传" in page and 'http-equiv="refresh"' not in page
