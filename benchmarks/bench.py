"""Every speed goal of pynsc in one run: each command beside its floor, the ratio, met or missed.

    python benchmarks/bench.py [--runs N] [--users N] [--accounts N] [--keep DIR]
                               [--json PATH] [--quick] [--no-callgrind]

Every pynsc command and every floor runs as a fresh process, as a user runs it: the installed
``pynsc`` console script next to ``sys.executable``, and ``sys.executable`` for the floors
(``python -c ...``, or ``benchmarks/floors.py`` for the floors that read files). One warm-up
round runs everything once (it fills the bytecode cache and checks every output), then ``--runs``
rounds run every case once each, in a shuffled order, so a burst of load on the machine hits
floors and commands alike. Each figure is the median of the rounds with its spread (min-max);
each ratio is the ratio of medians. The library row (issuing users in memory) runs in this
process, interleaved the same way, and in callgrind instructions when valgrind is installed.

The stores are built with the library, not the CLI (signed JWTs written directly, several
processes): a 10-user store, a ``--users`` (100,000) user store and a ``--accounts`` (1,000)
account store, in a scratch directory removed at the end, or kept and reused in ``--keep DIR``
(one store per size). ``add user`` adds a fresh name each run; those users are deleted again at
the end. Bytecode is cached in the scratch directory (``PYTHONPYCACHEPREFIX``), as it is in any
install.

The table goes to stdout, progress to stderr, the same figures as JSON to ``--json`` (default
``benchmarks/results/bench.json``). The exit status is 0 when goals are missed (this is a
report, not a gate: misses are marked ``MISSED``), 1 when a command failed.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FLOORS = HERE / "floors.py"
DEFAULT_JSON = HERE / "results" / "bench.json"
SMALL_STORE = 10
LIBRARY_GOAL = 0.75
CHUNK = 2_000
"""Users per task when a store is built by several processes."""
FORMAT = "1"
"""Bumped when the stores this script builds change, so ``--keep`` does not reuse old ones."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# Stores, built with the library ---------------------------------------------------------------


@dataclass(frozen=True)
class UserStore:
    home: Path
    operator_jwt: Path
    accounts_dir: Path
    users_dir: Path


@dataclass(frozen=True)
class AccountStore:
    home: Path
    operator_jwt: Path
    accounts_dir: Path


def _write_users(users_dir: str, account_seed: str, start: int, stop: int) -> int:
    """Write users ``start``..``stop`` of account ``account_seed`` (one pool task)."""
    from pynsc import claims, keys

    account = keys.from_seed(account_seed)
    directory = Path(users_dir)
    for i in range(start, stop):
        name = f"user-{i:06d}"
        user = keys.generate("user")
        token = claims.encode(claims.UserClaims(sub=user.public_key, name=name), account)
        (directory / f"{name}.jwt").write_text(token)
    return stop - start


def _new_operator(home: Path) -> tuple[Any, Any, Any]:
    """Keystore, store and key of operator ``O`` in a fresh ``-H home``."""
    from pynsc import claims, keys
    from pynsc.keys import KeyStore
    from pynsc.paths import Paths
    from pynsc.store import Store, ops

    paths = Paths.resolve(all_dirs=home, env={})
    keystore = KeyStore(paths.keystore_dir)
    store = Store.create(paths.data_dir, "O")
    operator = keys.generate("operator")
    keystore.store(operator)
    ops.save_operator(store, claims.OperatorClaims(sub=operator.public_key, name="O"), operator)
    return keystore, store, operator


