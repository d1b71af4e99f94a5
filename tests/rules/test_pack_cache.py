"""Checked rule packs kept on disk: used while nothing they read changed, never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import RuleFileError
from auditor.rules import pack_cache
from auditor.rules.loader import _load_checked, load_pack

RULE = """  - id: {rid}
    name: cache.r{num}
    severity: {severity}
    category: identity
    message: 表二本年制发 {{lhs}} 件
    remediation: 核对。
    reference: 测试
    deduction: 1
    check: identity
    params: {{expr: disclosure.regulations.issued <= disclosure.regulations.in_force}}
"""
PARENT = 'pack: parent\nextends: "2024"\nrules:\n' + RULE.format(rid="HN-901", num=901, severity="info")
CHILD = "pack: child\nextends: parent.yaml\nrules:\n" + RULE.format(rid="HN-900", num=900, severity="warning")


@pytest.fixture
def packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "parent.yaml").write_text(PARENT, encoding="utf-8")
    (tmp_path / "packs" / "child.yaml").write_text(CHILD, encoding="utf-8")
    return tmp_path / "packs" / "child.yaml"


def _counting(path: Path, calls: list[Path]) -> pack_cache.RulePack:
    def load() -> tuple[pack_cache.RulePack, list[Path]]:
        calls.append(path)
        return _load_checked(path)

    return pack_cache.load_checked(path, load)


def test_a_checked_pack_is_loaded_once_while_its_files_stay_the_same(packs: Path) -> None:
    calls: list[Path] = []
    first = _counting(packs, calls)
    again = _counting(packs, calls)
    assert calls == [packs]  # the second run took it from the cache
    assert again == first and {"HN-900", "HN-901"} <= {r.id for r in again.rules}


def test_an_edit_to_a_pack_it_extends_loads_and_checks_afresh(packs: Path) -> None:
    calls: list[Path] = []
    _counting(packs, calls)
    (packs.parent / "parent.yaml").write_text(PARENT.replace("severity: info", "severity: warning"), encoding="utf-8")
    pack = _counting(packs, calls)
    assert len(calls) == 2
    assert next(r for r in pack.rules if r.id == "HN-901").severity == "warning"


def test_a_broken_pack_is_never_kept_and_always_reported(packs: Path) -> None:
    packs.write_text(CHILD.replace("severity: warning", "severity: fatal"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleFileError, match="severity"):
            _counting(packs, [])
    assert not list((packs.parent.parent / "cache").glob("pack-*"))


def test_a_damaged_or_unusable_cache_is_only_not_used(packs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    _counting(packs, calls)
    (entry,) = (packs.parent.parent / "cache").glob("pack-*.pickle")
    entry.write_bytes(b"not a pickle")
    _counting(packs, calls)
    assert len(calls) == 2
    blocked = packs.parent.parent / "blocked"
    blocked.write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(blocked))
    _counting(packs, calls)
    monkeypatch.setenv("AUDITOR_CACHE_DIR", "")  # off
    _counting(packs, calls)
    _counting(packs, calls)
    assert len(calls) == 5


def test_the_bundled_packs_load_the_same_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.resources import rules_dir

    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path))
    fresh = _load_checked(rules_dir() / "2024.yaml")[0]
    _counting(rules_dir() / "2024.yaml", [])
    assert _counting(rules_dir() / "2024.yaml", []) == fresh == load_pack("2024")


def test_no_home_folder_means_no_cache(packs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def nowhere() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("AUDITOR_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(nowhere))
    calls: list[Path] = []
    assert pack_cache.cache_dir() is None
    _counting(packs, calls)
    _counting(packs, calls)
    assert len(calls) == 2  # loaded and checked each time, never an error
