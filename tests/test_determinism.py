"""Deterministic output (issue 9): nothing printed depends on the hash seed."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

SNIPPET = """
from auditor.findings import audit
from auditor.rule_fixtures import apply_patch, model_report
from auditor.rules.loader import load_pack
report = model_report({"format": "2021", "year": 2023})
dropped = ["requests.*.research", "requests.*.legal_services", "requests.*.other_org"]
report = apply_patch(report, {"drop_cells": dropped})
print([f.message for f in audit(report, load_pack("2024"), select=["TBL-004"]).findings])
"""


def test_missing_columns_are_listed_in_template_order_whatever_the_hash_seed() -> None:
    outputs = set()
    for seed in ("0", "1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", SNIPPET], capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
    (message,) = ast.literal_eval(outputs.pop())
    assert message.index("科研机构") < message.index("法律服务机构") < message.index("其他")