def build_user_store(home: Path, users: int, workers: int) -> None:
    """Operator ``O``, account ``A`` with ``users`` users under ``home`` (``-H home``).

    User JWTs are written directly (a benchmark store needs no fsync per file), by ``workers``
    processes when there are many; the user seeds are not kept (no command here needs them).
    """
    from pynsc import claims, keys
    from pynsc.store import layout, ops

    keystore, store, operator = _new_operator(home)
    account = keys.generate("account")
    keystore.store(account)
    ops.save_account(store, "A", claims.AccountClaims(sub=account.public_key, name="A"), operator)
    users_dir = layout.users_dir(store.root, "O", "A")
    users_dir.mkdir(parents=True, mode=0o700, exist_ok=True)
    seed = account.seed or ""
    chunks = [(i, min(i + CHUNK, users)) for i in range(0, users, CHUNK)]
    if workers <= 1 or len(chunks) <= 1:
        for start, stop in chunks:
            _write_users(str(users_dir), seed, start, stop)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        done = [pool.submit(_write_users, str(users_dir), seed, a, b) for a, b in chunks]
        written = sum(future.result() for future in done)
    assert written == users


def build_account_store(home: Path, accounts: int) -> None:
    """Operator ``O`` with ``accounts`` accounts (no users) under ``home``."""
    from pynsc import claims, keys

    _, store, operator = _new_operator(home)
    for i in range(accounts):
        name = f"acct-{i:05d}"
        account = keys.generate("account")
        token = claims.encode(claims.AccountClaims(sub=account.public_key, name=name), operator)
        store.write_account(name, token)


def cached_store(stores: Path, name: str, build: Callable[[Path], None]) -> Path:
    """``stores/name``, built by ``build`` unless a complete one is there already."""
    home = stores / name
    ready = stores / f"{name}.ready"
    if ready.is_file() and ready.read_text() == FORMAT and home.is_dir():
        log(f"reusing store {home}")
        return home
    shutil.rmtree(home, ignore_errors=True)
    ready.unlink(missing_ok=True)
    start = time.perf_counter()
    build(home)
    ready.write_text(FORMAT)
    log(f"built store {home} in {time.perf_counter() - start:.1f} s")
    return home


def user_store(home: Path) -> UserStore:
    from pynsc.store import layout

    return UserStore(
        home,
        layout.operator_jwt(home, "O"),
        layout.account_dir(home, "O", "A").parent,
        layout.users_dir(home, "O", "A"),
    )


def account_store(home: Path) -> AccountStore:
    from pynsc.store import layout

    return AccountStore(
        home, layout.operator_jwt(home, "O"), layout.account_dir(home, "O", "x").parent
    )


def describe_files(work: Path) -> tuple[Path, Path]:
    """A user JWT file and a user creds file (of a user outside any store)."""
    from pynsc import claims, keys

    account = keys.generate("account")
    user = keys.generate("user")
    token = claims.encode(claims.UserClaims(sub=user.public_key, name="describe-me"), account)
    jwt_file, creds_file = work / "user.jwt", work / "user.creds"
    jwt_file.write_text(token)
    creds_file.write_text(keys.format_creds(token, user.seed or ""))
    return jwt_file, creds_file


# Processes, interleaved -----------------------------------------------------------------------


@dataclass
class Case:
    """One command or floor, run as a process once per round."""

    key: str
    label: str
    argv: list[str]
    add_user: Path | None = None
    """For ``add user``: the ``-H`` home; each run appends a fresh user name."""
    check: Callable[[str], str | None] | None = None
    """Checks the warm-up run's stdout: None when right, else what is wrong."""
    times: list[float] = field(default_factory=list)
    error: str | None = None


