"""Run one function over many items, each in a worker process with a time and memory budget.

A worker that overruns its time is killed; one that runs out of memory, crashes or is killed
from outside (the OOM killer) costs only its item: the item's result is built by the caller's
``failed`` function from a reason, a fresh worker takes over, and the rest of the batch runs.
SIGTERM stops the run in order: workers are killed (none is left orphaned), the items not yet
done are failed with the reason, and the caller still gets one result per item.

Nothing here knows about reports: `auditor.pipeline` supplies the work and the failed record.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# A seed report (10-25 KB) audits in about 0.02 s and 35 MB; one a hundred times its size
# in about 2 s and 65 MB. The defaults leave room for a loaded machine on top of that.
DEFAULT_SECONDS = 60.0
DEFAULT_MEMORY_MB = 1024


@dataclass(frozen=True)
class Budget:
    """What one item may cost: wall-clock seconds and memory (MB beyond the worker's start)."""

    seconds: float = DEFAULT_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB


@dataclass(frozen=True)
class Failure:
    """Why an item has no result: a Chinese reason and whether it is a fault of ours."""

    code: str  # "timeout" | "memory" | "worker_died" | "interrupted" | "internal"
    reason: str
    internal: bool


Failed = Callable[[T, Failure], R]
Tick = Callable[[], None]


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), not all the machine has."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class Interrupted(Exception):
    """SIGTERM arrived while a batch ran."""


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Turn SIGTERM into `Interrupted` in the main thread for the duration (a no-op elsewhere)."""
    if sys.platform == "win32" or not _in_main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends the process at once
        raise Interrupted

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


# --- the worker side ------------------------------------------------------------------------


def _limit_memory(memory_mb: int) -> None:
    """Cap the worker's address space at what it has now plus the budget (Linux, best effort)."""
    try:
        import resource

        with open("/proc/self/status", encoding="ascii") as status:
            vm_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
        limit = vm_kb * 1024 + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    except (OSError, ValueError, StopIteration, ImportError):
        pass


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the batch process dies, however it dies."""
    with contextlib.suppress(Exception):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _worker(conn: Connection, fn: Callable[[Any], Any], memory_mb: int) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch process decides what Ctrl-C means
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _limit_memory(memory_mb)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", fn(item))
        except MemoryError:
            reply = ("memory", "")
        except Exception as exc:  # reported to the batch as this item's internal error
            reply = ("internal", f"{type(exc).__name__}: {exc}"[:500])
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", ""))
        if reply[0] != "ok":
            return  # a worker that failed may be in a bad state: a fresh one takes over


# --- the batch side -------------------------------------------------------------------------


@dataclass
class _Slot(Generic[T]):
    process: BaseProcess
    conn: Connection
    index: int | None = None
    started: float = 0.0


def _context() -> Any:
    # forkserver: workers start from a clean server process, never from a parent that may be
    # running threads (the progress bar); plain fork where forkserver does not exist.
    methods = mp.get_all_start_methods()
    return mp.get_context("forkserver" if "forkserver" in methods else methods[0])


def _reason_for(code: str, detail: str, budget: Budget) -> Failure:
    if code == "memory":
        return Failure("memory", f"超出内存上限（{budget.memory_mb} MB），已停止审计此报告", False)
    return Failure("internal", f"内部错误：{detail}", True)


def run_isolated(
    fn: Callable[[T], R],
    items: Sequence[T],
    failed: Failed[T, R],
    *,
    workers: int,
    budget: Budget,
    tick: Tick | None = None,
    preload: Sequence[str] = (),
) -> list[R]:
    """``[fn(item) for item in items]`` with each call in a worker process under ``budget``.

    ``fn`` must be picklable (a module-level function or a partial of one). Results come
    back in input order; an item whose call fails gets ``failed(item, failure)`` instead.
    """
    results: dict[int, R] = {}
    if not items:
        return []
    ctx = _context()
    if preload and hasattr(ctx, "set_forkserver_preload"):
        ctx.set_forkserver_preload(list(preload))
    pending = list(range(len(items)))
    pending.reverse()  # pop() takes items in input order
    slots: list[_Slot[T]] = []

    def start() -> _Slot[T]:
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_worker, args=(child, fn, budget.memory_mb), daemon=True)
        process.start()
        child.close()
        return _Slot(process, parent)

    def give(slot: _Slot[T]) -> None:
        if not pending:
            slot.index = None
            return
        slot.index = pending.pop()
        slot.started = time.monotonic()
        with contextlib.suppress(OSError, EOFError):  # a worker already gone: the wait loop notices
            slot.conn.send(items[slot.index])

    def fail(slot: _Slot[T], failure: Failure) -> None:
        if slot.index is not None:
            results[slot.index] = failed(items[slot.index], failure)
            if tick:
                tick()
        slot.index = None

    def replace(slot: _Slot[T]) -> _Slot[T]:
        _stop(slot)
        fresh = start()
        slots[slots.index(slot)] = fresh
        return fresh

    with _sigterm_interrupts():
        try:
            for _ in range(max(1, min(workers, len(items)))):
                slots.append(start())
            for slot in slots:
                give(slot)
            while any(s.index is not None for s in slots):
                busy = [s for s in slots if s.index is not None]
                now = time.monotonic()
                timeout = max(0.0, min(s.started + budget.seconds for s in busy) - now)
                ready = wait([s.conn for s in busy] + [s.process.sentinel for s in busy], timeout)
                for slot in list(busy):
                    if slot.conn in ready:
                        try:
                            code, value = slot.conn.recv()
                        except (EOFError, OSError):
                            code, value = "died", None
                        if code == "ok":
                            results[slot.index] = value  # type: ignore[index]
                            if tick:
                                tick()
                            give(slot)
                            continue
                        if code != "died":
                            fail(slot, _reason_for(code, str(value), budget))
                            give(replace(slot))
                            continue
                    if slot.conn in ready or slot.process.sentinel in ready:
                        slot.process.join(1)
                        fail(slot, _died(slot.process.exitcode, budget))
                        give(replace(slot))
                    elif time.monotonic() - slot.started > budget.seconds:
                        failure = Failure("timeout", f"审计超过时间上限（{budget.seconds:g} 秒），已停止", False)
                        fail(slot, failure)
                        give(replace(slot))
        except Interrupted:
            stop = Failure("interrupted", "审计被中止（收到终止信号），未完成此报告", True)
            for slot in slots:
                fail(slot, stop)
            for index in reversed(pending):
                results[index] = failed(items[index], stop)
            pending.clear()
        finally:
            for slot in slots:
                _stop(slot)
    return [results[i] for i in range(len(items))]


def _died(exitcode: int | None, budget: Budget) -> Failure:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        if -exitcode == signal.SIGKILL:
            return Failure(
                "worker_died",
                f"审计进程被强制终止（{name}，可能因系统内存不足；本报告内存上限 {budget.memory_mb} MB）",
                True,
            )
        return Failure("worker_died", f"审计进程异常终止（{name}）", True)
    return Failure("worker_died", f"审计进程意外退出（退出码 {exitcode}）", True)


def _stop(slot: _Slot[Any]) -> None:
    with contextlib.suppress(Exception):
        slot.conn.close()
    if slot.process.is_alive():
        slot.process.kill()
    slot.process.join(5)
    with contextlib.suppress(Exception):
        slot.process.close()
