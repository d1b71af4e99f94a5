"""Shared test helpers: where the seed corpus lives."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
EXAMPLES = ROOT / "examples"


def seed_truths() -> list[dict[str, Any]]:
    """The hand-read truth of every seed report (empty when the corpus is not beside the repo)."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.expected.json"))]


requires_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed corpus not found at {SEEDS}")


# CI replays the same examples every run (a red CI must mean a real regression); local runs
# keep exploring new random inputs.
if os.environ.get("CI"):
    settings.register_profile("ci", derandomize=True, print_blob=True)
    settings.load_profile("ci")


# Checked rule packs are cached between runs (`auditor.rules.pack_cache`); the tests keep
# theirs apart from the user's, in a folder of their own (inherited by the `audit` runs
# they start). The process that made the folder removes it when the run ends.
if "AUDITOR_CACHE_DIR" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="auditor-test-cache-")
    os.environ["AUDITOR_CACHE_DIR"] = _cache
    atexit.register(shutil.rmtree, _cache, ignore_errors=True)
