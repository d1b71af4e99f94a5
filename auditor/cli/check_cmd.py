"""``audit [PATHS...]``: audit reports, print findings, write rectification lists and summaries."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from auditor import __version__
from auditor.batch import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Budget
from auditor.errors import UsageError
from auditor.findings.review import dismissed
from auditor.pipeline import (
    INTERRUPTED,
    AuditOptions,
    audit_files,
    check_options,
    collect_paths,
    internal_errors,
    pack_versions,
    problem_codes,
)
from auditor.render import RenderOptions, render_stream
from auditor.render import records as rec
from auditor.render.output import batch_summary_lines, new_run_dir, summary_text, write_outputs
from auditor.render.statistics import statistics_text
from auditor.store.store import Store


class OutputFormat(str, Enum):
    """What ``audit`` prints on stdout."""

    table = "table"
    json = "json"
    csv = "csv"


class FailOn(str, Enum):
    """Lowest severity that makes ``audit`` exit with 1."""

    error = "error"
    warning = "warning"
    never = "never"


_FAILING = {FailOn.error: {"error"}, FailOn.warning: {"error", "warning"}, FailOn.never: set()}


def _split(values: list[str] | None) -> tuple[str, ...]:
    """``--select COL,ROW --select VAL`` → ("COL", "ROW", "VAL")."""
    return tuple(v.strip() for value in values or () for v in value.split(",") if v.strip())


@contextmanager
def _progress(total: int, label: str, enabled: bool) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr when it is a terminal, fed (done, total); otherwise a no-op."""
    if not enabled:
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done, all_work: bar.update(task, completed=done, total=all_work)


def check(
    paths: list[Path] = typer.Argument(..., help="报告文件或文件夹（递归查找）。", show_default=False),
    rules: str | None = typer.Option(
        None, "--rules", "-r", help="规则包：YAML 文件路径或内置名称（2024、2020）。默认按报告年度选择。"
    ),
    fmt: OutputFormat = typer.Option(
        OutputFormat.table, "--format", "-f", help="标准输出的格式：table（表格）、json、csv（每个问题一行）。"
    ),
    fail_on: FailOn = typer.Option(
        FailOn.error, "--fail-on", help="出现该级别及以上的问题（或无法审计的报告）时以退出码 1 结束。"
    ),
    select: list[str] | None = typer.Option(
        None, "--select", help="只运行这些规则：编号、编号前缀或类别（如 COL-001、COL、identity、勾稽关系）。"
    ),
    ignore: list[str] | None = typer.Option(None, "--ignore", help="不运行这些规则：编号、编号前缀或类别。"),
    out: Path = typer.Option(Path("reports_out"), "--out", "-o", help="输出文件夹（每次运行新建一个子文件夹）。"),
    no_out: bool = typer.Option(False, "--no-out", help="只在终端输出，不写文件。"),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="并行进程数（默认和上限：可用的 CPU 核数）。"),
    time_limit: float = typer.Option(
        DEFAULT_SECONDS, "--time-limit", min=0.1, help="单份报告最多可用的秒数；超出则只有该报告失败。"
    ),
    memory_limit: int = typer.Option(
        DEFAULT_MEMORY_MB, "--memory-limit", min=64, help="单份报告最多可用的内存（MB）；超出则只有该报告失败。"
    ),
    deadline_days: int = typer.Option(15, "--deadline-days", min=1, max=365, help="整改清单和通报中的整改期限（天）。"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="不逐份列出问题，只输出最后的汇总。"),
    statistics: bool = typer.Option(False, "--statistics", help="按规则统计问题数量，代替逐份列出问题。"),
    db: Path | None = typer.Option(
        None, "--db", help="审计数据库（记录每次运行，用于复核、核实决定和上年比对）。默认：输出文件夹下的 audit.db。"
    ),
    no_db: bool = typer.Option(False, "--no-db", help="不使用审计数据库（--no-out 且未给 --db 时也不使用）。"),
) -> None:
    """审计年度报告：问题清单、得分、整改清单、单份报告页面和批次汇总。"""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"找不到文件或文件夹：{'，'.join(missing)}")
    if not no_out and out.exists() and not out.is_dir():
        raise UsageError(f"--out 应为文件夹，而 {out} 是一个文件（不会覆盖它）")
    files = collect_paths(paths, exclude=[] if no_out else [out])
    if not files:
        raise UsageError("所给路径下没有找到报告文件（.txt .md .html .htm .docx）")
    options = AuditOptions(rules, _split(select), _split(ignore))
    check_options(options)  # a broken rule file or an unknown selector stops here, before any work
    interactive = sys.stderr.isatty() and len(files) > 1
    db_path = None if no_db or (no_out and db is None) else db or out / DB_NAME
    store = Store(db_path) if db_path else None  # a locked or broken store stops here (exit 2)
    try:
        run = store.begin_run(__version__, _run_options(options, files)) if store else None
        if store:
            options = replace(options, waived=store.dismissed(), store=store.path)
        with _progress(len(files), "审计", interactive) as update:
            records = audit_files(files, options, jobs=jobs, progress=update, budget=Budget(time_limit, memory_limit))
        if store and run is not None:
            _record_run(store, run, records, files, options)
    finally:
        if store:
            store.close()
    if statistics:
        typer.echo(statistics_text(records), nl=False)
    elif not quiet:
        typer.echo(render_stream(fmt.value, records), nl=fmt is not OutputFormat.csv)

    if no_out:
        typer.echo("\n" + "\n".join(batch_summary_lines(records)), err=True)
    else:
        try:
            run_dir = new_run_dir(out)
            with _progress(len(records), "写出", interactive) as update:
                summary = write_outputs(
                    records,
                    run_dir,
                    progress=lambda done, total, _path: update(done, total),
                    options=RenderOptions(deadline_days=deadline_days),
                )
        except OSError as exc:  # a full disk or a read-only folder: say so, no traceback
            raise UsageError(f"无法写出结果文件（{out}）：{exc.strerror or exc}") from exc
        typer.echo("\n" + summary_text(summary), err=True)
    raise typer.Exit(_exit_code(records, fail_on))


