"""`audit serve` under load: a 500-report zip uploaded, the list page timed while the batch runs.

Run from the repository root:  .venv/bin/python bench/web_bench.py [REPORTS]
Prints the batch's progress as the server reports it and each /reports page load;
target: every page load < 1 s while the batch runs (printed, not asserted).
"""

from __future__ import annotations

import io
import socket
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import uvicorn  # noqa: E402

from auditor.web.app import CSRF_COOKIE, create_app  # noqa: E402
from auditor.web.jobs import Workspace  # noqa: E402

EXAMPLES = ROOT / "examples"
PAGE_TARGET_S = 1.0


def _zip(reports: int) -> bytes:
    sources = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html", ".pdf"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(reports):
            source = sources[n % len(sources)]
            z.writestr(f"reports/{n:04d}_{source.name}", source.read_bytes())
    return buffer.getvalue()


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main(reports: int = 500) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        port = _port()
        app = create_app(Workspace(Path(tmp) / "web", Path(tmp) / "audit.db"))
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base, timeout=120) as client:
                client.get("/")
                data = _zip(reports)
                start = time.perf_counter()
                sent = client.post(
                    "/upload",
                    data={"csrf": client.cookies.get(CSRF_COOKIE) or ""},
                    files=[("files", ("reports.zip", data, "application/zip"))],
                )
                batch = sent.headers["location"]
                took = time.perf_counter() - start
                print(f"uploaded {reports} reports ({len(data) / 1048576:.1f} MB zip) in {took:.1f} s")
                loads: list[float] = []
                while True:
                    status = client.get(f"{batch}/status").json()
                    t0 = time.perf_counter()
                    page = client.get("/reports")
                    loads.append(time.perf_counter() - t0)
                    assert page.status_code == 200
                    print(f"  {status['label']} {status['done']}/{status['total']}  /reports {loads[-1] * 1000:.0f} ms")
                    if status["status"] not in ("queued", "auditing", "writing"):
                        break
                    time.sleep(1.0)
                total = time.perf_counter() - start
        finally:
            server.should_exit = True
            thread.join(30)
    worst = max(loads)
    verdict = "OK" if worst < PAGE_TARGET_S else "MISSED"
    print(f"batch: {reports} reports in {total:.1f} s, final status {status['label']}")
    print(
        f"/reports while the batch ran: {len(loads)} loads, median {statistics.median(loads) * 1000:.0f} ms,"
        f" worst {worst * 1000:.0f} ms (target < {PAGE_TARGET_S * 1000:.0f} ms): {verdict}"
    )
    return 0 if worst < PAGE_TARGET_S and status["status"] == "done" else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
