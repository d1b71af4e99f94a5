"""Checked rule packs kept on disk between runs.

Loading a pack checks every rule against the JSON Schema and lints it: about 0.2 s for the
bundled packs, paid by every run, even of one report. A run that loads the same files with
the same auditor takes the checked pack from this cache instead. An entry is used only while
every file the pack read (itself and each pack it extends) has the bytes it had, and it is
keyed by the auditor's own code and data (size and time of each file of the package and the
grammars) and the working folder (messages name files relative to it). Any change loads and
checks afresh. Only packs that loaded without a problem are kept: a broken pack is always
checked and reported.

The cache lives in ``$AUDITOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/auditor``, else
``~/.cache/auditor``; ``AUDITOR_CACHE_DIR=""`` turns it off. A cache that cannot be read or
written is simply not used. Its files are pickles this program wrote for this user: trusted
as the installed package itself is.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from auditor import __version__
from auditor.resources import data_dir
from auditor.rules.types import RulePack

# Entries kept: a few packs times a few working folders; older ones are removed.
_KEEP = 32
_PACKAGE = Path(__file__).resolve().parent.parent


def cache_dir() -> Path | None:
    """Where checked packs are kept (None: caching is off)."""
    given = os.environ.get("AUDITOR_CACHE_DIR")
    if given is not None:
        return Path(given) if given else None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder to be found: no cache
            return None
    return Path(base) / "auditor"


def load_checked(path: Path, load: Callable[[], tuple[RulePack, Sequence[Path]]]) -> RulePack:
    """The pack at ``path``: from the cache when neither its files nor the auditor changed
    since it was kept; else ``load()`` (the pack and the files it read; it raises on a
    broken pack), then kept."""
    folder = cache_dir()
    if folder is None:
        return load()[0]
    try:
        key = hashlib.sha256(f"{_code_fingerprint()}\0{Path.cwd()}\0{path.resolve()}".encode()).hexdigest()[:32]
    except OSError:  # the working folder was removed, a package file vanished: no cache this time
        return load()[0]
    entry = folder / f"pack-{key}.pickle"
    with contextlib.suppress(Exception):  # missing, unreadable or from an older layout: load afresh
        pack, read = pickle.loads(entry.read_bytes())
        if isinstance(pack, RulePack) and all(_digest(Path(file)) == digest for file, digest in read):
            return pack
    pack, files = load()
    with contextlib.suppress(OSError, pickle.PicklingError):
        read = [(str(file), _digest(file)) for file in files]
        _keep(folder, entry, pickle.dumps((pack, read), protocol=pickle.HIGHEST_PROTOCOL))
    return pack


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _code_fingerprint() -> str:
    """What the loader's result depends on besides the pack: this auditor's files."""
    parts = [__version__, sys.version]
    roots = [_PACKAGE, data_dir("grammar")]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".json", ".lark", ".yaml") and "__pycache__" not in path.parts:
                stat = path.stat()
                parts.append(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts)


def _keep(folder: Path, entry: Path, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    temp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    temp.write_bytes(data)
    os.replace(temp, entry)  # whole or absent, even with two runs at once
    kept = sorted(folder.glob("pack-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[_KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
