"""What the audit store adds to a batch: the same 1,000 reports audited without and with it.

Run from the repository root:  .venv/bin/python bench/store_bench.py [REPORTS]
(also run by bench/bench.py). Target: the store adds <= 10 % to the batch's wall time.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor import __version__  # noqa: E402
from auditor.pipeline import AuditOptions, audit_files  # noqa: E402
from auditor.store.store import Store  # noqa: E402

STORE_TARGET = 0.10
EXAMPLES = ROOT / "examples"


def _batch(folder: Path, reports: int) -> list[Path]:
    sources = sorted(EXAMPLES.glob("*.txt"))
    paths = []
    for n in range(reports):
        path = folder / f"{n:04d}_{sources[n % len(sources)].name}"
        shutil.copy(sources[n % len(sources)], path)
        paths.append(path)
    return paths


def _with_store(paths: list[Path], db: Path) -> tuple[float, float]:
    """Wall time of the batch with a fresh store (and of its recording alone)."""
    start = time.perf_counter()
    store = Store(db)
    run = store.begin_run(__version__, {"files": len(paths)})
    options = AuditOptions(waived=store.dismissed(), store=store.path)
    records = audit_files(paths, options)
    write_start = time.perf_counter()
    reviews = store.reviews()
    for record, path in zip(records, paths, strict=True):
        store.record(run, record, path, reviews)
    store.finish_run(run, {}, interrupted=False)
    store.close()
    end = time.perf_counter()
    return end - start, end - write_start


def _without_store(paths: list[Path]) -> float:
    start = time.perf_counter()
    audit_files(paths, AuditOptions())
    return time.perf_counter() - start


def bench_store(reports: int = 1000, rounds: int = 2) -> float:
    """Extra wall time of a batch with the store (lookups in workers, one transaction per report), as a fraction.

    Runs alternate (without, with, without, with …) and the best of each counts: on a shared
    machine the load drifts by more than the store costs.
    """
    with tempfile.TemporaryDirectory() as tmp:
        paths = _batch(Path(tmp), reports)
        audit_files(paths[:20], AuditOptions())  # warm caches and the worker start-up before timing
        plain, stored, writing = float("inf"), float("inf"), float("inf")
        for n in range(rounds):
            plain = min(plain, _without_store(paths))
            total, recording = _with_store(paths, Path(tmp) / f"audit{n}.db")
            stored, writing = min(stored, total), min(writing, recording)
    extra = (stored - plain) / plain
    verdict = "OK" if extra <= STORE_TARGET else "OVER TARGET"
    print(
        f"store: batch of {reports} reports: {plain:.1f} s without the store, {stored:.1f} s with it (best of {rounds})"
    )
    print(
        f"  store adds {extra * 100:+.1f} % (recording {writing:.2f} s = {writing / plain * 100:.1f} %; "
        f"target <= {STORE_TARGET * 100:.0f} %) {verdict}"
    )
    return extra


if __name__ == "__main__":
    bench_store(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
