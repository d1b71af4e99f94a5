"""``audit serve``: the inspector's workspace in the browser (see `auditor.web`)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import typer

from auditor.errors import UsageError


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None) -> None:
    """Anywhere but loopback, the pages (and every store decision) are open to the network: a token is required."""
    if not _loopback(host) and not token:
        raise UsageError(f"在 {host} 上提供服务会让局域网内的其他人访问审计数据：请同时给出 --token 令牌")


def serve(
    db: Path | None = typer.Option(None, "--db", help="审计数据库。默认：输出文件夹下的 audit.db。"),
    out: Path = typer.Option(
        Path("reports_out"), "--out", "-o", help="输出文件夹（上传的报告和结果保存在其 web 子文件夹）。"
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只允许本机访问）。"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="端口。"),
    token: str | None = typer.Option(None, "--token", help="访问令牌：监听本机以外的地址时必须给出。"),
) -> None:
    """在浏览器中上传、审计、核实报告（本地网页，不联网）。"""
    check_binding(host, token)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out 应为文件夹，而 {out} 是一个文件")
    import uvicorn

    from auditor.web.app import create_app
    from auditor.web.jobs import Workspace

    workspace = Workspace(out / "web", db or out / "audit.db")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    suffix = f"/?token={token}" if token else "/"
    typer.echo(f"审计工作台：http://{shown}:{port}{suffix}  （Ctrl-C 停止）", err=True)
    if token:
        typer.echo("已启用访问令牌：首次打开时地址须带 ?token=令牌。", err=True)
    uvicorn.run(create_app(workspace, token), host=host, port=port, log_level="warning")
