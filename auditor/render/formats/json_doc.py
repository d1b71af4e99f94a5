"""``--format json``: ``{"schema": "auditor.audit/1", "reports": [record, ...]}``."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Iterator, Sequence

from auditor.render.kinds import SCHEMA, Record, StreamRenderer


def render(records: Sequence[Record]) -> str:
    """The records as one JSON document (UTF-8 text, Chinese left readable)."""
    # default=str: a record built in memory may still hold a date; JSON readers get ISO text.
    doc = {"schema": SCHEMA, "reports": [dict(r) for r in records]}
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n"


def chunks(records: Iterable[Record]) -> Iterator[str]:
    """`render`'s text piece by piece, one record at a time: a batch is never held whole."""
    head = json.dumps({"schema": SCHEMA}, ensure_ascii=False, indent=2)[:-2]  # without "\n}"
    first = True
    for record in records:
        text = json.dumps(dict(record), ensure_ascii=False, indent=2, default=str)
        # JSON text has no raw newlines inside strings: indenting every line nests it exactly.
        yield (head + ',\n  "reports": [\n' if first else ",\n") + textwrap.indent(text, "    ")
        first = False
    yield head + ',\n  "reports": []\n}\n' if first else "\n  ]\n}\n"


RENDERER = StreamRenderer("json", "JSON 文档（auditor.audit/1）", render, chunks)
