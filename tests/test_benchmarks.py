"""``benchmarks/bench.py --quick`` runs end to end and reports every row (no figure is judged)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks" / "bench.py"

ROWS = {
    "version",
    "help",
    "add_help",
    "describe_creds",
    "describe_jwt",
    "add_user_small",
    "add_user_big",
    "add_user_scale",
    "list_users",
    "validate",
    "generate_config",
    "library",
}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def test_bench_quick_reports_every_row(tmp_path: Path) -> None:
    """One quick run in a kept scratch directory; the users ``add user`` added to the kept
    stores are deleted at the end."""
    scratch, out = tmp_path / "scratch", tmp_path / "bench.json"
    argv = [sys.executable, str(BENCH), "--quick", "--keep", str(scratch), "--json", str(out)]
    done = subprocess.run(
        argv, capture_output=True, text=True, cwd=tmp_path, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
    users = sorted(p.name for p in scratch.glob("stores/users-10/*/accounts/*/users/*.jwt"))
    assert users == [f"user-{i:06d}.jwt" for i in range(10)]

    result = json.loads(out.read_text())
    rows = {row["key"]: row for row in result["rows"]}
    assert set(rows) >= ROWS
    for key, row in rows.items():
        assert row["error"] is None, (key, row["error"])
        for side in ("floor", "pynsc"):
            figure = row[side]
            assert all(_is_number(figure[n]) for n in ("median", "min", "max")), (key, side)
            assert figure["samples"], (key, side)
        assert _is_number(row["ratio"]), key
        assert isinstance(row["met"], bool), key
        assert row["goal"], key
        assert row["label"] in done.stdout, key
    for case in result["cases"].values():
        assert case["error"] is None, case
        assert len(case["times_ms"]) == result["runs"] == 1
