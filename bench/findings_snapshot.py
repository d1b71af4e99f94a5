"""A canonical JSON of every audit record of a fixed corpus, to prove speed-ups change nothing.

Run from the repository root. Records do not depend on the hash seed (VER-005 once did:
it named one of several equally long labels by set order); a fixed seed keeps any future
such dependency from passing for a change:
    PYTHONHASHSEED=0 .venv/bin/python bench/findings_snapshot.py /tmp/before.json
    PYTHONHASHSEED=0 .venv/bin/python bench/findings_snapshot.py /tmp/after.json --check /tmp/before.json

The corpus: the seeds (../shared/corpus/seeds), the real reports (../shared/corpus/real),
examples/, ~300 generated reports (every layout, with and without each defect) and
generated cross-year pairs. Everything is audited in this process (no batch path) and the
whole audit record (findings, not_evaluated, score, deductions, cells, tables...) is kept,
keyed by input name. The sha256 of the output is printed so commits can quote it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.pipeline import AuditOptions, audit_report, parse_bytes  # noqa: E402
from tests.reportgen import DEFECTS, LAYOUTS, make_report  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
SEEDS_PER_COMBINATION = 8  # 4 layouts x 9 defect choices x 8 = 288 generated reports
PAIRS = 12  # generated cross-year pairs (same agency, consecutive years)
PAIR_AGENCIES = ("青临县人民政府", "南云市教育局", "白川区人民政府办公室", "松岭县卫生健康委员会")


def _files() -> Iterator[tuple[str, bytes]]:
    for pattern in (SHARED / "seeds" / "*.txt", SHARED / "real" / "*"):
        for f in sorted(pattern.parent.glob(pattern.name)):
            if f.suffix != ".json" and f.name != "README.md":
                yield f"{pattern.parent.name}/{f.name}", f.read_bytes()
    for f in sorted((ROOT / "examples").iterdir()):
        if f.name != "README.md":
            yield f"examples/{f.name}", f.read_bytes()


def _generated() -> Iterator[tuple[str, bytes]]:
    seed = 0
    for layout in LAYOUTS:
        for defect in (None, *DEFECTS):
            for _ in range(SEEDS_PER_COMBINATION):
                seed += 1
                text = make_report(seed, layout=layout, defect=defect).text
                yield f"gen/{seed}-{layout}-{defect or 'clean'}.txt", text.encode("utf-8")


def _pairs() -> Iterator[tuple[str, bytes, bytes]]:
    for i in range(PAIRS):
        agency = PAIR_AGENCIES[i % len(PAIR_AGENCIES)]
        year = 2020 + i % 5
        defect = DEFECTS[i % len(DEFECTS)] if i % 3 == 0 else None
        before = make_report(1000 + i, agency=agency, year=year).text
        after = make_report(2000 + i, agency=agency, year=year + 1, defect=defect).text
        yield f"pair/{i}-{year + 1}", after.encode("utf-8"), before.encode("utf-8")


def snapshot() -> dict[str, Any]:
    """Every input's audit record, keyed by a stable name."""
    options = AuditOptions()
    out: dict[str, Any] = {}
    for name, data in [*_files(), *_generated()]:
        out[name] = audit_report(parse_bytes(data, name), options)
    for name, data, previous in _pairs():
        out[name] = audit_report(parse_bytes(data, name), options, parse_bytes(previous, name + "-previous"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="where to write the canonical JSON")
    parser.add_argument("--check", type=Path, help="an earlier snapshot that must be byte-identical")
    args = parser.parse_args()
    records = snapshot()
    text = json.dumps(records, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    args.out.write_text(text, encoding="utf-8")
    findings = sum(len(r.get("findings") or ()) for r in records.values())
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    print(f"{len(records)} reports, {findings} findings, sha256 {digest}")
    if args.check is None:
        return 0
    if args.check.read_text(encoding="utf-8") == text:
        print(f"identical to {args.check}")
        return 0
    before = json.loads(args.check.read_text(encoding="utf-8"))
    changed = sorted(k for k in before.keys() | records.keys() if before.get(k) != records.get(k))
    print(f"DIFFERENT from {args.check}: {len(changed)} reports, e.g. {changed[:5]}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
