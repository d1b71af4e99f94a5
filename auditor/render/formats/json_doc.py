"""``--format json``: ``{"schema": "auditor.audit/1", "reports": [record, ...]}``."""

from __future__ import annotations

import json
from collections.abc import Sequence

from auditor.render.kinds import SCHEMA, Record, StreamRenderer


def render(records: Sequence[Record]) -> str:
    """The records as one JSON document (UTF-8 text, Chinese left readable)."""
    # default=str: a record built in memory may still hold a date; JSON readers get ISO text.
    doc = {"schema": SCHEMA, "reports": [dict(r) for r in records]}
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n"


RENDERER = StreamRenderer("json", "JSON 文档（auditor.audit/1）", render)
