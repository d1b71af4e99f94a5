"""A streamed batch's records stored as they arrive: each report in its own transaction.

The store is the batch's spool: the main process records each report the moment its
record arrives, and reads the whole record back to write the outputs, so memory holds no
record for longer than it takes to store or render it; an interrupted run resumes from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from auditor.findings.review import Review
from auditor.store.reader import StoredRecord
from auditor.store.store import Store

# A report the batch never audited (SIGTERM came first): it is not recorded, so the next
# run's 复核 is not misled and a resumed run audits it.
NOT_AUDITED = "interrupted"


class StoreSink:
    """`auditor.pipeline.Sink` over run ``run`` of ``store`` for the batch ``paths``."""

    def __init__(self, store: Store, run: int, paths: Sequence[Path], reviews: Mapping[str, Review]) -> None:
        self.store, self.run, self.paths, self.reviews = store, run, paths, reviews
        self.unrecorded: dict[int, dict[str, Any]] = {}
        self.interrupted = False

    def put(self, index: int, record: dict[str, Any]) -> None:
        if any(p.get("code") == NOT_AUDITED for p in record.get("problems") or ()):
            self.interrupted = True
            record["run"] = self.run
            self.unrecorded[index] = record
            return
        self.unrecorded.pop(index, None)
        self.store.record(self.run, record, self.paths[index], self.reviews, index=index)

    def get(self, index: int) -> dict[str, Any] | None:
        if index in self.unrecorded:
            return self.unrecorded[index]
        return self.store.batch_record(self.run, index)

    def locate(self, index: int) -> StoredRecord | None:
        """The stored record at ``index`` as a source another process reads itself."""
        return None if index in self.unrecorded else StoredRecord(self.store.path, self.run, index)
