"""Bounded fuzz of the whole batch (issue 9): mutated seeds and real reports through `audit`.

Every input is accounted for, nothing prints a traceback or an internal error, and a second
run gives byte-identical JSON (under another hash seed). The mutations are the adversarial
run's: damaged bytes, NULs, lying BOMs, other encodings, huge numbers, endless lines,
quoted HTML, repeated or dropped lines, truncation. Set FUZZ_SEED to explore new inputs.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.pipeline import REPORT_SUFFIXES
from tests.conftest import SEEDS
from tests.reportgen import make_report

REAL = SEEDS.parent / "real"
FILES = 90
TIME_BUDGET = 60.0

Mutation = Callable[[bytes, random.Random], bytes]


def _flip(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]


def _nul(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + b"\x00" + data[at:]


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _bom(data: bytes, rng: random.Random) -> bytes:
    return rng.choice([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]) + data


def _reencode(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", errors="replace")
    return text.encode(rng.choice(["gb18030", "utf-16"]), errors="replace")


def _huge_number(data: bytes, rng: random.Random) -> bytes:
    digits = str(rng.choice([16, 309, 4400])).encode()
    lines = data.split(b"\n")
    numeric = [n for n, line in enumerate(lines) if line.strip(b" |\t").isdigit()]
    if not numeric:
        return data + b"\n" + b"9" * int(digits) + b"\n"
    lines[rng.choice(numeric)] = b"9" * int(digits) + b" |"
    return b"\n".join(lines)


def _long_line(data: bytes, rng: random.Random) -> bytes:
    return data + ("说明" * rng.randrange(10_000, 30_000)).encode()


def _quoted_html(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    lines.insert(rng.randrange(1, max(2, len(lines))), b"<table><tr><td>1</td></tr></table>")
    return b"\n".join(lines)


def _shuffle_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randrange(1, 20)):
        if len(lines) < 2:
            break
        at = rng.randrange(len(lines))
        if rng.random() < 0.5:
            lines.insert(at, lines[rng.randrange(len(lines))])
        else:
            del lines[at]
    return b"\n".join(lines)


def _blank(data: bytes, rng: random.Random) -> bytes:
    return rng.choice(["\ufeff", "\u3000 \u3000\n", "\xa0\n" * 5]).encode("utf-8")


MUTATIONS: tuple[Mutation, ...] = (
    _flip,
    _nul,
    _truncate,
    _bom,
    _reencode,
    _huge_number,
    _long_line,
    _quoted_html,
    _shuffle_lines,
    _blank,
)


def _sources() -> list[tuple[str, bytes]]:
    found = [(p.suffix, p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]
    found += [(p.suffix, p.read_bytes()) for p in sorted(REAL.glob("*")) if p.suffix.lower() in REPORT_SUFFIXES]
    found += [(".txt", make_report(i).text.encode("utf-8")) for i in range(4)]
    return found


def _corpus(folder: Path, rng: random.Random) -> int:
    sources = _sources()
    for n in range(FILES):
        suffix, data = sources[n % len(sources)]
        for _ in range(rng.randrange(1, 3)):
            if len(data) > 1:
                data = rng.choice(MUTATIONS)(data, rng)
        (folder / f"fuzz{n:03d}{suffix}").write_bytes(data)
    for n, (suffix, data) in enumerate(sources):  # the originals too
        (folder / f"orig{n:03d}{suffix}").write_bytes(data)
    return FILES + len(sources)


def _audit(folder: Path, out: Path, hash_seed: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    # --no-db: a second run against the store would rightly say 仍存在 where the first said nothing.
    command = [sys.executable, "-m", "auditor", str(folder), "--format", "json", "--out", str(out), "--no-db"]
    return subprocess.run([*command, "--fail-on", "never"], capture_output=True, env=env, timeout=TIME_BUDGET)


def test_fuzzed_batch_is_complete_clean_and_deterministic(tmp_path: Path) -> None:
    seed = int(os.environ.get("FUZZ_SEED", "9"))
    folder = tmp_path / "in"
    folder.mkdir()
    expected = _corpus(folder, random.Random(seed))
    started = time.monotonic()
    outputs = []
    for hash_seed in ("1", "2"):
        done = _audit(folder, tmp_path / "out", hash_seed)
        stderr = done.stderr.decode("utf-8", errors="replace")
        assert "Traceback" not in stderr, stderr
        assert done.returncode == 0, f"FUZZ_SEED={seed}: exit {done.returncode}\n{stderr}"
        outputs.append(done.stdout)
    assert time.monotonic() - started < TIME_BUDGET
    assert outputs[0] == outputs[1], f"FUZZ_SEED={seed}: JSON differs between runs"
    reports = json.loads(outputs[0].decode("utf-8"))["reports"]
    assert len(reports) == expected  # every input accounted for
    internal = [n for r in reports for n in r.get("not_evaluated") or () if n.get("internal")]
    assert not internal
    runs = sorted((tmp_path / "out").iterdir())
    assert len(runs) == 2 and all((run / "index.html").exists() for run in runs)
    assert not any((run / "INCOMPLETE.txt").exists() for run in runs)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed corpus not found")
def test_the_corpus_is_there() -> None:
    assert list(SEEDS.glob("*.txt"))
