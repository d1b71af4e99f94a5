"""A batch holding one body's reports for consecutive years compares them (cross-year rules)."""

from __future__ import annotations

from pathlib import Path

from auditor.pipeline import AuditOptions, audit_files
from tests.reportgen import make_report

AGENCY = "临江市生态环境局"


def _write(folder: Path, name: str, seed: int, year: int, layout: str) -> Path:
    path = folder / name
    path.write_text(make_report(seed, fmt="2021", year=year, agency=AGENCY, layout=layout).text, encoding="utf-8")
    return path


def _cross_year_skipped(record: dict[str, object]) -> set[str]:
    skipped = record["not_evaluated"]
    assert isinstance(skipped, list)
    return {str(n["rule"]) for n in skipped if str(n["rule"]).startswith(("YOY", "RECT-003"))}


def test_consecutive_years_are_compared(tmp_path: Path) -> None:
    later = _write(tmp_path, "b.txt", 4, 2023, "tab")
    earlier = _write(tmp_path, "a.txt", 3, 2022, "pipe")
    steps: list[tuple[int, int]] = []
    records = audit_files([later, earlier], AuditOptions(), jobs=1, progress=lambda d, t: steps.append((d, t)))
    by_year = {r["meta"]["year"]: r for r in records}
    assert [Path(r["source"]["path"]).name for r in records] == ["b.txt", "a.txt"]  # input order kept
    assert _cross_year_skipped(by_year[2022])  # nothing before 2022 in the batch
    assert not _cross_year_skipped(by_year[2023])  # compared with 2022
    # The generator draws each year's figures independently: 上年结转 ≠ last year's 结转下年度.
    yoy = [f for f in by_year[2023]["findings"] if f["rule"] == "YOY-001"]
    assert yoy and all(f["severity"] == "warning" for f in yoy)
    assert steps[-1] == (3, 3)  # two first-pass audits plus one re-audit with the previous year


def test_single_year_batch_is_not_audited_twice(tmp_path: Path) -> None:
    files = [_write(tmp_path, f"r{i}.txt", i, 2023, "pipe") for i in range(3)]
    steps: list[tuple[int, int]] = []
    audit_files(files, AuditOptions(), jobs=1, progress=lambda d, t: steps.append((d, t)))
    assert steps[-1] == (3, 3)
