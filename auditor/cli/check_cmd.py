"""``audit [PATHS...]``: audit reports, print findings, write rectification lists and summaries."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from auditor import __version__
from auditor.batch import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Budget, DaskMissing, available_cores
from auditor.errors import UsageError
from auditor.findings.review import dismissed
from auditor.pipeline import (
    REPORT_SUFFIXES,
    AuditOptions,
    SpoolSink,
    already_done,
    audit_batch,
    check_options,
    collect_paths,
    display_path,
    internal_errors,
    other_documents,
    pack_versions,
    start_workers,
)
from auditor.render import Record, RenderOptions, get_renderer, render_stream
from auditor.render import records as rec
from auditor.render.output import BatchTally, OutputWriter, Spool, new_run_dir, summary_of, summary_text
from auditor.render.statistics import statistics_text
from auditor.store.sink import StoreSink
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
        redirect_stdout=False,  # records stream to stdout while the bar runs on stderr
        redirect_stderr=False,
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
    resume: bool = typer.Option(
        False, "--resume", help="继续审计数据库中上次被中断的运行：只审计尚未完成或已改动的报告，最后写出完整结果。"
    ),
    dask: str | None = typer.Option(
        None,
        "--dask",
        metavar="ADDRESS",
        help="在 Dask 集群上分批审计：调度器地址（如 tcp://10.0.0.5:8786），或 local（本机 LocalCluster）。"
        "需安装 dask 附加依赖。",
    ),
) -> None:
    """审计年度报告：问题清单、得分、整改清单、单份报告页面和批次汇总。"""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"找不到文件或文件夹：{'，'.join(missing)}")
    if not no_out and out.exists() and not out.is_dir():
        raise UsageError(f"--out 应为文件夹，而 {out} 是一个文件（不会覆盖它）")
    if dask is None:
        start_workers(render=not no_out)  # their imports overlap listing files and checking packs
    files = collect_paths(paths, exclude=[] if no_out else [out])
    others = other_documents(paths, exclude=[] if no_out else [out])
    if others:
        shown = "、".join(display_path(f) for f in others[:5]) + ("等" if len(others) > 5 else "")
        typer.echo(
            f"audit: {len(others)} 个文件的格式不能读取，未审计（请另存为 .docx 或 .pdf 后再审）：{shown}", err=True
        )
    if not files:
        raise UsageError(f"所给路径下没有找到报告文件（{' '.join(REPORT_SUFFIXES)}）")
    options = AuditOptions(rules, _split(select), _split(ignore))
    check_options(options)  # a broken rule file or an unknown selector stops here, before any work
    if dask is not None:
        _check_dask()
    interactive = sys.stderr.isatty() and len(files) > 1
    db_path = None if no_db or (no_out and db is None) else db or out / DB_NAME
    if resume and db_path is None:
        raise UsageError("--resume 需要审计数据库（不能与 --no-db 同用；--no-out 时请用 --db 指明数据库）")
    store = Store(db_path) if db_path else None  # a locked or broken store stops here (exit 2)
    try:
        run, done = _open_run(store, options, files, resume) if store else (None, set())
        if store:
            options = replace(options, waived=store.dismissed(), store=store.path)
        sink: Any = StoreSink(store, run, files, store.reviews()) if store and run is not None else SpoolSink()
        try:
            with _progress(len(files), "审计", interactive) as update:
                completed = audit_batch(
                    files,
                    options,
                    sink,
                    jobs=jobs,
                    progress=update,
                    budget=Budget(time_limit, memory_limit),
                    dask=dask,
                    done=done.__contains__,
                )
            render_jobs = min(jobs or available_cores(), available_cores())
            outcome = _emit(files, sink, fmt, quiet, statistics, no_out, out, interactive, deadline_days, render_jobs)
        except KeyboardInterrupt:
            if store and run is not None:
                store.mark_interrupted(run)
                typer.echo("\naudit: 审计已中断。已完成的报告已存入审计数据库，用 --resume 继续。", err=True)
            else:
                typer.echo("\naudit: 审计已中断。", err=True)
            raise typer.Exit(130) from None
        finally:
            if isinstance(sink, SpoolSink):
                sink.close()
        if store and run is not None:
            used = {k: v for k, v in pack_versions(options).items() if k in outcome.packs}
            store.finish_run(run, used, not completed)
    finally:
        if store:
            store.close()
    raise typer.Exit(outcome.exit_code(fail_on))


DB_NAME = "audit.db"


def _check_dask() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise DaskMissing from None


def _open_run(store: Store, options: AuditOptions, files: list[Path], resume: bool) -> tuple[int, set[int]]:
    """The run to record into and the positions already done (a resumed run's)."""
    wanted = _run_options(options, files)
    if not resume:
        return store.begin_run(__version__, wanted), set()
    found = store.resumable_run()
    if found is None:
        raise UsageError("审计数据库中没有被中断的运行，无需 --resume（上一次运行已完成）")
    run, given = found
    if json.loads(json.dumps(wanted)) != given:
        raise UsageError("--resume 的报告数量或规则选项与被中断的运行不同；请使用与上次相同的路径和选项")
    store.reopen_run(run)
    return run, already_done(files, store.batch_sources(run))


def _run_options(options: AuditOptions, files: list[Path]) -> dict[str, Any]:
    return {"rules": options.pack, "select": options.select, "ignore": options.ignore, "files": len(files)}


@dataclass
class _Outcome:
    """What the exit status and the run row need of a batch, gathered record by record."""

    internal: list[str] = field(default_factory=list)
    severities: set[str] = field(default_factory=set)  # of findings not dismissed
    unaudited: bool = False
    packs: set[str] = field(default_factory=set)

    def add(self, record: Record) -> None:
        self.internal += internal_errors([record])
        self.severities |= {str(f.get("severity")) for f in rec.findings(record) if not dismissed(f)}
        self.unaudited = self.unaudited or rec.is_unauditable(record)
        if record.get("pack"):
            self.packs.add(str(record.get("pack")))

    def exit_code(self, fail_on: FailOn) -> int:
        if self.internal:  # exit 2, as linters do: the run itself went wrong somewhere
            shown = "\n".join(f"  {line}" for line in self.internal[:5])
            more = f"\n  ……另有 {len(self.internal) - 5} 处" if len(self.internal) > 5 else ""
            typer.echo(f"audit: 出现 {len(self.internal)} 处内部错误，相关检查未完成：\n{shown}{more}", err=True)
            return 2
        failing = _FAILING[fail_on]
        # A report that could not be audited is no pass: it fails like an error.
        return 1 if self.severities & failing or ("error" in failing and self.unaudited) else 0


def _emit(
    files: list[Path],
    sink: Any,
    fmt: OutputFormat,
    quiet: bool,
    statistics: bool,
    no_out: bool,
    out: Path,
    interactive: bool,
    deadline_days: int,
    render_jobs: int,
) -> _Outcome:
    """Print and write the batch's results, reading its records back one at a time in batch order."""
    outcome = _Outcome()
    tally = BatchTally()
    summaries: Spool[Record] = Spool()
    streamed = get_renderer(fmt.value)
    chunks = getattr(streamed, "chunks", None) if not (quiet or statistics) else None
    whole = statistics or (not quiet and chunks is None)  # printed at the end from every record's summary
    writer = None
    # When no record is printed, only summaries are needed here: the render workers read
    # each record from the sink themselves, so this process neither reads nor sends it.
    by_source = not no_out and chunks is None

    def observe(summary: Record) -> None:
        outcome.add(summary)
        if whole:
            summaries.append(summary)

    try:
        if not no_out:
            run_dir = new_run_dir(out)
            paths = [display_path(f) for f in files]
            options = RenderOptions(deadline_days=deadline_days)
            writer = OutputWriter(run_dir, paths, options, jobs=render_jobs, observe=observe)

        def records() -> Iterator[Record]:
            # No bar over records streaming to the same terminal.
            bar = interactive and writer is not None and not (chunks and sys.stdout.isatty())
            with _progress(len(files), "写出", bar) as update:
                for index in range(len(files)):
                    source = sink.locate(index) if by_source else None
                    if writer is not None and source is not None:
                        writer.add_from(source)
                    else:
                        record = sink.get(index)
                        if writer is not None:
                            writer.add(record)  # the writer gives its summary to `observe`
                        else:
                            outcome.add(record)
                            tally.add(record)
                            if whole:
                                summaries.append(summary_of(record))
                        yield record
                    update(index + 1, len(files))

        if chunks is not None:
            for text in chunks(records()):
                sys.stdout.write(text)
            sys.stdout.write("" if fmt is OutputFormat.csv else "\n")  # as `typer.echo` ends the whole text
            sys.stdout.flush()
        else:
            for _ in records():
                pass
        if writer is not None:
            writer.drain()  # every summary observed before the counts and tables below
        if statistics:
            typer.echo(statistics_text(summaries), nl=False)
        elif not quiet and chunks is None:
            typer.echo(render_stream(fmt.value, summaries), nl=fmt is not OutputFormat.csv)
        if writer is None:
            typer.echo("\n" + "\n".join(tally.lines()), err=True)
        else:
            typer.echo("\n" + summary_text(writer.finish()), err=True)
    except OSError as exc:  # a full disk or a read-only folder: say so, no traceback
        raise UsageError(f"无法写出结果文件（{out}）：{exc.strerror or exc}") from exc
    finally:
        summaries.close()
        if writer is not None:
            writer.close()
    return outcome


def _exit_code(records: list[dict[str, Any]], fail_on: FailOn) -> int:
    """The exit status of a batch's records (see `_Outcome.exit_code`)."""
    outcome = _Outcome()
    for record in records:
        outcome.add(record)
    return outcome.exit_code(fail_on)
