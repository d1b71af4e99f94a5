"""A streamed batch: records handed on as they arrive, JSON piece by piece, batch files from spooled summaries."""

from __future__ import annotations

import heapq
import json
import os
import pickle
import sqlite3
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from auditor import __version__
from auditor.pipeline import AuditOptions, MemorySink, SpoolSink, audit_batch, audit_files
from auditor.render.formats import json_doc, summary_xlsx
from auditor.render.kinds import ReportEntry
from auditor.render.output import BatchTally, Spool, summary_of
from auditor.store.sink import StoreSink
from auditor.store.store import Store
from tests.reportgen import make_report


def _batch(folder: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        path = folder / f"r{i}.txt"
        path.write_text(make_report(i, layout="tab", defect="wrong_total" if i % 2 else None).text, encoding="utf-8")
        paths.append(path)
    return paths


def test_records_reach_the_sink_as_they_arrive(tmp_path: Path) -> None:
    paths = _batch(tmp_path, 4)
    sink = MemorySink()  # progress reads how many records it holds at each step
    held: list[int] = []
    audit_batch(paths, AuditOptions(), sink, jobs=1, progress=lambda done, total: held.append(len(sink.records)))
    # Progress is reported as each result arrives, before it is handed on: the sink grows one by one
    # (a batch collecting every record first would show 0, 0, 0, 0).
    assert held == [0, 1, 2, 3]
    assert [sink.records[i] for i in range(4)] == audit_files(paths, AuditOptions(), budget=None)


def test_json_pieces_make_the_same_document() -> None:
    records: list[dict[str, Any]] = [{"a": 1, "b": {"c": [1, "两\n行"], "d": {}}, "e": []}, {"z": "中文"}]
    for n in range(3):
        assert "".join(json_doc.chunks(records[:n])) == json_doc.render(records[:n])


def test_spools_give_back_what_was_put(tmp_path: Path) -> None:
    sink = SpoolSink()
    sink.put(1, {"x": [1, 2]})
    sink.put(0, {"y": "值"})
    sink.put(1, {"x": "replaced"})
    assert (sink.get(0), sink.get(1), sink.get(2)) == ({"y": "值"}, {"x": "replaced"}, None)
    sink.close()
    spool: Spool[int] = Spool()
    for i in range(5):
        spool.append(i * i)
    assert (list(spool), spool[2], spool[1:3], len(spool)) == ([0, 1, 4, 9, 16], 4, [1, 4], 5)
    view = pickle.loads(pickle.dumps(spool.view()))  # what a worker process gets
    assert (list(view), view[3], len(view)) == ([0, 1, 4, 9, 16], 9, 5)
    spool.close()


def test_summaries_drop_the_parsed_tables_only(tmp_path: Path) -> None:
    record = audit_files(_batch(tmp_path, 1), AuditOptions(), budget=None)[0]
    slim = summary_of(record)
    assert "tables" not in slim and slim["findings"] == record["findings"]
    assert record["meta"]["format"] and record["cells"] and slim["cells"] == {}  # the format names the template
    unknown = {**record, "meta": {**record["meta"], "format": None}}
    assert list(summary_of(unknown)["cells"]) == list(record["cells"])  # here the cell keys choose it


def test_summary_xlsx_continues_past_the_row_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = audit_files(_batch(tmp_path, 3), AuditOptions(), budget=None)
    monkeypatch.setattr(summary_xlsx, "MAX_ROWS", 2)
    entries = [ReportEntry(r, {"html": f"reports/r{i}.html"}) for i, r in enumerate(records)]
    wb = load_workbook(BytesIO(summary_xlsx.render(entries, None)))
    reports = [ws for ws in wb.worksheets if ws.title.startswith(summary_xlsx.REPORT_SHEET)]
    findings = [ws for ws in wb.worksheets if ws.title.startswith(summary_xlsx.FINDING_SHEET)]
    assert [ws.title for ws in reports] == ["报告汇总", "报告汇总2"]
    assert all(ws.max_row <= 3 for ws in wb.worksheets)
    listed = [row[0].value for ws in reports for row in ws.iter_rows(min_row=2)]
    assert listed == [f"r{i}.txt" for i in range(3)]
    assert sum(ws.max_row - 1 for ws in findings) == sum(len(r["findings"]) for r in records)
    assert reports[1]["A2"].hyperlink.target == "reports/r2.html"


def test_the_store_holds_whole_records_only_while_the_run_is_open(tmp_path: Path) -> None:
    paths = _batch(tmp_path, 2)
    store = Store(tmp_path / "audit.db")
    run = store.begin_run(__version__, {})
    sink = StoreSink(store, run, paths, store.reviews())
    audit_batch(paths, AuditOptions(), sink, budget=None)
    sink.put(1, audit_files(paths[1:], AuditOptions(), budget=None)[0])  # a second record for one position
    assert store.batch_sources(run).keys() == {0, 1}
    assert json.loads(json.dumps(sink.get(0), default=str))["source"]["path"] == str(paths[0])
    store.finish_run(run, {}, interrupted=False)
    assert store.batch_sources(run) == {} and store.batch_record(run, 0) is None
    store.close()
    with sqlite3.connect(tmp_path / "audit.db") as conn:
        assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 2  # replaced, not added


def test_report_files_rendered_in_workers_are_the_same(tmp_path: Path) -> None:
    from auditor.render.output import OutputWriter, write_outputs

    records = audit_files(_batch(tmp_path, 4), AuditOptions(), budget=None)
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    alone = write_outputs(records, tmp_path / "one")
    writer = OutputWriter(tmp_path / "two", [r["source"]["path"] for r in records], jobs=2)
    for record in records:
        writer.add(record)
    assert writer.pool is not None  # really in worker processes
    pooled = writer.finish()
    writer.close()
    assert (pooled.report_files, pooled.findings_lines) == (alone.report_files, alone.findings_lines)
    for page in (tmp_path / "one").rglob("*.html"):
        assert page.read_bytes() == (tmp_path / "two" / page.relative_to(tmp_path / "one")).read_bytes()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_render_workers_end_with_a_killed_batch(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from auditor.render.output import _render_worker_setup

    # A stand-in for the batch process; a render worker set up for it, as the pool does.
    batch = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    code = f"from auditor.render.output import _render_worker_setup as s; s({batch.pid}); import time; time.sleep(60)"
    worker = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    time.sleep(1.5)
    assert worker.poll() is None and callable(_render_worker_setup)
    batch.send_signal(signal.SIGKILL)
    batch.wait()
    assert worker.wait(timeout=10) == 0  # it noticed and ended, instead of sleeping its minute


def test_the_end_of_run_tally_keeps_only_the_worst_few_and_orders_ties_by_path_then_batch() -> None:
    # 60 records, scores with many ties and repeated paths: what heapq.nsmallest over the whole
    # batch would give, though the tally holds at most a few records at any time.
    def record(n: int) -> dict[str, Any]:
        return {
            "source": {"path": f"r{n % 7}.txt"},
            "status": "ok",
            "verdict": {"status": "scored"},
            "score": float(60 + (n * 37) % 11),
            "counts": {"error": n % 3, "warning": 0, "info": 1},
            "findings": [],
        }

    records = [record(n) for n in range(60)]
    tally = BatchTally(max_listed=5)
    for r in records:
        tally.add(r)
        assert len(tally.worst) <= 4 * 5 + 1
    expected = heapq.nsmallest(5, records, key=lambda r: (r["score"], r["source"]["path"]))
    assert tally.worst_records() == expected
    assert tally.counts == {"error": sum(n % 3 for n in range(60)), "warning": 0, "info": 60}


def _tree(folder: Path) -> dict[str, Any]:
    """Every file under ``folder``: a DOCX by its parts but the time it was made, the workbook
    left to `_cells`."""
    out: dict[str, Any] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".xlsx"):
        key = str(path.relative_to(folder))
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as docx:
                out[key] = {n: docx.read(n) for n in docx.namelist() if n != "docProps/core.xml"}
        else:
            out[key] = path.read_bytes()
    return out


def _cells(path: Path) -> list[list[list[Any]]]:
    return [[[c.value for c in row] for row in ws.iter_rows()] for ws in load_workbook(path).worksheets]


@pytest.mark.parametrize("kind", ["store", "spool"])
def test_render_workers_read_each_record_from_the_sink_themselves(tmp_path: Path, kind: str) -> None:
    from auditor.render.output import OutputWriter, write_outputs

    paths = _batch(tmp_path, 4)
    store = Store(tmp_path / "audit.db") if kind == "store" else None
    sink: Any = StoreSink(store, store.begin_run(__version__, {}), paths, {}) if store else SpoolSink()
    audit_batch(paths, AuditOptions(), sink, budget=None)
    records = [sink.get(i) for i in range(len(paths))]
    (tmp_path / "here").mkdir()
    (tmp_path / "workers").mkdir()
    alone = write_outputs(records, tmp_path / "here")
    seen: list[str] = []
    writer = OutputWriter(
        tmp_path / "workers", [str(p) for p in paths], jobs=2, observe=lambda s: seen.append(s["source"]["path"])
    )
    for i in range(len(paths)):
        writer.add_from(sink.locate(i))
    assert writer.pool is not None
    pooled = writer.finish()
    writer.close()
    assert seen == [str(p) for p in paths]  # every summary, in batch order
    assert (pooled.report_files, pooled.findings_lines, pooled.unwritten) == (
        alone.report_files,
        alone.findings_lines,
        (),
    )
    assert _tree(tmp_path / "workers") == _tree(tmp_path / "here")
    assert _cells(tmp_path / "workers" / "summary.xlsx") == _cells(tmp_path / "here" / "summary.xlsx")
    if store:
        store.close()
    else:
        sink.close()


class _OnlyHere:
    """A record source that fails in any other process (a worker that cannot read the store)."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.record, self.pid = record, os.getpid()

    def __call__(self) -> dict[str, Any]:
        if os.getpid() != self.pid:
            raise OSError("unreadable here")
        return self.record


def test_a_record_a_render_worker_cannot_read_is_rendered_by_the_batch(tmp_path: Path) -> None:
    from auditor.render.output import OutputWriter, write_outputs

    records = audit_files(_batch(tmp_path, 3), AuditOptions(), budget=None)
    (tmp_path / "here").mkdir()
    (tmp_path / "fallback").mkdir()
    write_outputs(records, tmp_path / "here")
    writer = OutputWriter(tmp_path / "fallback", [r["source"]["path"] for r in records], jobs=2)
    for record in records:
        writer.add_from(_OnlyHere(record))
    summary = writer.finish()
    writer.close()
    assert summary.unwritten == () and summary.report_files == len(list((tmp_path / "here" / "reports").iterdir()))
    assert _tree(tmp_path / "fallback") == _tree(tmp_path / "here")


def test_a_batch_file_whose_builder_fails_costs_only_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.render.output import OutputWriter

    def broken(self: Any, entry: ReportEntry) -> None:
        raise ValueError("boom")

    records = audit_files(_batch(tmp_path, 2), AuditOptions(), budget=None)
    monkeypatch.setattr(summary_xlsx.Book, "add", broken)
    (tmp_path / "run").mkdir()
    writer = OutputWriter(tmp_path / "run", [r["source"]["path"] for r in records])
    for record in records:
        writer.add(record)
    summary = writer.finish()
    writer.close()
    assert summary.unwritten == (("summary.xlsx", "生成失败（内部错误）：ValueError: boom"),)
    assert not (tmp_path / "run" / "summary.xlsx").exists()
    assert (tmp_path / "run" / "index.html").exists() and (tmp_path / "run" / "通报.docx").exists()


def test_a_worker_that_cannot_open_the_spool_leaves_the_batch_file_to_the_batch(tmp_path: Path) -> None:
    from auditor.render.kinds import RenderOptions
    from auditor.render.output import SpoolView, write_batch_file

    unreadable: SpoolView[ReportEntry] = SpoolView(str(tmp_path / "gone"), [(0, 10)])
    with pytest.raises(OSError):  # raised, not reported as the file's failure: the caller writes it
        write_batch_file("index", unreadable, RenderOptions(), tmp_path / "index.html")
    assert not (tmp_path / "index.html").exists()
