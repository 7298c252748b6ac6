"""How long pynsc commands take from the shell, as a user would run them.

    python benchmarks/cli_latency.py [--runs N] [--users N]

Each command runs as a fresh process (``subprocess``), once to warm the file cache, then N times
(at least 7); the median wall time is printed beside ``python -c pass`` (the interpreter's own
start-up, a floor no Python CLI can beat). ``add user`` runs in a store of 10 users and in one of
``--users`` (10,000) users, both built with the library (not the CLI), to show that adding a user
does not cost more in a big account.

Bytecode is cached in the scratch directory (``PYTHONPYCACHEPREFIX``), as it is in any
install, even when ``PYTHONDONTWRITEBYTECODE`` is set; the warm-up run fills the cache.

Goals: ``add user`` in at most 200 ms, and less than 1.2x slower with 10,000 users than with 10.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from pynsc import claims, keys
from pynsc.keys import KeyStore
from pynsc.paths import Paths
from pynsc.store import Store, layout, ops

ADD_USER_GOAL_MS = 200.0
SCALE_GOAL = 1.2


def _pynsc() -> list[str]:
    script = Path(sys.executable).with_name("pynsc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pynsc.cli"]


def build_store(home: Path, users: int) -> str:
    """Operator O, account A with ``users`` users under ``home`` (``-H home``); returns one
    user JWT. User JWTs are written directly: a benchmark store needs no fsync per file."""
    paths = Paths.resolve(all_dirs=home, env={})
    keystore = KeyStore(paths.keystore_dir)
    store = Store.create(paths.data_dir, "O")
    operator = keys.generate("operator")
    keystore.store(operator)
    ops.save_operator(store, claims.OperatorClaims(sub=operator.public_key, name="O"), operator)
    account = keys.generate("account")
    keystore.store(account)
    ops.save_account(store, "A", claims.AccountClaims(sub=account.public_key, name="A"), operator)
    users_dir = layout.users_dir(store.root, "O", "A")
    users_dir.mkdir(parents=True, mode=0o700, exist_ok=True)
    token = ""
    for i in range(users):
        name = f"user-{i:06d}"
        user = keys.generate("user")
        token = claims.encode(claims.UserClaims(sub=user.public_key, name=name), account)
        (users_dir / f"{name}.jwt").write_text(token)
    return token


def _run(argv: Sequence[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr.decode()}")
    return elapsed


def medians_ms(
    cases: Sequence[tuple[Sequence[str], bool]], runs: int, env: dict[str, str]
) -> list[float]:
    """Median wall time of each ``(argv, vary)`` case over ``runs`` runs after one warm-up.

    The cases run round-robin, so a burst of load on the machine hits them all alike. ``vary``
    appends a fresh name to each run (for ``add user``).
    """
    times: list[list[float]] = [[] for _ in cases]
    for i in range(runs + 1):
        for n, (argv, vary) in enumerate(cases):
            args = [*argv, f"bench-{i}-{time.monotonic_ns()}"] if vary else list(argv)
            elapsed = _run(args, env)
            if i:
                times[n].append(elapsed)
    return [statistics.median(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs per command (>= 7)")
    parser.add_argument("--users", type=int, default=10_000, help="users in the big account")
    options = parser.parse_args()
    runs = max(7, options.runs)

    work = Path(tempfile.mkdtemp(prefix="pynsc-bench-"))
    try:
        # bytecode cached (as in any install), but in the scratch dir, not the source tree
        env = {**os.environ, "HOME": str(work), "NO_COLOR": "1",
               "PYTHONPYCACHEPREFIX": str(work / "pycache")}  # fmt: skip
        for name in ("NSC_HOME", "NKEYS_PATH", "NSC_CWD_ONLY", "PYNSC_DEBUG",
                     "PYTHONDONTWRITEBYTECODE"):  # fmt: skip
            env.pop(name, None)
        small, big = work / "small", work / "big"
        start = time.perf_counter()
        token = build_store(small, 10)
        build_store(big, options.users)
        built = time.perf_counter() - start
        jwt_file = work / "user.jwt"
        jwt_file.write_text(token)
        pynsc = _pynsc()

        labels = [
            "python -c pass",
            "pynsc --version",
            "pynsc describe jwt -f <user jwt>",
            "pynsc add user (10 users)",
            f"pynsc add user ({options.users:,} users)",
        ]
        cases: list[tuple[Sequence[str], bool]] = [
            ([sys.executable, "-c", "pass"], False),
            ([*pynsc, "--version"], False),
            ([*pynsc, "describe", "jwt", "-f", str(jwt_file)], False),
            ([*pynsc, "-H", str(small), "add", "user"], True),
            ([*pynsc, "-H", str(big), "add", "user"], True),
        ]
        medians = medians_ms(cases, runs, env)
        rows = list(zip(labels, medians, strict=True))
        add_small, add_big = medians[3], medians[4]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"python {sys.version.split()[0]}, median of {runs} runs "
          f"(stores built with the library in {built:.1f} s)")  # fmt: skip
    width = max(len(label) for label, _ in rows)
    for label, ms in rows:
        print(f"  {label:<{width}}  {ms:7.1f} ms")
    ratio = add_big / add_small
    ok_speed = add_big <= ADD_USER_GOAL_MS and add_small <= ADD_USER_GOAL_MS
    print(f"goal: add user <= {ADD_USER_GOAL_MS:.0f} ms: "
          f"{'met' if ok_speed else 'NOT met'} ({add_small:.1f} / {add_big:.1f} ms)")  # fmt: skip
    print(f"goal: {options.users:,} users < {SCALE_GOAL}x of 10 users: "
          f"{'met' if ratio < SCALE_GOAL else 'NOT met'} ({ratio:.2f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
