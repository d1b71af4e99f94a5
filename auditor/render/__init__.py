"""Renderers: pure functions from audit records to stdout text or output files.

Each module of `auditor.render.formats` defines one ``RENDERER`` (a `StreamRenderer`,
`ReportRenderer` or `BatchRenderer`); the registry finds them, so adding a format
touches one file. `auditor.render.output` writes the file renderers' bytes into a run dir.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping, Sequence
from functools import cache
from types import MappingProxyType

from auditor.render import formats
from auditor.render.kinds import (
    SCHEMA,
    BatchRenderer,
    Record,
    Renderer,
    RenderOptions,
    ReportEntry,
    ReportRenderer,
    StreamRenderer,
)

__all__ = [
    "SCHEMA",
    "BatchRenderer",
    "Record",
    "RenderOptions",
    "Renderer",
    "ReportEntry",
    "ReportRenderer",
    "StreamRenderer",
    "batch_renderers",
    "get_renderer",
    "registry",
    "render_stream",
    "renderer_modules",
    "report_renderers",
    "stream_formats",
]


@cache
def registry() -> Mapping[str, Renderer]:
    """Every renderer by name, discovered once from the modules of `auditor.render.formats`."""
    found: dict[str, Renderer] = {}
    for info in sorted(pkgutil.iter_modules(formats.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{formats.__name__}.{info.name}")
        renderer = getattr(module, "RENDERER", None)
        if not isinstance(renderer, StreamRenderer | ReportRenderer | BatchRenderer):
            raise TypeError(f"{module.__name__} defines no RENDERER")
        if renderer.name in found:
            raise ValueError(f"two renderers are named {renderer.name!r}")
        found[renderer.name] = renderer
    return MappingProxyType(found)


def renderer_modules() -> list[str]:
    """The modules a process rendering files imports (for a worker server to import first)."""
    kits = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.ispkg)  # docxkit, xlsxkit…
    names = sorted(m.name for m in pkgutil.iter_modules(formats.__path__))
    return [*(f"{__name__}.{n}" for n in kits), *(f"{formats.__name__}.{n}" for n in names)]


def get_renderer(name: str) -> Renderer:
    """The renderer called ``name``; `KeyError` names the known ones."""
    try:
        return registry()[name]
    except KeyError:
        raise KeyError(f"no such output format: {name!r} (known: {', '.join(registry())})") from None


def stream_formats() -> tuple[str, ...]:
    """Names accepted by ``--format`` (stdout renderers), in name order."""
    return tuple(n for n, r in registry().items() if isinstance(r, StreamRenderer))


def render_stream(name: str, records: Sequence[Record]) -> str:
    """Render every record with the stdout renderer ``name`` (``table`` or ``json``)."""
    renderer = get_renderer(name)
    if not isinstance(renderer, StreamRenderer):
        raise KeyError(f"{name!r} writes files, not stdout (stdout formats: {', '.join(stream_formats())})")
    return renderer.render(records)


def report_renderers() -> tuple[ReportRenderer, ...]:
    """Renderers writing one file per readable report."""
    return tuple(r for r in registry().values() if isinstance(r, ReportRenderer))


def batch_renderers() -> tuple[BatchRenderer, ...]:
    """Renderers writing one file per run."""
    return tuple(r for r in registry().values() if isinstance(r, BatchRenderer))
