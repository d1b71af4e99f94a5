"""Rule-author YAML files (rule packs, fixtures) read with the position of every field.

PyYAML's composer keeps each node's start mark; walking the node tree beside the loaded
data gives a map from field path to (line, column), so every later problem — a schema
error, a bad expression, an unknown cell key — can point at the place in the file.
Files that are not UTF-8 text are refused with one message, never with their contents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from auditor.resources import SAFE_LOADER

# A rule file is small; anything bigger is not a rule file (and would be slow to compose).
MAX_BYTES = 2_000_000
# Nodes once aliases are expanded: a few hundred bytes of nested aliases can stand for
# billions of nodes, which every later pass (schema, merge, lint) would walk.
MAX_NODES = 200_000

Key = tuple[str, ...]


class YamlSourceError(ValueError):
    """A file that cannot be read as YAML text; ``line``/``column`` are 1-based when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass
class Positions:
    """Where each field of a loaded YAML document starts (1-based line and column)."""

    keys: dict[Key, tuple[int, int]] = field(default_factory=dict)  # the field name
    values: dict[Key, tuple[int, int]] = field(default_factory=dict)  # the field's value

    def find(self, path: Sequence[object], value: bool = False) -> tuple[int, int] | None:
        """The position of ``path``, or of its longest known prefix."""
        key = tuple(str(p) for p in path)
        table = self.values if value else self.keys
        for n in range(len(key), -1, -1):
            hit = table.get(key[:n]) or (self.keys.get(key[:n]) if value else None)
            if hit:
                return hit
        return None

    def has(self, path: Sequence[object]) -> bool:
        """Whether the document itself spells out ``path``."""
        return tuple(str(p) for p in path) in self.keys


def _walk(node: yaml.Node, path: Key, pos: Positions, seen: set[int]) -> None:
    mark = node.start_mark
    pos.values.setdefault(path, (mark.line + 1, mark.column + 1))
    if id(node) in seen:  # an alias: its subtree was recorded where the anchor is
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = str(key_node.value)
            child = (*path, name)
            pos.keys.setdefault(child, (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
            _walk(value_node, child, pos, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            child = (*path, str(i))
            pos.keys.setdefault(child, (item.start_mark.line + 1, item.start_mark.column + 1))
            _walk(item, child, pos, seen)


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """Node count with every alias expanded, computed once per node (so bombs stay cheap)."""
    if id(node) in memo:
        if memo[id(node)] < 0:
            mark = node.start_mark
            raise YamlSourceError("YAML 别名引用了自身（循环引用）", mark.line + 1, mark.column + 1)
        return memo[id(node)]
    memo[id(node)] = -1  # being counted: meeting it again is a cycle
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    total = 1 + sum(_expanded_size(c, memo) for c in children)
    memo[id(node)] = total
    return total


def _text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:2].count(b"\x00") == 1:
        raise YamlSourceError("文件是 UTF-16 编码，请另存为 UTF-8")
    if b"\x00" in data:
        raise YamlSourceError("不是文本文件（含有二进制字节）")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlSourceError("不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8", line, column) from None


def _compose(text: str, loader_class: Any) -> tuple[Any, yaml.Node | None]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def _parse(text: str) -> tuple[Any, yaml.Node | None]:
    """The data and the node tree of one document, parsed once (safe loaders only).

    libyaml's loader when present; on any error the pure-Python loader parses again, so a
    broken rule file gets the same message and position whichever loader is installed.
    """
    if SAFE_LOADER is not yaml.SafeLoader:
        try:
            return _compose(text, SAFE_LOADER)
        except (yaml.YAMLError, RecursionError):
            pass
    return _compose(text, yaml.SafeLoader)


def read_yaml(path: Path) -> tuple[Any, Positions]:
    """Load one YAML file (safe loader) with the positions of its fields."""
    try:
        if not path.is_file():
            raise YamlSourceError("不是普通文件")
        if path.stat().st_size > MAX_BYTES:
            raise YamlSourceError(f"文件过大（超过 {MAX_BYTES // 1_000_000} MB），不是规则文件")
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlSourceError(f"无法读取：{exc.strerror or type(exc).__name__}") from None
    text = _text(raw)
    try:
        data, node = _parse(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        # Only the problem, never the snippet: the file may not be a rule file at all.
        raise YamlSourceError(
            f"YAML 语法错误：{exc.problem or exc.context or ''}",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise YamlSourceError(f"YAML 语法错误：{type(exc).__name__}") from None
    pos = Positions()
    if node is not None:
        if _expanded_size(node, {}) > MAX_NODES:
            raise YamlSourceError(f"YAML 别名展开后超过 {MAX_NODES} 个节点，不是合理的规则文件")
        _walk(node, (), pos, set())
    return data, pos
