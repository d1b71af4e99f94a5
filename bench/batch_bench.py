"""Province-sized batches (issue 11): throughput, peak memory, a 60k-report summary.xlsx, Dask.

Run from the repository root (figures printed, nothing asserted):
    .venv/bin/python bench/batch_bench.py speed [REPORTS]          reports/s, --no-out and with outputs, vs the floor
                                                                   (--repeat N: N interleaved runs, the median)
    .venv/bin/python bench/batch_bench.py rss REPORTS [--outputs]  peak RSS of the batch process
    .venv/bin/python bench/batch_bench.py xlsx [REPORTS]           summary.xlsx of a 60k-report batch, checked
    .venv/bin/python bench/batch_bench.py dask [REPORTS]           Dask LocalCluster vs the local pool
    .venv/bin/python bench/batch_bench.py corpus FOLDER REPORTS    write the benchmark's corpus only

The corpus: generated reports of every layout, one in four with a defect, one body in ten
with last year's report beside it (cross-year pairs), and one unreadable file.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reportgen import DEFECTS, make_report  # noqa: E402

LAYOUTS = ("pipe", "tab", "paragraph", "markdown")
# Distinct generated texts; a larger batch repeats them under other names (the audit's cost
# does not depend on having seen a text before: nothing is cached across reports).
DISTINCT = 400


def write_corpus(folder: Path, reports: int) -> list[Path]:
    """``reports`` files in ``folder`` (the same files for the same count)."""
    folder.mkdir(parents=True, exist_ok=True)
    texts: dict[int, str] = {}
    paths = []
    for i in range(reports - 1):
        key = i % DISTINCT
        if key not in texts:
            if key % 10 == 9:  # last year's report of the body of report key - 1
                texts[key] = make_report(key - 1, fmt="2021", year=2022, agency=f"临江市第{key - 1}局").text
            elif key % 10 == 8:
                texts[key] = make_report(key, fmt="2021", year=2023, agency=f"临江市第{key}局", layout="tab").text
            else:
                defect = DEFECTS[key % len(DEFECTS)] if key % 4 == 0 else None
                texts[key] = make_report(key, layout=LAYOUTS[key % 4], defect=defect).text
        path = folder / f"r{i:06d}.txt"
        path.write_text(texts[key], encoding="utf-8")
        paths.append(path)
    unreadable = folder / "scanned_image.txt"
    unreadable.write_bytes(bytes(range(256)) * 8)
    return [*paths, unreadable]


def floor_seconds(paths: list[Path]) -> float:
    """Read + decode + one regex pass over every file: the least any audit must do."""
    pattern = re.compile(r"\d+")
    start = time.perf_counter()
    for path in paths:
        pattern.findall(path.read_bytes().decode("utf-8", errors="replace"))
    return time.perf_counter() - start


def run_audit(args: list[str], cwd: Path) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MB, the batch process itself) and stderr of ``audit ARGS``."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "auditor", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    peak = 0

    def watch() -> None:
        nonlocal peak
        status = Path(f"/proc/{process.pid}/status")
        while process.poll() is None:
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
            except OSError:
                return
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, err = process.communicate()
    watcher.join()
    return time.perf_counter() - start, peak // 1024, err.decode("utf-8", errors="replace")


def bench_speed(reports: int, repeat: int = 1) -> None:
    """Wall time of the batch, ``repeat`` times each way, the two ways interleaved (a shared
    machine's speed drifts: the median of interleaved runs compares fairly)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_corpus(Path(tmp) / "in", reports)
        floor = floor_seconds(paths)
        per = floor / reports * 1000
        print(f"speed: {reports} reports; floor (read + decode + one regex pass) {per:.3f} ms/report")
        ways = {"--no-out": ["--no-out"], "all outputs": ["--out", str(Path(tmp) / "out")]}
        walls: dict[str, list[float]] = {label: [] for label in ways}
        for _ in range(repeat):
            for label, extra in ways.items():
                walls[label].append(run_audit([str(Path(tmp) / "in"), "-q", *extra], Path(tmp))[0])
        for label, runs in walls.items():
            wall = statistics.median(runs)
            spread = f" (median of {repeat}: {min(runs):.1f}-{max(runs):.1f} s)" if repeat > 1 else ""
            print(f"  {label}: {wall:.1f} s, {reports / wall:.0f} reports/s, {wall / floor:.0f}x the floor{spread}")


def bench_rss(reports: int, outputs: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(Path(tmp) / "in", reports)
        extra = ["--out", str(Path(tmp) / "out")] if outputs else ["--no-out"]
        wall, peak, _ = run_audit([str(Path(tmp) / "in"), "-q", *extra], Path(tmp))
        label = "with outputs" if outputs else "--no-out"
        print(f"rss: {reports} reports {label}: peak RSS of the batch process {peak} MB ({wall:.0f} s)")


def bench_xlsx(reports: int, repeat_findings: int = 1) -> None:
    """summary.xlsx of ``reports`` reports, from the summaries a batch spools (the audit itself
    is what `speed` measures: the records here are the corpus's distinct ones, repeated).

    ``repeat_findings`` lists each report's findings that many times, to pass Excel's row cap
    as a province's batch with ~20 findings a report does."""
    from openpyxl import load_workbook

    from auditor.pipeline import AuditOptions, audit_files
    from auditor.render import records as rec
    from auditor.render.formats.summary_xlsx import FINDING_SHEET, MAX_ROWS, REPORT_SHEET, render
    from auditor.render.kinds import ReportEntry
    from auditor.render.output import Spool, summary_of

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_corpus(Path(tmp) / "in", DISTINCT + 1)
        records = audit_files(paths, AuditOptions())
        entries: Spool[ReportEntry] = Spool()
        findings = 0
        for n in range(reports):
            record = dict(summary_of(records[n % len(records)]))
            record["source"] = {**record["source"], "path": f"{n:06d}.txt"}
            record["findings"] = list(record.get("findings") or ()) * repeat_findings
            # An unauditable report's findings are not listed in 问题明细 (see summary_xlsx._finding_rows).
            findings += 0 if rec.is_unauditable(record) else len(record["findings"])
            entries.append(ReportEntry(record, {"html": f"reports/{n:06d}.html"}))
        start = time.perf_counter()
        data = render(entries, None)
        seconds = time.perf_counter() - start
        target = Path(tmp) / "summary.xlsx"
        target.write_bytes(data)
        wb = load_workbook(target, read_only=True)
        # Write-only sheets record no dimension: count the rows.
        rows = {ws.title: sum(1 for _ in ws.iter_rows(values_only=True)) for ws in wb.worksheets}
        print(f"xlsx: {reports} reports, {findings} findings -> {len(data) / 1e6:.0f} MB in {seconds:.0f} s")
        print(f"  sheets (rows incl. header): {rows}")
        assert sum(n - 1 for t, n in rows.items() if t.startswith(REPORT_SHEET)) == reports
        assert sum(n - 1 for t, n in rows.items() if t.startswith(FINDING_SHEET)) == findings
        assert all(n <= MAX_ROWS + 1 for n in rows.values())
        print("  valid: opens in openpyxl, every report and finding present, no sheet past the row cap")


def bench_dask(reports: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        write_corpus(folder, reports)
        outputs = {}
        times = {}
        for label, extra in (("local pool", []), ("dask local", ["--dask", "local"])):
            out = Path(tmp) / f"{label}.json"
            start = time.perf_counter()
            with open(out, "wb") as f:
                subprocess.run(
                    [sys.executable, "-m", "auditor", str(folder), "--no-out", "--format", "json", *extra],
                    cwd=tmp,
                    stdout=f,
                    stderr=subprocess.DEVNULL,
                    env={**os.environ, "PYTHONPATH": str(ROOT)},
                )
            times[label] = time.perf_counter() - start
            outputs[label] = out.read_bytes()
        same = outputs["local pool"] == outputs["dask local"]
        local, dask = times["local pool"], times["dask local"]
        print(f"dask: {reports} reports; local pool {local:.1f} s, LocalCluster {dask:.1f} s")
        print(f"  wall-time ratio dask/local {times['dask local'] / times['local pool']:.2f}; JSON identical: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("speed", "rss", "xlsx", "dask", "corpus"))
    parser.add_argument("args", nargs="*")
    parser.add_argument("--outputs", action="store_true", help="rss: with all outputs (default --no-out)")
    parser.add_argument("--repeat-findings", type=int, default=1, help="xlsx: list each report's findings N times")
    parser.add_argument("--repeat", type=int, default=1, help="speed: interleaved runs of each way; the median shown")
    ns = parser.parse_args()
    if ns.what == "corpus":
        write_corpus(Path(ns.args[0]), int(ns.args[1]))
    elif ns.what == "speed":
        bench_speed(int(ns.args[0]) if ns.args else 1000, ns.repeat)
    elif ns.what == "rss":
        bench_rss(int(ns.args[0]) if ns.args else 1000, ns.outputs)
    elif ns.what == "xlsx":
        bench_xlsx(int(ns.args[0]) if ns.args else 60000, ns.repeat_findings)
    else:
        bench_dask(int(ns.args[0]) if ns.args else 1000)


if __name__ == "__main__":
    main()
