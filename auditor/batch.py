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
import importlib
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

from auditor.errors import UsageError
from auditor.processes import start_context

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


class _Stop:
    """Set by SIGTERM; its pipe wakes the batch's `wait` so the stop is seen at once.

    A flag rather than an exception: results are handed to the caller as they arrive, and
    an exception raised by the signal handler could land in the caller's code between two.
    """

    def __init__(self) -> None:
        self.requested = False
        self.read, self.write = os.pipe()
        os.set_blocking(self.write, False)

    def close(self) -> None:
        for fd in (self.read, self.write):
            with contextlib.suppress(OSError):
                os.close(fd)


@contextlib.contextmanager
def _sigterm_stops(stop: _Stop) -> Iterator[None]:
    """Let SIGTERM set ``stop`` in the main thread for the duration (a no-op elsewhere)."""
    if sys.platform == "win32" or not _in_main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends the process at once
        stop.requested = True
        with contextlib.suppress(OSError):
            os.write(stop.write, b"x")

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


def _worker(conn: Connection, fn: Callable[[Any], Any], memory_mb: int, initializer: Callable[[], None] | None) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch process decides what Ctrl-C means
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if initializer is not None:
        try:
            initializer()  # shared set-up (loading rule packs) is not charged to the first item
        except Exception:
            os._exit(3)  # the batch counts workers that never get ready and gives up after a few
    _limit_memory(memory_mb)
    conn.send(("ready", None))
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
        except Exception as exc:  # a result that cannot be sent back (not picklable)
            reply = ("internal", f"结果无法传回：{type(exc).__name__}")
            conn.send(reply)
        if reply[0] != "ok":
            return  # a worker that failed may be in a bad state: a fresh one takes over


# --- the batch side -------------------------------------------------------------------------


@dataclass
class _Slot(Generic[T]):
    process: BaseProcess
    conn: Connection
    ready: bool = False
    index: int | None = None
    started: float = 0.0


# Workers that die before they are ready, in a row, before the batch gives up on starting more.
_MAX_START_FAILURES = 3


def warm_up(preload: Sequence[str]) -> None:
    """Start the process workers are forked from now, importing ``preload`` while this one
    goes on with its own set-up (listing files, checking rule packs). A no-op where workers
    are not forked from a server process."""
    ctx = start_context()
    if hasattr(ctx, "set_forkserver_preload"):
        from multiprocessing import forkserver

        ctx.set_forkserver_preload(list(preload))
        forkserver.ensure_running()


def run_isolated(
    fn: Callable[[T], R],
    items: Sequence[T],
    failed: Failed[T, R],
    *,
    workers: int,
    budget: Budget,
    tick: Tick | None = None,
    preload: Sequence[str] = (),
    initializer: Callable[[], None] | None = None,
) -> list[R]:
    """``[fn(item) for item in items]`` with each call in a worker process under ``budget``.

    ``fn`` and ``initializer`` must be picklable (module-level functions or partials of
    them). Results come back in input order; an item whose call fails gets
    ``failed(item, failure)`` instead. The clock of an item starts when a ready worker
    receives it.
    """
    results = dict(
        iter_isolated(
            fn, items, failed, workers=workers, budget=budget, tick=tick, preload=preload, initializer=initializer
        )
    )
    return [results[i] for i in range(len(items))]


def iter_isolated(
    fn: Callable[[T], R],
    items: Sequence[T],
    failed: Failed[T, R],
    *,
    workers: int,
    budget: Budget,
    tick: Tick | None = None,
    preload: Sequence[str] = (),
    initializer: Callable[[], None] | None = None,
) -> Iterator[tuple[int, R]]:
    """`run_isolated` as ``(index, result)`` pairs in the order the results arrive.

    Nothing is kept once handed over: the caller decides what a batch holds in memory.
    Closing the iterator early stops the workers.
    """
    if not items:
        return iter(())
    runner = _Runner(fn, items, failed, budget, tick, preload, initializer)
    return runner.run(max(1, min(workers, len(items))))


