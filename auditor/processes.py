"""How the auditor starts worker processes (audit workers and render workers alike).

Outside the stage layers (like `auditor.errors`): the batch runner and the render stage
both start workers, and they must start them the same way, from the same server.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
from typing import Any


def start_context() -> Any:
    """The multiprocessing context workers start from.

    forkserver: a worker starts from a clean server process, never from a parent that may be
    running threads (the progress bar, a pool's feeder); plain fork where forkserver does
    not exist. One server serves the whole run, so what it imported is imported once.
    """
    methods = mp.get_all_start_methods()
    return mp.get_context("forkserver" if "forkserver" in methods else methods[0])


# The cyclic collector's default threshold (700 allocations) has it sweep a worker's
# long-lived caches, packs and templates thousands of times a batch: about 8% of a report's
# CPU. What set-up made is frozen out of its sweeps, and it runs a thirtieth as often; a
# worker's memory budget still bounds what cycles it leaves in between.
_WORKER_GC_THRESHOLDS = (20_000, 50, 100)


def settle_worker_memory() -> None:
    """Tune the collector of a worker whose set-up is done, for the many items to come."""
    gc.freeze()
    gc.set_threshold(*_WORKER_GC_THRESHOLDS)