def run_case(case: Case, env: dict[str, str], cwd: Path, name: str, warm_up: bool) -> str | None:
    """Run ``case`` once: timed, or (``warm_up``) untimed with its output checked; the error."""
    argv = [*case.argv, name] if case.add_user else case.argv
    start = time.perf_counter()
    done = subprocess.run(
        argv,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE if warm_up else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        stderr = done.stderr.decode(errors="replace").strip()
        return f"exit status {done.returncode}: {stderr[-2000:]}"
    if warm_up:
        return None if case.check is None else case.check(done.stdout.decode(errors="replace"))
    case.times.append(elapsed)
    return None


def run_rounds(
    cases: Sequence[Case], runs: int, env: dict[str, str], cwd: Path, added: dict[Path, list[str]]
) -> None:
    """One warm-up round and ``runs`` timed rounds of every case, each round in its own
    shuffled order (seeded, so reproducible); the users ``add user`` added go to ``added``."""
    for round_ in range(runs + 1):
        order = list(cases)
        random.Random(round_).shuffle(order)
        start = time.perf_counter()
        for case in order:
            if case.error is not None:
                continue
            name = f"bench-{os.getpid()}-{round_}-{case.key}"
            error = run_case(case, env, cwd, name, warm_up=round_ == 0)
            if case.add_user is not None:
                added.setdefault(case.add_user, []).append(name)
            if error is not None:
                case.error = error
                log(f"  {case.label}: FAILED ({error})")
        what = "warm-up round" if round_ == 0 else f"round {round_}/{runs}"
        log(f"{what} done in {time.perf_counter() - start:.1f} s")


def delete_added(
    pynsc: Sequence[str], home: Path, names: Sequence[str], env: dict[str, str]
) -> None:
    """Delete the users ``add user`` added to a kept store (keys and creds too)."""
    if not names:
        return
    done = subprocess.run(
        [*pynsc, "-H", str(home), "delete", "user", "-n", ",".join(names), "-D", "-C"],
        env=env,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        log(f"could not delete the benchmark's users from {home}: {done.stderr.decode()}")


# Checks of the warm-up output -----------------------------------------------------------------


def expect_count(least: int) -> Callable[[str], str | None]:
    """A floor prints how many JWTs it read: at least ``least``."""

    def check(stdout: str) -> str | None:
        text = stdout.strip()
        if not text.isdigit() or int(text) < least:
            return f"read {text!r} JWTs, expected at least {least}"
        return None

    return check


def expect_users(least: int) -> Callable[[str], str | None]:
    def check(stdout: str) -> str | None:
        try:
            data = json.loads(stdout)["data"]
        except (ValueError, KeyError, TypeError) as error:
            return f"not the JSON of list users: {error}"
        if len(data) < least:
            return f"listed {len(data)} users, expected at least {least}"
        return None

    return check


def expect_accounts(count: int) -> Callable[[str], str | None]:
    def check(stdout: str) -> str | None:
        found = stdout.count("// Account ")
        if "resolver: MEMORY" not in stdout or found != count:
            return f"a configuration with {found} accounts, expected {count}"
        return None

    return check


# The library row ------------------------------------------------------------------------------


@dataclass
class Figure:
    median: float
    low: float
    high: float
    samples: list[float]


def figure(samples: Sequence[float]) -> Figure:
    return Figure(statistics.median(samples), min(samples), max(samples), list(samples))


def library_rounds(n: int, rounds: int) -> tuple[Figure, Figure]:
    """µs per user of the public API (``Issuer.issue_user`` + creds text) and of raw PyNaCl
    (keygen + sign), over ``rounds`` interleaved rounds of ``n`` users, GC paused."""
    import gc

    from issue_users import issue_with_api, issue_with_pynacl

    works = {"api": issue_with_api, "ceiling": issue_with_pynacl}
    times: dict[str, list[float]] = {name: [] for name in works}
    for work in works.values():
        work(max(1, n // 10))
    enabled = gc.isenabled()
    gc.disable()
    try:
        for round_ in range(rounds):
            order = list(works)
            random.Random(round_).shuffle(order)
            for name in order:
                start = time.perf_counter()
                works[name](n)
                times[name].append((time.perf_counter() - start) / n * 1e6)
    finally:
        if enabled:
            gc.enable()
    return figure(times["api"]), figure(times["ceiling"])


def library_instructions(n: int) -> tuple[float, float] | None:
    """Instructions per user (callgrind) of the public API and of raw PyNaCl, or None."""
    from issue_users import instructions

    api, ceiling = instructions("api", n), instructions("ceiling", n)
    if api is None or ceiling is None:
        return None
    return api / n, ceiling / n


def instructions_of(
    case: Case, env: dict[str, str], cwd: Path, added: dict[Path, list[str]]
) -> float | None:
    """The instructions (callgrind's ``Collected``) of one run of ``case``, or None: the same
    on every run whatever the machine's load, unlike its wall time."""
    argv = list(case.argv)
    if case.add_user is not None:
        name = f"bench-{os.getpid()}-callgrind-{case.key}"
        argv.append(name)
        added.setdefault(case.add_user, []).append(name)
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    found = re.search(rb"Collected : (\d+)", done.stderr)
    return float(found.group(1)) if done.returncode == 0 and found else None


def instruction_row(
    key: str, label: str, floor: Case, pynsc: Case, goal: Goal, counts: dict[str, float | None]
) -> Row:
    """A start-up row in callgrind instructions (an ``affine`` goal's milliseconds dropped)."""
    floor_count, pynsc_count = counts.get(floor.key), counts.get(pynsc.key)
    goal = Goal("max", goal.factor)
    name = f"{label}, callgrind"
    if floor_count is None or pynsc_count is None:
        return Row(f"{key}_instructions", name, floor.label, "instr", goal, None, None,
                   "callgrind run failed")  # fmt: skip
    return Row(f"{key}_instructions", name, floor.label, "instr", goal,
               figure([floor_count]), figure([pynsc_count]))  # fmt: skip


# Rows ---------------------------------------------------------------------------------------


@dataclass
class Goal:
    kind: str
    """``max``: pynsc <= factor x floor; ``affine``: pynsc <= factor x floor + plus;
    ``min``: the throughput ratio floor/pynsc >= factor."""
    factor: float
    plus: float = 0.0

    def text(self) -> str:
        if self.kind == "affine":
            return f"<= {self.factor:g}x floor + {self.plus:g} ms"
        if self.kind == "min":
            return f">= {self.factor:g}x (throughput)"
        return f"<= {self.factor:g}x"

    def ratio(self, floor: float, pynsc: float) -> float:
        return floor / pynsc if self.kind == "min" else pynsc / floor

    def limit(self, floor: float) -> float | None:
        """The most pynsc may take (same unit as the figures), for the ``max`` kinds."""
        if self.kind == "min":
            return None
        return self.factor * floor + self.plus

    def met(self, floor: float, pynsc: float) -> bool:
        if self.kind == "min":
            return floor / pynsc >= self.factor
        return pynsc <= self.factor * floor + self.plus


@dataclass
class Row:
    key: str
    label: str
    floor_label: str
    unit: str
    goal: Goal
    floor: Figure | None
    pynsc: Figure | None
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "label": self.label,
            "floor_label": self.floor_label,
            "unit": self.unit,
            "goal": self.goal.text(),
            "goal_kind": self.goal.kind,
            "goal_factor": self.goal.factor,
            "goal_plus": self.goal.plus,
        }
        for side, fig in (("floor", self.floor), ("pynsc", self.pynsc)):
            out[side] = (
                None
                if fig is None
                else {"median": fig.median, "min": fig.low, "max": fig.high, "samples": fig.samples}
            )
        if self.floor is not None and self.pynsc is not None:
            out["ratio"] = self.goal.ratio(self.floor.median, self.pynsc.median)
            out["limit"] = self.goal.limit(self.floor.median)
            out["met"] = self.goal.met(self.floor.median, self.pynsc.median)
        else:
            out["ratio"] = out["limit"] = out["met"] = None
        out["error"] = self.error
        return out


def case_row(key: str, label: str, floor: Case, pynsc: Case, goal: Goal) -> Row:
    error = pynsc.error or floor.error
    if error is None and (not pynsc.times or not floor.times):
        error = "no timed run"
    if error is not None:
        return Row(key, label, floor.label, "ms", goal, None, None, error)
    return Row(key, label, floor.label, "ms", goal, figure(floor.times), figure(pynsc.times))


def _number(value: float, unit: str) -> str:
    if unit in ("instr/user", "instr"):
        return f"{value:,.0f}"
    return f"{value:.1f}" if value < 1000 else f"{value:,.0f}"


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def render(rows: Sequence[Row], header: str) -> str:
    table: list[list[str]] = [
        [
            "what",
            "floor",
            "unit",
            "floor: median (min-max)",
            "pynsc: median (min-max)",
            "ratio",
            "goal",
            "status",
        ]
    ]
    for row in rows:
        if row.floor is None or row.pynsc is None:
            table.append(
                [row.label, row.floor_label, row.unit, "-", "-", "-", row.goal.text(), "FAILED"]
            )
            continue
        cells = []
        for fig in (row.floor, row.pynsc):
            unit = row.unit
            cells.append(
                f"{_number(fig.median, unit)} ({_number(fig.low, unit)}-{_number(fig.high, unit)})"
            )
        goal = row.goal.text()
        limit = row.goal.limit(row.floor.median)
        if row.goal.kind == "affine" and limit is not None:
            goal += f" = {limit:.1f} ms"
        ratio = row.goal.ratio(row.floor.median, row.pynsc.median)
        met = row.goal.met(row.floor.median, row.pynsc.median)
        table.append(
            [row.label, row.floor_label, row.unit, *cells, f"{ratio:.2f}x", goal, verdict(met)]
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    lines = [header, ""]
    for n, line in enumerate(table):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    missed = [
        r.key
        for r in rows
        if r.floor and r.pynsc and not r.goal.met(r.floor.median, r.pynsc.median)
    ]
    failed = [r.key for r in rows if r.floor is None or r.pynsc is None]
    lines.append("")
    lines.append(
        f"{len(rows) - len(missed) - len(failed)} of {len(rows)} goals met"
        + (f"; MISSED: {', '.join(missed)}" if missed else "")
        + (f"; FAILED: {', '.join(failed)}" if failed else "")
    )
    for row in rows:
        if row.error:
            lines.append(f"{row.label}: {row.error}")
    return "\n".join(lines)


# Main -----------------------------------------------------------------------------------------


def pynsc_command() -> list[str]:
    script = Path(sys.executable).with_name("pynsc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pynsc.cli"]


def child_env(scratch: Path) -> dict[str, str]:
    """The environment of every process: bytecode cached in the scratch directory, no colour,
    none of the user's pynsc settings."""
    env = {
        **os.environ,
        "HOME": str(scratch),
        "NO_COLOR": "1",
        "PYTHONPYCACHEPREFIX": str(scratch / "pycache"),
    }
    for name in (
        "NSC_HOME",
        "NKEYS_PATH",
        "NSC_CWD_ONLY",
        "PYNSC_DEBUG",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONPROFILEIMPORTTIME",
        "PYTHONSTARTUP",
    ):
        env.pop(name, None)
    return env


def about() -> dict[str, Any]:
    from importlib.metadata import version

    commit = subprocess.run(
        ["git", "-C", str(HERE), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "python": platform.python_version(),
        "pynsc": version("pynsc"),
        "pynacl": version("pynacl"),
        "commit": commit or None,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()),
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, help="timed rounds (7; 1 with --quick)")
    parser.add_argument("--users", type=int, help="users of the big store (100,000)")
    parser.add_argument("--accounts", type=int, help="accounts of the config store (1,000)")
    parser.add_argument("--library-users", type=int, help="users per library round (2,000)")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="build the stores (and bytecode cache) in DIR and reuse them",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=DEFAULT_JSON,
        metavar="PATH",
        help=f"write the results here ({DEFAULT_JSON.relative_to(HERE.parent)})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny stores, one round, no callgrind (a smoke test, not figures)",
    )
    parser.add_argument(
        "--no-callgrind",
        action="store_true",
        help="skip the library's instruction counts (about a minute)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes that build the big store (all CPUs)",
    )
    options = parser.parse_args(argv)
    quick = options.quick
    options.runs = max(1, options.runs or (1 if quick else 7))
    options.users = options.users or (100 if quick else 100_000)
    options.accounts = options.accounts or (20 if quick else 1_000)
    options.library_users = options.library_users or (50 if quick else 2_000)
    options.callgrind = not (quick or options.no_callgrind) and bool(shutil.which("valgrind"))
    return options


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    scratch = options.keep or Path(tempfile.mkdtemp(prefix="pynsc-bench-"))
    scratch = scratch.resolve()
    stores = scratch / "stores"
    stores.mkdir(parents=True, exist_ok=True)
    env = child_env(scratch)
    pynsc = pynsc_command()
    python = sys.executable
    users, accounts = options.users, options.accounts
    added: dict[Path, list[str]] = {}
    try:
        small_home = cached_store(
            stores, f"users-{SMALL_STORE}", lambda h: build_user_store(h, SMALL_STORE, 1)
        )
        big_home = cached_store(
            stores, f"users-{users}", lambda h: build_user_store(h, users, options.workers)
        )
        config_home = cached_store(
            stores, f"accounts-{accounts}", lambda h: build_account_store(h, accounts)
        )
        big, config = user_store(big_home), account_store(config_home)
        jwt_file, creds_file = describe_files(scratch)
        floors = [python, str(FLOORS)]

        pass_ = Case("pass", "python -c pass", [python, "-c", "pass"])
        click = Case("click", "python -c 'import click'", [python, "-c", "import click"])
        nacl = Case(
            "click_nacl",
            "python -c 'import click, nacl.signing'",
            [python, "-c", "import click, nacl.signing"],
        )
        floor_list = Case(
            "floor_list",
            "floors.py list (read + parse)",
            [*floors, "list", str(big.users_dir)],
            check=expect_count(users),
        )
        floor_validate = Case(
            "floor_validate",
            "floors.py validate (read + parse + verify)",
            [*floors, "validate", str(big.operator_jwt), str(big.accounts_dir)],
            check=expect_count(users + 2),
        )
        floor_config = Case(
            "floor_config",
            "floors.py config (read + parse)",
            [*floors, "config", str(config.operator_jwt), str(config.accounts_dir)],
            check=expect_count(accounts + 1),
        )
        big_h, small_h = ["-H", str(big_home)], ["-H", str(small_home)]
        version = Case("version", "pynsc --version", [*pynsc, "--version"])
        help_ = Case("help", "pynsc --help", [*pynsc, "--help"])
        add_help = Case("add_help", "pynsc add --help", [*pynsc, "add", "--help"])
        describe_creds = Case(
            "describe_creds",
            "pynsc describe jwt -f <user creds>",
            [*pynsc, "describe", "jwt", "-f", str(creds_file)],
        )
        describe_jwt = Case(
            "describe_jwt",
            "pynsc describe jwt -f <user jwt>",
            [*pynsc, "describe", "jwt", "-f", str(jwt_file)],
        )
        add_small = Case(
            "add_user_small",
            f"pynsc add user ({SMALL_STORE} users)",
            [*pynsc, *small_h, "add", "user"],
            add_user=small_home,
        )
        add_big = Case(
            "add_user_big",
            f"pynsc add user ({users:,} users)",
            [*pynsc, *big_h, "add", "user"],
            add_user=big_home,
        )
        list_users = Case(
            "list_users",
            f"pynsc list users --json ({users:,} users)",
            [*pynsc, *big_h, "list", "users", "--json"],
            check=expect_users(users),
        )
        validate = Case(
            "validate", f"pynsc validate -A ({users:,} users)", [*pynsc, *big_h, "validate", "-A"]
        )
        generate = Case(
            "generate_config",
            f"pynsc generate config --mem-resolver ({accounts:,} accounts)",
            [*pynsc, "-H", str(config_home), "generate", "config", "--mem-resolver"],
            check=expect_accounts(accounts),
        )
        cases = [
            pass_,
            click,
            nacl,
            floor_list,
            floor_validate,
            floor_config,
            version,
            help_,
            add_help,
            describe_creds,
            describe_jwt,
            add_small,
            add_big,
            list_users,
            validate,
            generate,
        ]

        log(f"{len(cases)} processes a round, {options.runs} rounds after a warm-up")
        run_rounds(cases, options.runs, env, scratch, added)

        rows = [
            case_row("version", version.label, pass_, version, Goal("affine", 1.5, 10.0)),
            case_row("help", help_.label, click, help_, Goal("max", 1.3)),
            case_row("add_help", add_help.label, click, add_help, Goal("max", 1.3)),
            case_row(
                "describe_creds", describe_creds.label, nacl, describe_creds, Goal("max", 1.3)
            ),
            case_row("describe_jwt", describe_jwt.label, nacl, describe_jwt, Goal("max", 1.3)),
            case_row("add_user_small", add_small.label, nacl, add_small, Goal("max", 1.6)),
            case_row("add_user_big", add_big.label, nacl, add_big, Goal("max", 1.6)),
            case_row(
                "add_user_scale",
                f"add user: {users:,}-user store / {SMALL_STORE}-user",
                add_small,
                add_big,
                Goal("max", 1.1),
            ),
            case_row("list_users", list_users.label, floor_list, list_users, Goal("max", 2.0)),
            case_row("validate", validate.label, floor_validate, validate, Goal("max", 1.3)),
            case_row("generate_config", generate.label, floor_config, generate, Goal("max", 2.0)),
        ]

        if options.callgrind:
            log("start-up: callgrind instruction counts (about a minute)")
            measured = [pass_, click, nacl, floor_config, version, help_, add_help,
                       describe_creds, describe_jwt, add_small, add_big, generate]  # fmt: skip
            counts = {case.key: instructions_of(case, env, scratch, added) for case in measured}
            for key, label, floor, case, factor in (
                ("version", version.label, pass_, version, 1.5),
                ("help", help_.label, click, help_, 1.3),
                ("add_help", add_help.label, click, add_help, 1.3),
                ("describe_creds", describe_creds.label, nacl, describe_creds, 1.3),
                ("describe_jwt", describe_jwt.label, nacl, describe_jwt, 1.3),
                ("add_user_small", add_small.label, nacl, add_small, 1.6),
                ("add_user_big", add_big.label, nacl, add_big, 1.6),
                ("add_user_scale", f"add user: {users:,}-user store / {SMALL_STORE}-user",
                 add_small, add_big, 1.1),
                ("generate_config", generate.label, floor_config, generate, 2.0),
            ):  # fmt: skip
                rows.append(instruction_row(key, label, floor, case, Goal("max", factor), counts))

        n = options.library_users
        rounds = max(options.runs, 3)
        log(f"library: {rounds} rounds of {n} users")
        api, ceiling = library_rounds(n, rounds)
        library_label = "library: Issuer.issue_user + creds (in memory)"
        rows.append(
            Row(
                "library",
                library_label,
                "PyNaCl keygen + sign",
                "us/user",
                Goal("min", LIBRARY_GOAL),
                ceiling,
                api,
            )
        )
        if options.callgrind:
            log("library: callgrind instruction counts (about a minute)")
            counted = library_instructions(200)
            if counted is not None:
                one = [counted[0]], [counted[1]]
                rows.append(
                    Row(
                        "library_instructions",
                        f"{library_label}, callgrind",
                        "PyNaCl keygen + sign",
                        "instr/user",
                        Goal("min", LIBRARY_GOAL),
                        figure(one[1]),
                        figure(one[0]),
                    )
                )
    finally:
        if options.keep:
            for home, names in added.items():
                delete_added(pynsc, home, names, env)
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    info = about()
    header = (
        f"pynsc {info['pynsc']} ({info['commit']}), Python {info['python']}, "
        f"{info['cpus']} CPUs, load {info['load_average'][0]:.1f}; median of {options.runs} "
        f"rounds (min-max), ratio of medians"
    )
    print(render(rows, header))
    result = {
        "about": info,
        "runs": options.runs,
        "sizes": {
            "small_store": SMALL_STORE,
            "users": users,
            "accounts": accounts,
            "library_users": options.library_users,
        },
        "quick": options.quick,
        "rows": [row.as_json() for row in rows],
        "cases": {
            case.key: {
                "label": case.label,
                "argv": case.argv,
                "times_ms": case.times,
                "error": case.error,
            }
            for case in cases
        },
    }
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(json.dumps(result, indent=2) + "\n")
    log(f"results written to {options.json}")
    return 1 if any(case.error for case in cases) else 0


if __name__ == "__main__":
    sys.exit(main())