class _Runner(Generic[T, R]):
    """The batch side of `run_isolated`: hands items to workers, watches clocks and deaths."""

    def __init__(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        failed: Failed[T, R],
        budget: Budget,
        tick: Tick | None,
        preload: Sequence[str],
        initializer: Callable[[], None] | None,
    ) -> None:
        self.fn, self.items, self.failed, self.budget, self.tick = fn, items, failed, budget, tick
        self.initializer = initializer
        self.ctx = start_context()
        if preload:
            warm_up(preload)  # a no-op for the imports when the server already runs (`start_workers`)
        self.pending = list(range(len(items)))[::-1]  # pop() takes items in input order
        self.results: list[tuple[int, R]] = []  # arrived, not yet handed to the caller
        self.stop = _Stop()
        self.slots: list[_Slot[T]] = []
        self.start_failures = 0

    def run(self, workers: int) -> Iterator[tuple[int, R]]:
        with _sigterm_stops(self.stop):
            try:
                self.slots = [self._start() for _ in range(workers)]
                while self.pending or any(s.index is not None for s in self.slots):
                    self._step()
                    if self.stop.requested:
                        self._fail_all(Failure("interrupted", "审计被中止（收到终止信号），未完成此报告", True))
                    yield from self._hand_over()
            finally:
                for slot in self.slots:
                    _stop(slot)
                self.stop.close()
        yield from self._hand_over()

    def _hand_over(self) -> Iterator[tuple[int, R]]:
        results, self.results = self.results, []
        yield from results

    def _start(self) -> _Slot[T]:
        parent, child = self.ctx.Pipe()
        args = (child, self.fn, self.budget.memory_mb, self.initializer)
        process = self.ctx.Process(target=_worker, args=args, daemon=True)
        process.start()
        child.close()
        return _Slot(process, parent)

    def _step(self) -> None:
        live = [s for s in self.slots if s.index is not None or not s.ready]
        busy = [s for s in live if s.index is not None]
        timeout = max(0.0, min(s.started + self.budget.seconds for s in busy) - time.monotonic()) if busy else None
        ready = wait([s.conn for s in live] + [s.process.sentinel for s in live] + [self.stop.read], timeout)
        if self.stop.requested:
            return
        for slot in live:
            if slot.conn in ready and self._receive(slot):
                continue
            if slot.conn in ready or slot.process.sentinel in ready:
                slot.process.join(1)
                self._died(slot)
            elif slot.index is not None and time.monotonic() - slot.started > self.budget.seconds:
                seconds = f"{self.budget.seconds:g}"
                self._replace(slot, Failure("timeout", f"审计超过时间上限（{seconds} 秒），已停止", False))

    def _receive(self, slot: _Slot[T]) -> bool:
        """Handle a message; False when the worker turned out to be gone."""
        try:
            code, value = slot.conn.recv()
        except (EOFError, OSError):
            return False
        if code == "ready":
            slot.ready = True
            self.start_failures = 0
            self._give(slot)
        elif code == "ok" and slot.index is not None:
            self._done(slot.index, value)
            slot.index = None
            self._give(slot)
        elif code == "memory":
            memory = f"{self.budget.memory_mb}"
            self._replace(slot, Failure("memory", f"超出内存上限（{memory} MB），已停止审计此报告", False))
        else:
            self._replace(slot, Failure("internal", f"内部错误：{value}", True))
        return True

    def _died(self, slot: _Slot[T]) -> None:
        if not slot.ready:
            self.start_failures += 1
            if self.start_failures > _MAX_START_FAILURES:
                reason = f"无法启动审计进程（{_death(slot.process.exitcode, self.budget).reason}）"
                self._fail_all(Failure("worker_died", reason, True))
                return
        self._replace(slot, _death(slot.process.exitcode, self.budget))

    def _give(self, slot: _Slot[T]) -> None:
        if not self.pending:
            return
        slot.index = self.pending.pop()
        slot.started = time.monotonic()
        with contextlib.suppress(OSError, EOFError):  # a worker already gone: `_step` notices
            slot.conn.send(self.items[slot.index])

    def _done(self, index: int, result: R) -> None:
        self.results.append((index, result))
        if self.tick:
            self.tick()

    def _replace(self, slot: _Slot[T], failure: Failure) -> None:
        """Fail the slot's item, stop its worker and start a fresh one (if work is left)."""
        if slot.index is not None:
            self._done(slot.index, self.failed(self.items[slot.index], failure))
        _stop(slot)
        at = self.slots.index(slot)
        if self.pending:
            self.slots[at] = self._start()
        else:
            self.slots.pop(at)

    def _fail_all(self, failure: Failure) -> None:
        for slot in self.slots:
            if slot.index is not None:
                self._done(slot.index, self.failed(self.items[slot.index], failure))
                slot.index = None
        while self.pending:
            index = self.pending.pop()
            self._done(index, self.failed(self.items[index], failure))


def _death(exitcode: int | None, budget: Budget) -> Failure:
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


# --- on a Dask cluster ----------------------------------------------------------------------

# Items per Dask task: enough that the scheduler's per-task cost (a few ms) stays small
# beside the work, few enough that the cluster's workers share the batch evenly.
DASK_CHUNK = 32
DASK_CONNECT_SECONDS = 10
LOCAL = "local"


def iter_dask(
    fn: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    address: str,
    failed: Failed[T, R],
    *,
    chunk: int = DASK_CHUNK,
) -> Iterator[R]:
    """``fn`` over ``items`` in chunks on the Dask cluster at ``address`` (``"local"``: a
    LocalCluster on this machine's cores); the results of each chunk as it finishes.

    ``fn`` turns a chunk into its results and must be picklable. A chunk whose task fails
    (a worker killed again and again: Dask's ``KilledWorker``) gets ``failed(item, failure)``
    for each of its items, and the batch goes on. Dask is an optional
    dependency (``pip install 'gov-report-auditor[dask]'``), imported only here.
    """
    try:
        # Any: the module is optional, so typing cannot rely on its stubs being there.
        distributed: Any = importlib.import_module("distributed")
    except ImportError as exc:
        raise DaskMissing from exc
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    with contextlib.ExitStack() as stack:
        if address == LOCAL:
            cluster = stack.enter_context(
                distributed.LocalCluster(
                    n_workers=available_cores(), threads_per_worker=1, processes=True, dashboard_address=None
                )
            )
            client = stack.enter_context(distributed.Client(cluster))
        else:
            try:
                client = stack.enter_context(distributed.Client(address, timeout=f"{DASK_CONNECT_SECONDS}s"))
            except (OSError, TimeoutError) as exc:
                raise UsageError(
                    f"无法连接 Dask 调度器 {address}（{type(exc).__name__}）：请确认调度器已启动且地址正确"
                ) from exc
        futures = client.map(fn, chunks, pure=False)
        chunk_of = {future.key: part for future, part in zip(futures, chunks, strict=True)}
        for future in distributed.as_completed(futures):
            try:
                results = future.result()
            except Exception as exc:  # the cluster lost this chunk: its reports fail, not the batch
                failure = Failure("worker_died", f"Dask 任务失败（{type(exc).__name__}）", True)
                results = [failed(item, failure) for item in chunk_of[future.key]]
            yield from results
            future.release()


class DaskMissing(UsageError):
    """``--dask`` was asked for but Dask is not installed."""

    def __init__(self) -> None:
        super().__init__("--dask 需要安装 Dask：pip install 'gov-report-auditor[dask]'")
