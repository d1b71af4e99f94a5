"""Input readers: one module per file kind, each claiming a file by its content.

Every reader module defines ``READER`` (a `Reader`); the registry asks them in order of
``priority`` (most specific first) and the first that claims the bytes reads them. The
plain-text reader claims everything, so it comes last. Adding a kind touches one file.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from auditor.text.document import Document
from auditor.text.radicals import unify_document


@dataclass(frozen=True)
class Reader:
    """One input kind: whether it claims a file (bytes and lower-case suffix) and how to read it.

    ``read`` raises `auditor.text.decode.UnreadableInput` for bytes it cannot read.
    """

    name: str
    priority: int  # lower is asked first
    claims: Callable[[bytes, str], bool]
    read: Callable[[bytes], Document]


@cache
def readers() -> tuple[Reader, ...]:
    """Every reader of this package, in the order they are asked."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        reader = getattr(module, "READER", None)
        if isinstance(reader, Reader):
            found.append(reader)
    return tuple(sorted(found, key=lambda r: (r.priority, r.name)))


def reader_for(data: bytes, suffix: str) -> Reader:
    """The reader that claims these bytes (the text reader when no other does)."""
    return next(r for r in readers() if r.claims(data, suffix.lower()))


def read_document(data: bytes, suffix: str = "") -> Document:
    """Read report bytes into a `Document`; raises `UnreadableInput` when they cannot be read."""
    return unify_document(reader_for(data, suffix).read(data))
