"""The three kinds of renderer and the values they exchange.

Every renderer is a pure function over plain audit records (docs/architecture.md); only
`auditor.render.output` touches the file system.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import IO, Any, NamedTuple, Protocol

Record = Mapping[str, Any]
"""One audit record, exactly as ``audit --format json`` prints it."""

SCHEMA = "auditor.audit/1"


@dataclass(frozen=True)
class RenderOptions:
    """Choices of the person running the audit that documents print (``audit --deadline-days``)."""

    deadline_days: int = 15  # 整改期限: days from receipt of the 整改清单


def _always(record: Record) -> bool:
    return True


class ReportEntry(NamedTuple):
    """A record of a batch and the files written for it (renderer name → path relative to the run dir)."""

    record: Record
    files: Mapping[str, str]


@dataclass(frozen=True)
class StreamRenderer:
    """Prints all records of a run as text on stdout (``--format table|json``)."""

    name: str
    description: str
    render: Callable[[Sequence[Record]], str]
    # The same text piece by piece as records arrive (None: `render` needs them all at once).
    chunks: Callable[[Iterable[Record]], Iterator[str]] | None = None


@dataclass(frozen=True)
class ReportRenderer:
    """Turns one readable record into one file; ``suffix`` is appended to the report's file stem.

    ``applies`` says whether the record gets this file at all (a clean report gets no 整改清单).
    """

    name: str
    description: str
    suffix: str
    render: Callable[[Record, RenderOptions], bytes]
    applies: Callable[[Record], bool] = _always


BatchWrite = Callable[[Sequence[ReportEntry], RenderOptions, IO[bytes]], None]


class BatchBuilder(Protocol):
    """A batch file built one `ReportEntry` at a time, in batch order, then saved."""

    def add(self, entry: ReportEntry) -> None: ...

    def save(self, out: IO[bytes]) -> None: ...

    def discard(self) -> None:
        """Give up the file (the run stopped, or building it failed): release what it holds."""


@dataclass(frozen=True)
class BatchRenderer:
    """Turns every record of a run, failed ones included, into one file of the run dir.

    ``write`` streams the file into an open binary file as it reads the entries (a
    province's batch is a spool on disk, read more than once): its memory must not grow
    with the number of reports.
    """

    name: str
    description: str
    filename: str
    write: BatchWrite
    # Optional: the file built entry by entry as a run's records arrive (`BatchBuilder`),
    # made with the run's options and number of reports. Worth it for a file that costs
    # much per entry and needs nothing of later entries.
    builder: Callable[[RenderOptions, int], BatchBuilder] | None = None

    def render(self, entries: Sequence[ReportEntry], options: RenderOptions | None = None) -> bytes:
        """The whole file as bytes (small batches, tests, the web app)."""
        buffer = BytesIO()
        self.write(entries, options or RenderOptions(), buffer)
        return buffer.getvalue()


Renderer = StreamRenderer | ReportRenderer | BatchRenderer
