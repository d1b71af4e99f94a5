"""``audit review``, ``audit history``, ``audit export``: the audit store from the command line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
import yaml

from auditor.errors import UsageError
from auditor.findings.review import CONFIRMED, DISMISSED, RECHECK_LABELS, REVIEW_LABELS, Review
from auditor.render.output import write_atomic
from auditor.store.db import DEFAULT_DB, now
from auditor.store.export import to_csv, to_xlsx
from auditor.store.queries import Version, export_rows, versions
from auditor.store.store import Store

_DB_HELP = "审计数据库（默认 reports_out/audit.db）。"
_FINGERPRINT = re.compile(r"^[0-9a-f]{12}$")
_DECISIONS = {"dismiss": DISMISSED, "dismissed": DISMISSED, "confirm": CONFIRMED, "confirmed": CONFIRMED}


def _open(db: Path) -> Store:
    return Store(db, create=False)


def _decisions_from_yaml(path: Path) -> list[Review]:
    """Decisions from a YAML file: a list (or ``decisions:`` list) of fingerprint/decision/reason/by."""
    try:
        # BaseLoader: every scalar stays text, so a fingerprint of digits keeps its leading zeros.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"无法读取决定文件 {path}：{exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列：" if mark is not None else ""
        raise UsageError(f"决定文件 {path} 不是有效的 YAML：{where}{getattr(exc, 'problem', None) or exc}") from None
    items = data.get("decisions") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise UsageError(
            f"决定文件 {path} 应为一个列表（或 decisions: 列表），每项含 fingerprint、decision、reason、by"
        )
    at = now()
    out = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise UsageError(f"{path} 第 {n} 项应为映射（fingerprint、decision、reason、by）")
        decision = _DECISIONS.get(str(item.get("decision", "")).strip())
        if decision is None:
            raise UsageError(f"{path} 第 {n} 项：decision 应为 dismiss（已核实-不属问题）或 confirm（已确认）")
        out.append(
            _review(
                str(item.get("fingerprint", "")),
                decision,
                item.get("reason"),
                item.get("by"),
                at,
                f"{path} 第 {n} 项：",
            )
        )
    return out


def _review(fingerprint: str, decision: str, reason: Any, by: Any, at: str, where: str = "") -> Review:
    fingerprint = fingerprint.strip().lower()
    if not _FINGERPRINT.match(fingerprint):
        raise UsageError(f"{where}问题指纹应为 12 位十六进制数字，而不是“{fingerprint}”")
    if not str(reason or "").strip() or not str(by or "").strip():
        raise UsageError(f"{where}核实决定须写明理由（--reason）和核实人（--by）")
    return Review(fingerprint, decision, str(reason).strip(), str(by).strip(), at)


def review(
    fingerprints: list[str] | None = typer.Argument(None, help="问题指纹（audit history 中列出），可多个。"),
    dismiss: bool = typer.Option(False, "--dismiss", help="已核实-不属问题：不再扣分，不列入整改清单。"),
    confirm: bool = typer.Option(False, "--confirm", help="已确认：确属问题。"),
    reason: str | None = typer.Option(None, "--reason", help="理由。"),
    by: str | None = typer.Option(None, "--by", help="核实人。"),
    file: Path | None = typer.Option(None, "--file", help="批量决定的 YAML 文件（可纳入版本管理）。"),
    db: Path = typer.Option(DEFAULT_DB, "--db", help=_DB_HELP),
) -> None:
    """记录核实决定：已核实-不属问题（--dismiss）或已确认（--confirm）。"""
    if file is not None:
        if fingerprints or dismiss or confirm:
            raise UsageError("--file 与问题指纹、--dismiss/--confirm 不能同时使用")
        decisions = _decisions_from_yaml(file)
    else:
        if dismiss == confirm:
            raise UsageError("请给出 --dismiss 或 --confirm 之一（或用 --file 批量决定）")
        if not fingerprints:
            raise UsageError("请给出问题指纹（audit history 列出每个问题的指纹）")
        at = now()
        decisions = [_review(fp, DISMISSED if dismiss else CONFIRMED, reason, by, at) for fp in fingerprints]
    with _open(db) as store:
        unknown = [d.fingerprint for d in decisions if d.fingerprint not in store.known_fingerprints([d.fingerprint])]
        if unknown:
            raise UsageError(f"审计数据库 {db} 中没有这些问题指纹：{'、'.join(unknown)}（未记录任何决定）")
        store.decide(decisions)
    for d in decisions:
        typer.echo(f"{d.fingerprint}：{REVIEW_LABELS[d.decision]}（{d.by}：{d.reason}）")
    typer.echo("下次审计起生效。", err=True)


def _version_lines(v: Version, reviews: dict[str, Review]) -> list[str]:
    score = "—" if v.score is None else f"{v.score:g} 分"
    counts = {status: sum(1 for i in v.items if i.status == status) for status in RECHECK_LABELS}
    recheck = "，".join(f"{RECHECK_LABELS[s]} {n}" for s, n in counts.items()) if any(counts.values()) else "首次审计"
    lines = [f"  第 {v.run} 次运行  {v.recorded}  {v.path}  {score} {v.band or ''}  （{recheck}）"]
    for item in sorted(v.items, key=lambda i: (i.status != "fixed", i.rule)):
        status = RECHECK_LABELS.get(item.status, "")
        decision = reviews.get(item.fingerprint)
        marked = f" 〔{REVIEW_LABELS[decision.decision]}〕" if decision and item.status != "fixed" else ""
        lines.append(f"    {item.fingerprint}  {status or '　　'}  {item.rule}  {item.message}{marked}")
    return lines


def history(
    body: str | None = typer.Argument(None, help="单位名称（省略则列出全部单位）。"),
    db: Path = typer.Option(DEFAULT_DB, "--db", help=_DB_HELP),
) -> None:
    """列出单位各年度报告的历次审计及其问题的变化（新增、仍存在、已整改）。"""
    with _open(db) as store:
        found = versions(store.conn, body)
        reviews = store.reviews()
    if not found:
        raise UsageError(f"审计数据库 {db} 中没有{f'“{body}”的' if body else ''}审计记录")
    heading: tuple[str, int | None] | None = None
    for v in found:
        if (v.agency, v.year) != heading:
            heading = (v.agency, v.year)
            typer.echo(f"{v.agency or '（未识别单位）'} {v.year or '（年度不详）'}年度")
        typer.echo("\n".join(_version_lines(v, reviews)))


def export(
    fmt: str = typer.Option("csv", "--format", "-f", help="xlsx 或 csv。"),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="写入的文件（不覆盖已有文件）；csv 可省略（输出到终端）。"
    ),
    db: Path = typer.Option(DEFAULT_DB, "--db", help=_DB_HELP),
) -> None:
    """导出各单位各年度的结论、得分、未整改问题和已整改数量。"""
    if fmt not in ("csv", "xlsx"):
        raise UsageError(f"--format 应为 xlsx 或 csv，而不是“{fmt}”")
    if fmt == "xlsx" and output is None:
        raise UsageError("xlsx 格式请用 --output 指定文件")
    if output is not None and output.exists():
        raise UsageError(f"{output} 已存在（不会覆盖它）")
    with _open(db) as store:
        rows = export_rows(store.conn)
    data: Sequence[Any] = rows
    if output is None:
        typer.echo(to_csv(data), nl=False)
        return
    try:
        write_atomic(output, to_xlsx(data) if fmt == "xlsx" else to_csv(data).encode("utf-8-sig"))
    except OSError as exc:
        raise UsageError(f"无法写出 {output}：{exc.strerror or exc}") from None
    typer.echo(f"已导出 {len(rows)} 行：{output}", err=True)
