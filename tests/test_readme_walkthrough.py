"""The README's "Adding a rule" walk-through, run verbatim in a fresh folder.

Commands are taken from the section's ``bash`` blocks, file contents from its ``yaml``
blocks (each written to the file the sentence before it names), so the README and this
test cannot drift apart.
"""

from __future__ import annotations

import re
import shlex
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def _section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Adding a rule (walk-through)")
    return text[start : text.index("\n## ", start + 1)]


def _blocks(section: str) -> list[tuple[str, str, str]]:
    """(language, code, text before the block) for each fenced block, in order."""
    out = []
    for m in re.finditer(r"```(\w+)\n(.*?)\n\s*```", section, re.S):
        out.append((m.group(1), textwrap.dedent(m.group(2)), section[: m.start()]))
    return out


def test_readme_walkthrough_works_verbatim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    outputs: list[str] = []
    written: list[str] = []
    for lang, code, before in _blocks(_section()):
        if lang == "yaml":
            # The file a YAML block belongs to is the last `path` named before it.
            target = re.findall(r"`(hunan/[^`]+\.ya?ml)`", before)[-1]
            Path(target).write_text(code + "\n", encoding="utf-8")
            written.append(target)
            continue
        for line in code.splitlines():
            args = shlex.split(line)
            assert args[0] == "audit", line
            result = runner.invoke(app, args[1:])
            assert result.exit_code == 0, (line, result.output)
            outputs.append(result.output)
    assert written == ["hunan/hunan-2024.yaml", "hunan/HN-001.yml"]
    new, validate, fixtures, audited, shown = outputs
    assert "已创建 hunan/hunan-2024.yaml" in new
    assert "hunan/hunan-2024.yaml: 通过" in validate  # what step 3 promises
    assert "2 passed, 0 failed" in fixtures  # what step 4 promises
    assert "HN-001" in audited
    assert "# HN-001 — overview.open_zone" in shown
