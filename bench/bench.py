"""Performance targets, measured and printed (not asserted in tests, where timings flake).

Run from the repository root:  .venv/bin/python bench/bench.py

Targets:
- parse: median time to parse one seed-sized report on one core      <= 10 ms
- audit: CPU time to audit the five seed reports after start-up       <  1 s
- pdf:   CPU time to read a 20-page PDF report (ruled tables) on one core <= 2 s
- store: wall time the audit store adds to a 1,000-report batch <= 10 % (bench/store_bench.py)
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.pipeline import parse_bytes  # noqa: E402

SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
EXAMPLES = ROOT / "examples"
PARSE_TARGET_MS = 10.0
AUDIT_TARGET_S = 1.0
PDF_TARGET_S = 2.0
PDF_PAGES = 20


def _inputs() -> list[Path]:
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    return files or sorted(EXAMPLES.glob("*.txt"))


def bench_parse(files: list[Path], repeat: int = 25) -> float:
    datas = [(f, f.read_bytes()) for f in files]
    parse_bytes(datas[0][1], "warm-up")  # grammar load and label indexes are start-up cost
    medians = []
    print(f"parse: {len(files)} reports, {repeat} runs each")
    for f, data in datas:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            parse_bytes(data, str(f))
            times.append(time.perf_counter() - t0)
        med = statistics.median(times) * 1000
        medians.append(med)
        print(f"  {f.name:<40} {len(data) / 1024:6.1f} KiB  median {med:6.2f} ms")
    overall = statistics.median(medians)
    verdict = "OK" if overall <= PARSE_TARGET_MS else "OVER TARGET"
    print(f"  median over reports: {overall:.2f} ms (target <= {PARSE_TARGET_MS:.0f} ms) {verdict}")
    return overall


def bench_audit(files: list[Path], repeat: int = 5) -> float | None:
    try:
        from auditor.findings import audit
        from auditor.rules.loader import pack_for
    except ImportError:
        print("audit: rule engine not available")
        return None
    reports = [parse_bytes(f.read_bytes(), str(f)) for f in files]
    for r in reports:  # warm-up: packs loaded and compiled once per process
        audit(r, pack_for(r))
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for f in files:
            report = parse_bytes(f.read_bytes(), str(f))
            audit(report, pack_for(report))
        best = min(best, time.process_time() - t0)
    verdict = "OK" if best < AUDIT_TARGET_S else "OVER TARGET"
    target = f"target < {AUDIT_TARGET_S:.0f} s"
    print(f"audit: parse + audit of {len(files)} reports: {best * 1000:.0f} ms CPU ({target}) {verdict}")
    return best


def bench_pdf(repeat: int = 3) -> float | None:
    try:
        import pdfplumber

        from auditor.text.readers.pdf import read
        from tests.pdfgen import draw_report, generated_blocks
    except ImportError as exc:
        print(f"pdf: not measured ({exc})")
        return None
    # Generated reports one after another until the PDF has 20 pages, then cut to 20.
    blocks: list[object] = []
    seed = 0
    while True:
        seed += 1
        blocks += generated_blocks(seed, label_noise=False)[1]
        data = draw_report(blocks)  # type: ignore[arg-type]
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) >= PDF_PAGES:
                break
    data = _first_pages(data, PDF_PAGES)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        document = read(data)
        best = min(best, time.process_time() - t0)
    verdict = "OK" if best <= PDF_TARGET_S else "OVER TARGET"
    print(
        f"pdf: read a {PDF_PAGES}-page PDF ({len(document.blocks)} blocks): {best:.2f} s CPU "
        f"(target <= {PDF_TARGET_S:.0f} s) {verdict}"
    )
    return best


def _first_pages(data: bytes, pages: int) -> bytes:
    """The first pages of a PDF (pypdfium2 comes with pdfplumber)."""
    from pypdfium2 import PdfDocument

    source = PdfDocument(data)
    out = PdfDocument.new()
    out.import_pages(source, list(range(pages)))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def main() -> int:
    files = _inputs()
    if not files:
        print("no reports to measure")
        return 1
    bench_parse(files)
    bench_audit(files)
    bench_pdf()
    from store_bench import bench_store  # bench/ is on sys.path when this file runs

    bench_store()
    return 0


if __name__ == "__main__":
    sys.exit(main())
