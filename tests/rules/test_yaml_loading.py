"""Rule files are parsed once, with libyaml's safe loader when present, and broken ones are
reported exactly as the pure-Python loader reports them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from auditor.rules import loader, yamlsource
from auditor.rules.loader import validate_file
from auditor.rules.yamlsource import YamlSourceError, read_yaml

needs_libyaml = pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")

GOOD = "pack: demo\nrules:\n  - id: X-001\n    name: 示例\n    params: {label: 示例, n: 3}\n"
BROKEN = "pack: demo\nrules:\n  - id: X-001\n    name: [示例\n"


def _loaders(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    used: list[Any] = []
    original = yamlsource._compose

    def recorded(text: str, loader_class: Any) -> Any:
        used.append(loader_class)
        return original(text, loader_class)

    monkeypatch.setattr(yamlsource, "_compose", recorded)
    return used


@needs_libyaml
def test_a_good_file_is_parsed_once_by_libyaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(GOOD, encoding="utf-8")
    used = _loaders(monkeypatch)
    data, pos = read_yaml(path)
    assert used == [yaml.CSafeLoader]
    assert data == yaml.safe_load(GOOD)
    where = [["rules", 0, "params", "n"], ["rules", 0, "name"]]
    fast = [pos.find(w, value=True) for w in where]
    monkeypatch.setattr(yamlsource, "SAFE_LOADER", yaml.SafeLoader)
    pure = [read_yaml(path)[1].find(w, value=True) for w in where]
    assert fast == pure == [(5, 28), (4, 11)]  # columns count characters, not bytes


@needs_libyaml
def test_a_broken_file_gets_the_pure_python_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(YamlSourceError) as fast:
        read_yaml(path)
    monkeypatch.setattr(yamlsource, "SAFE_LOADER", yaml.SafeLoader)
    with pytest.raises(YamlSourceError) as pure:
        read_yaml(path)
    assert (str(fast.value), fast.value.line, fast.value.column) == (
        str(pure.value),
        pure.value.line,
        pure.value.column,
    )


def test_a_file_in_several_packs_chains_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "_CHECKED", {})
    read: list[str] = []
    original = loader._read

    def recorded(path: Path) -> Any:
        read.append(path.name)
        return original(path)

    monkeypatch.setattr(loader, "_read", recorded)
    assert validate_file("2020") == []
    assert sorted(read) == ["2020.yaml", "base.yaml", "history.yaml"]
    assert validate_file("2024") == []
    assert read[3:] == ["2024.yaml"]


def test_an_edited_pack_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("pack: demo\nrules: []\n", encoding="utf-8")
    assert validate_file(path) == []
    path.write_text("pack: demo\nrules: {}\n", encoding="utf-8")  # same size, same second
    assert validate_file(path)
