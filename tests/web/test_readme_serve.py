"""The README's `audit serve` instructions: the extra they install exists, the command starts a server."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
HEADING = "## In the browser: `audit serve`"


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(HEADING)
    block = re.search(r"```bash\n(.*?)\n```", text[start : text.index("\n## ", start + 1)], re.S)
    assert block is not None
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_install_line_names_an_extra_that_exists() -> None:
    install, _ = _commands()
    extra = re.search(r"-e '\.\[(\w+)\]'", install)
    assert extra is not None
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert {"starlette", "uvicorn", "python-multipart"} <= {re.split(r"[<>=\[]", d)[0] for d in extras[extra.group(1)]}


def test_the_serve_line_starts_the_workspace(tmp_path: Path) -> None:
    _, serve = _commands()
    port = _free_port()
    assert "--port 8000" in serve
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    process = subprocess.Popen(
        ["bash", "-c", f"exec {serve.replace('--port 8000', f'--port {port}')}"],
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, process.stderr
                time.sleep(0.2)
        assert page.status_code == 200 and "上传年度报告" in page.text
        assert (tmp_path / "reports_out" / "audit.db").is_file()
    finally:
        process.terminate()
        process.wait(20)
