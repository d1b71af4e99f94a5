"""Locate the data that ships beside the code: Lark grammars and YAML rule packs.

The repository keeps them at the top level (``grammar/``, ``rules/``); the wheel copies
them into ``auditor/_data/``. Looking in both places lets a source checkout, an
editable install and a built wheel behave the same.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

_PACKAGE_DIR = Path(__file__).resolve().parent


# libyaml's loader is several times faster and just as safe (no Python objects); a PyYAML
# built without libyaml has only the pure-Python one.
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load_yaml(text: str) -> Any:
    """Plain data (no Python objects) from trusted YAML text, with the fastest safe loader."""
    return yaml.load(text, Loader=SAFE_LOADER)


@cache
def data_dir(name: str) -> Path:
    """Return the directory holding the shipped ``name`` data (``grammar`` or ``rules``)."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"shipped data folder '{name}' is missing from the installation")


def grammar_path(filename: str) -> Path:
    """Path of a Lark grammar shipped with the package."""
    return data_dir("grammar") / filename


def rules_dir() -> Path:
    """Folder of the bundled rule packs."""
    return data_dir("rules")


def template_path(filename: str) -> Path:
    """Path of a format's template data (``2021.yaml``, ``parts.yaml``), shipped in the package."""
    return _PACKAGE_DIR / "model" / "templates" / filename


@cache
def template_data(filename: str) -> Any:
    """The parsed template data file (read once per process): the model reads the tables
    from it, the outline grammar the part headings."""
    return safe_load_yaml(template_path(filename).read_text(encoding="utf-8"))
