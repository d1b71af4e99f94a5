"""HTML pages from Jinja2 templates (``auditor/render/templates``) with autoescaping.

Every value a template prints is escaped unless code marks it `Markup` — only the page's
own CSS, script and the inline SVG charts (built with `htmlkit.esc`) are. Report text,
however hostile, stays text.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).with_name("templates")


@cache
def environment() -> Environment:
    """The (cached) environment: autoescape on, undefined names are errors."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined  # only a run writing pages needs it

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_template(name: str, **context: Any) -> str:
    """Render one template of `TEMPLATES`."""
    return environment().get_template(name).render(**context)


def generate_template(name: str, **context: Any) -> Iterator[str]:
    """`render_template` piece by piece: a page of thousands of rows is never whole in memory."""
    return environment().get_template(name).generate(**context)