DB_NAME = "audit.db"


def _run_options(options: AuditOptions, files: list[Path]) -> dict[str, Any]:
    return {"rules": options.pack, "select": options.select, "ignore": options.ignore, "files": len(files)}


def _record_run(
    store: Store, run: int, records: list[dict[str, Any]], files: list[Path], options: AuditOptions
) -> None:
    """Store each report in its own transaction, as the main process receives the batch."""
    interrupted = False
    reviews = store.reviews()
    for record, path in zip(records, files, strict=True):
        if INTERRUPTED in problem_codes(record):
            interrupted = True  # never audited: not recorded, so the next run's 复核 is not misled
            record["run"] = run
            continue
        store.record(run, record, path, reviews)
    used = {str(r.get("pack")) for r in records if r.get("pack")}
    store.finish_run(run, {k: v for k, v in pack_versions(options).items() if k in used}, interrupted)


def _exit_code(records: list[dict[str, Any]], fail_on: FailOn) -> int:
    internal = internal_errors(records)
    if internal:  # exit 2, as linters do: the run itself went wrong somewhere
        shown = "\n".join(f"  {line}" for line in internal[:5])
        more = f"\n  ……另有 {len(internal) - 5} 处" if len(internal) > 5 else ""
        typer.echo(f"audit: 出现 {len(internal)} 处内部错误，相关检查未完成：\n{shown}{more}", err=True)
        return 2
    failing = _FAILING[fail_on]
    found = any(f.get("severity") in failing and not dismissed(f) for r in records for f in r.get("findings") or ())
    # A report that could not be audited is no pass: it fails like an error.
    unaudited = "error" in failing and any(rec.is_unauditable(r) for r in records)
    return 1 if found or unaudited else 0
