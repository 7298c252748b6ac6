"""Crash consistency: every writing command, killed at chosen instants, leaves a store whose
files all decode, where every JWT has its seed, and that running the same command again
completes (or that already shows the command's whole result).

Each command runs as ``pynsc -H <copy of a small store> ...`` in a process forked by a helper
(the "zygote", one ``python`` started per module that has imported pynsc), so a run costs a fork
rather than a Python start-up. The child arms the library's fault hook (``pynsc._fs``, the same
as ``PYNSC_FAULT_KILL_AFTER_WRITES=N`` / ``PYNSC_FAULT_KILL_DELAY=S``): it is SIGKILLed right
after its N-th file-system step, or S seconds after it.

After each kill:

* every JWT, seed, creds, ``.nsc`` and ``nsc.json`` file decodes (temporary files aside);
* every operator, account and user that is listed loads (``list operators`` shows no error), and
  its key and signing keys have their seeds;
* then the same command runs again, without the hook: it succeeds, or it fails because the
  command's result is there already, whole; after it, no temporary file is left, every user's
  creds hold its stored JWT, no creds file is left for a user that does not exist, and the
  command's result is there.

Short mode (``make test``): a few kill points per command. Long mode
(``PYNSC_RELIABILITY_LONG=1``, ``make test-long``): every step of every command, plus random
delays after the first step; the figures are printed (``-s``) at the end of each command's test.
"""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

from pynsc import Nsc, claims, keys
from pynsc._fs import locked
from pynsc.actions.listing import list_accounts, list_operators, list_users
from pynsc.errors import NscError
from pynsc.keys import KeyStore, parse_decorated_jwt
from pynsc.store import Store

LONG = os.environ.get("PYNSC_RELIABILITY_LONG", "") not in ("", "0")
RANDOM_DELAYS = 40 if LONG else 0
"""Kills at a random delay after the first step, per command (long mode only)."""
SHORT_EXTRA = 1
"""Random kill points per command on top of the fixed ones (short mode)."""
TIMEOUT = 60.0
ROOT = Path(__file__).resolve().parents[2]

_ZYGOTE = r"""
import importlib, json, os, pkgutil, signal, sys
import pynsc, pynsc.cli
from pynsc import _fs

for info in pkgutil.walk_packages(pynsc.__path__, "pynsc."):
    if info.name.endswith("__main__"):
        continue
    try:
        importlib.import_module(info.name)
    except Exception:
        pass
proto = os.fdopen(os.dup(1), "w")


def warm_up():
    # what a first run pays once (caches, lazy set-up) is paid here, not in every child
    import tempfile
    saved = os.dup(1), os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    try:
        with tempfile.TemporaryDirectory() as home:
            for argv in (["init", "-n", "W"], ["add", "user", "w"], ["list", "operators"],
                         ["edit", "user", "w", "--tag", "t"], ["describe", "account"]):
                try:
                    pynsc.cli.cli.main(args=["-H", home, *argv], prog_name="pynsc")
                except SystemExit:
                    pass
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(null)


warm_up()


def child(req):
    code = 70
    try:
        os.chdir(req["cwd"])
        os.environ.clear()
        os.environ.update(req["env"])
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, path in ((1, req["out"]), (2, req["err"])):
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(handle, fd)
            os.close(handle)
        _fs.arm_fault(req["kill_after"], req["delay"])
        try:
            pynsc.cli.cli.main(args=req["argv"], prog_name="pynsc")
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        sys.stdout.flush()
        sys.stderr.flush()
        counted = _fs.fault_steps()
        signal.setitimer(signal.ITIMER_REAL, 0)  # ended before its kill
        _fs.arm_fault(None)
        with open(req["steps"], "w") as handle:
            handle.write(json.dumps(counted))
    finally:
        os._exit(code)


while True:
    line = sys.stdin.readline()
    if not line:
        break
    req = json.loads(line)
    pid = os.fork()
    if pid == 0:
        child(req)
    _, status = os.waitpid(pid, 0)
    killed = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
    proto.write(json.dumps({"signal": killed, "code": code}) + "\n")
    proto.flush()
"""


# Running commands ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    code: int
    killed: bool
    out: str
    err: str
    steps: int
    """File-system steps the run took (when it was not killed)."""
    window: float
    """Seconds from its first step to its last."""


class Zygote:
    """A python process with pynsc imported that forks one child per command."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        home = workdir / "home"
        home.mkdir(parents=True, exist_ok=True)
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "NO_COLOR": "1",
            "COLUMNS": "120",
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _ZYGOTE],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        self._stdin: IO[str] = self.proc.stdin  # type: ignore[assignment]
        self._stdout: IO[str] = self.proc.stdout  # type: ignore[assignment]

    def run(
        self, root: Path, *argv: str, kill_after: int | None = None, delay: float | None = None
    ) -> Run:
        out, err, steps = (self.workdir / name for name in ("out", "err", "steps"))
        steps.unlink(missing_ok=True)
        request = {
            "argv": ["-H", str(root), *argv], "cwd": str(self.workdir), "env": self.env,
            "out": str(out), "err": str(err), "steps": str(steps),
            "kill_after": 10**9 if kill_after is None else kill_after, "delay": delay,
        }  # fmt: skip
        started = time.perf_counter()
        self._stdin.write(json.dumps(request) + "\n")
        self._stdin.flush()
        ready, _, _ = select.select([self._stdout], [], [], TIMEOUT)
        assert ready, f"pynsc {' '.join(argv)} did not end in {TIMEOUT}s"
        line = self._stdout.readline()
        assert line, "the zygote died"
        answer = json.loads(line)
        seconds = time.perf_counter() - started
        counted = steps.read_text() if steps.exists() else ""  # empty: killed writing it
        count, window = json.loads(counted) if counted else (0, seconds)
        return Run(
            code=answer["code"],
            killed=answer["signal"] != 0,
            out=out.read_text(errors="replace"),
            err=err.read_text(errors="replace"),
            steps=count,
            window=window,
        )

    def ok(self, root: Path, *argv: str) -> Run:
        done = self.run(root, *argv)
        assert not done.killed
        assert done.code == 0, f"pynsc {' '.join(argv)}: {done.err}"
        return done

    def close(self) -> None:
        self._stdin.close()
        self.proc.wait(timeout=TIMEOUT)
        self._stdout.close()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where the stores are copied and killed: a tmpfs when there is one (SIGKILL, not power
    loss, is under test, and hundreds of copies are made), else the test's temporary dir."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        path = Path(tempfile.mkdtemp(prefix="pynsc-crash-", dir=shm))
        yield path
        shutil.rmtree(path, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("crash")


@pytest.fixture(scope="module")
def zygote(scratch: Path) -> Iterator[Zygote]:
    helper = Zygote(scratch / "zygote")
    yield helper
    helper.close()


# The store every command starts from ---------------------------------------------------------


@dataclass(frozen=True)
class Base:
    """Operator O (``init``: SYS with a signing key, account and user O), account B with a
    signing key and users b1, b2; ``imp.creds`` beside the root holds user imp of B, deleted
    from the store (its seed kept) so it can be imported."""

    root: Path
    b_keys: tuple[str, ...]
    b1_key: str


@pytest.fixture(scope="module")
def base(scratch: Path, zygote: Zygote) -> Base:
    root = scratch / "base" / "nsc"
    zygote.ok(root, "init", "-n", "O")
    zygote.ok(root, "add", "account", "B")
    zygote.ok(root, "edit", "account", "B", "--sk", "generate")
    for user in ("b1", "b2", "imp"):
        zygote.ok(root, "add", "user", "-a", "B", user)
    shutil.copy(root / "creds" / "O" / "B" / "imp.creds", root.parent / "imp.creds")
    zygote.ok(root, "delete", "user", "-a", "B", "imp", "--rm-creds")
    store = Nsc.open(all_dirs=root).store("O")
    account = store.account("B")
    b_keys = (account.sub, *account.nats.signing_keys,
              *(store.user("B", u).sub for u in store.user_names("B")))  # fmt: skip
    check_files(root, strict=True)
    check_visible(root, strict=True)
    return Base(root, b_keys, store.user("B", "b1").sub)


# Checks --------------------------------------------------------------------------------------

_IGNORED = {".pynsc.lock", ".nsc.json.lock", ".gitignore", ".pynsc.new"}


def _clear_by_lock(tmp_dir: Path) -> None:
    """Take the lock whose temporary files ``tmp_dir`` holds, as the next writer would: what a
    killed writer left there must go."""
    owner = tmp_dir.parent
    lock: Any
    if tmp_dir.name == ".nsc.json-tmp":
        lock = locked(owner / ".nsc.json.lock", tmp_dir=tmp_dir)
    elif (owner / "keys").is_dir():
        lock = KeyStore(owner).lock()
    else:
        lock = Store(owner.parent, owner.name).lock()
    with lock:
        pass
    assert not list(tmp_dir.iterdir()), f"temporary files left in {tmp_dir}"


def check_files(root: Path, *, strict: bool) -> None:
    """Every file under ``root`` decodes; ``strict``: no temporary file is left beside the
    files, and those left in a lock's temporary directory go when the lock is next taken."""
    if strict:
        for tmp_dir in sorted([*root.rglob(".pynsc-tmp"), *root.rglob(".nsc.json-tmp")]):
            _clear_by_lock(tmp_dir)
    for path in sorted(root.rglob("*")):
        name = path.name
        if path.is_dir():
            continue
        if name.endswith(".tmp") or path.parent.name in (".pynsc-tmp", ".nsc.json-tmp"):
            assert not strict, f"temporary file left: {path}"
            continue
        text = path.read_text(encoding="utf-8")
        where = f"{path.relative_to(root)}"
        try:
            if name.endswith((".jwt", ".jwt.deleted")):
                claims.decode(text.strip())
            elif name == ".nsc":
                assert json.loads(text)["kind"] == "operator", where
            elif name.endswith(".nk"):
                pair = keys.parse(text.strip())
                assert pair.seed is not None, where
                assert pair.public_key == path.stem, where
            elif name.endswith(".creds"):
                claims.decode_creds(text)
            elif name == "nsc.json":
                json.loads(text)
            else:
                assert name in _IGNORED, f"unexpected file {where}"
        except (NscError, ValueError) as e:
            raise AssertionError(f"{where} does not decode: {e}") from e


def check_visible(root: Path, *, strict: bool) -> None:
    """Everything listed loads and has its seeds; ``strict``: every user's creds hold its JWT
    and every creds file is a listed user's."""
    nsc = Nsc.open(all_dirs=root)
    keystore = nsc.keystore
    listing = list_operators(nsc)
    assert not [e for e in listing.entries if e.error], listing.entries
    users: set[tuple[str, str, str]] = set()
    for operator in nsc.operators():
        store = nsc.store(operator)
        op = store.operator()
        for key in (op.sub, *op.nats.signing_keys):
            assert keystore.has(key), f"operator {operator}: no seed for {key}"
        accounts = list_accounts(nsc, operator=operator)
        assert not [e for e in accounts.entries if e.error], accounts.entries
        for account in store.account_names():
            claims_ = store.account(account)
            for key in (claims_.sub, *claims_.nats.signing_keys):
                assert keystore.has(key), f"account {account}: no seed for {key}"
            listed = list_users(nsc, account=account, operator=operator)
            assert not [e for e in listed.entries if e.error], listed.entries
            for user in store.user_names(account):
                sub = store.user(account, user).sub
                assert keystore.has(sub), f"user {account}/{user}: no seed for {sub}"
                users.add((operator, account, user))
                if strict:
                    text = keystore.read_creds(operator, account, user)
                    assert text is not None, f"user {account}/{user} has no creds"
                    assert parse_decorated_jwt(text).strip() == store.user_token(
                        account, user
                    ), f"the creds of {account}/{user} hold another JWT"
    if strict:
        for path in (root / "creds").rglob("*.creds"):
            operator, account = path.parent.parent.name, path.parent.name
            assert (operator, account, path.stem) in users, f"creds of no user: {path}"


def _nsc(root: Path) -> Nsc:
    return Nsc.open(all_dirs=root)


def _user_done(root: Path, operator: str, account: str, user: str) -> bool:
    nsc = _nsc(root)
    if operator not in nsc.operators():
        return False
    store = nsc.store(operator)
    if not store.has_user(account, user):
        return False
    text = nsc.keystore.read_creds(operator, account, user)
    assert text is not None, f"user {account}/{user} is stored without its creds"
    assert parse_decorated_jwt(text).strip() == store.user_token(account, user)
    return True


def _operator_done(root: Path, name: str, accounts: dict[str, list[str]]) -> bool:
    """Operator ``name`` is stored; then it must be whole: these accounts with these users."""
    nsc = _nsc(root)
    if name not in nsc.operators():
        return False
    store = nsc.store(name)
    assert store.account_names() == sorted(accounts), f"operator {name} is not whole"
    for account, users in accounts.items():
        assert store.user_names(account) == users, f"account {account} is not whole"
        for user in users:
            assert _user_done(root, name, account, user)
    return True


def _account_gone(root: Path, base: Base) -> bool:
    nsc = _nsc(root)
    store = nsc.store("O")
    if store.has_account("B") or (store.dir / "accounts" / "B").exists():
        return False
    return not [k for k in base.b_keys if nsc.keystore.has(k)] and not (
        root / "creds" / "O" / "B"
    ).exists()


def _renamed(root: Path) -> bool:
    nsc = _nsc(root)
    store = nsc.store("O")
    if store.has_account("B") or not store.has_account("B2"):
        return False
    return (
        not (store.dir / "accounts" / "B2" / "B.jwt").exists()
        and not (root / "creds" / "O" / "B").exists()
        and json.loads((root / "nsc.json").read_text())["account"] == "B2"
    )


def _user_gone(root: Path, base: Base) -> bool:
    nsc = _nsc(root)
    store = nsc.store("O")
    users = store.dir / "accounts" / "B" / "users"
    if store.has_user("B", "b1") or (users / ".b1.jwt.deleted").exists():
        return False
    return not nsc.keystore.has(base.b1_key) and nsc.keystore.read_creds("O", "B", "b1") is None


def _user_edited(root: Path) -> bool:
    nsc = _nsc(root)
    user = nsc.store("O").user("B", "b1")
    return "t1" in user.nats.tags and "x.y" in user.nats.pub.allow and _user_done(
        root, "O", "B", "b1"
    )


def _tagged(root: Path) -> bool:
    return "t2" in _nsc(root).store("O").account("B").nats.tags


@dataclass(frozen=True)
class Scenario:
    id: str
    argv: tuple[str, ...]
    done: Callable[[Path, Base], bool]
    """Whether the command's whole result is there (asserts when only part of it is)."""
    idempotent: bool = False
    """Whether running it again must succeed even when its result is there."""


SCENARIOS = [
    Scenario("add-operator-sys", ("add", "operator", "--sys", "-n", "O2"),
             lambda r, b: _operator_done(r, "O2", {"SYS": ["sys"]})),
    Scenario("add-operator-sk", ("add", "operator", "--generate-signing-key", "-n", "O3"),
             lambda r, b: _operator_done(r, "O3", {})),
    Scenario("init", ("init", "-n", "N2"),
             lambda r, b: _operator_done(r, "N2", {"N2": ["N2"], "SYS": ["sys"]})),
    Scenario("add-account", ("add", "account", "A2"),
             lambda r, b: _nsc(r).store("O").has_account("A2")),
    Scenario("add-user", ("add", "user", "-a", "B", "u3"),
             lambda r, b: _user_done(r, "O", "B", "u3")),
    Scenario("import-user", ("import", "user", "--file", "{base}/imp.creds"),
             lambda r, b: _user_done(r, "O", "B", "imp")),
    Scenario("edit-user", ("edit", "user", "-a", "B", "-n", "b1", "--tag", "t1",
                           "--allow-pub", "x.y"), lambda r, b: _user_edited(r), idempotent=True),
    Scenario("edit-account", ("edit", "account", "B", "--tag", "t2"),
             lambda r, b: _tagged(r), idempotent=True),
    Scenario("rename-account", ("rename", "account", "B", "B2", "--OK"),
             lambda r, b: _renamed(r)),
    Scenario("delete-account", ("delete", "account", "-n", "B", "-D", "--rm-creds"),
             _account_gone),
    Scenario("delete-user", ("delete", "user", "-a", "B", "-n", "b1", "-D", "--rm-creds"),
             _user_gone),
]  # fmt: skip


# The test ------------------------------------------------------------------------------------


@dataclass
class Figures:
    kills: int = 0
    finished: int = 0
    done_before_rerun: int = 0
    reruns_refused: int = 0
    steps: int = 0
    errors: list[str] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)


def _kill_points(scenario: Scenario, steps: int, window: float) -> list[tuple[int, float | None]]:
    """(kill after step N, delay) pairs: every step in long mode, and random instants (a random
    step, then a random delay of up to two steps' time: inside a write, an fsync, a rename);
    a few steps otherwise."""
    rng = random.Random(scenario.id)
    if LONG:
        points: list[tuple[int, float | None]] = [(n, None) for n in range(1, steps + 1)]
        step_time = 2 * window / steps
        points += [
            (rng.randint(1, steps), rng.uniform(0, step_time)) for _ in range(RANDOM_DELAYS)
        ]
        return points
    chosen = {1, steps // 3, (2 * steps) // 3, steps}
    chosen |= set(rng.sample(range(1, steps + 1), min(SHORT_EXTRA, steps)))
    return [(n, None) for n in sorted(c for c in chosen if c >= 1)]


KINDS = ("corrupt file", "JWT without seed", "listing error", "stuck re-run", "incomplete")


@pytest.fixture(scope="module")
def totals() -> Iterator[list[Figures]]:
    """Every command's figures; their sums are printed once the module is done."""
    collected: list[Figures] = []
    yield collected
    failures = ", ".join(
        f"{sum(f.failures.get(kind, 0) for f in collected)} {kind}" for kind in KINDS
    )
    print(  # noqa: T201 - the long run's figures
        f"\ncrash suite: {len(collected)} commands, {sum(f.kills for f in collected)} kills "
        f"({sum(f.finished for f in collected)} runs ended before their kill), "
        f"{sum(f.reruns_refused for f in collected)} re-runs refused as already done; "
        f"{failures}"
    )


def _argv(scenario: Scenario, base: Base) -> list[str]:
    return [arg.replace("{base}", str(base.root.parent)) for arg in scenario.argv]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_killed_command_leaves_a_store_a_rerun_completes(
    scenario: Scenario, zygote: Zygote, base: Base, scratch: Path, totals: list[Figures]
) -> None:
    tmp_path = scratch / scenario.id
    # the command, not killed: how many steps it takes, and that it does what `done` expects
    clean = tmp_path / "clean"
    shutil.copytree(base.root, clean, symlinks=True)
    assert not scenario.done(clean, base)
    argv = _argv(scenario, base)
    full = zygote.ok(clean, *argv)
    assert full.steps > 0
    assert scenario.done(clean, base)
    check_files(clean, strict=True)
    check_visible(clean, strict=True)

    figures = Figures(steps=full.steps)
    totals.append(figures)
    for n, (after, delay) in enumerate(_kill_points(scenario, full.steps, full.window)):
        work = tmp_path / f"k{n}"
        shutil.copytree(base.root, work, symlinks=True)
        killed = zygote.run(work, *argv, kill_after=after, delay=delay)
        where = f"{scenario.id} killed after step {after}" + (
            f" + {delay * 1000:.1f} ms" if delay else ""
        )
        if killed.killed:
            figures.kills += 1
        else:
            assert killed.code == 0, f"{where}: {killed.err}"
            figures.finished += 1
        phase = "corrupt file"
        try:
            check_files(work, strict=False)
            phase = "listing error"
            check_visible(work, strict=False)
            listed = zygote.run(work, "list", "operators")
            assert listed.code == 0, listed.err
            assert "error" not in (listed.out + listed.err).lower(), listed.out + listed.err
            phase = "incomplete"
            done_before = scenario.done(work, base)
            figures.done_before_rerun += done_before
            phase = "stuck re-run"
            again = zygote.run(work, *argv)
            assert not again.killed
            if again.code != 0:
                assert done_before, f"the re-run failed: {again.err.strip()}"
                assert not scenario.idempotent, f"the re-run failed: {again.err.strip()}"
                figures.reruns_refused += 1
            phase = "incomplete"
            assert scenario.done(work, base), "the re-run did not complete the command"
            phase = "corrupt file"
            check_files(work, strict=True)
            phase = "incomplete"
            check_visible(work, strict=True)
        except AssertionError as e:
            kind = "JWT without seed" if "no seed for" in str(e) else phase
            figures.failures[kind] = figures.failures.get(kind, 0) + 1
            figures.errors.append(f"{kind}: {where}: {e}")
        shutil.rmtree(work)
    print(  # noqa: T201 - the long run's figures
        f"\n{scenario.id}: {figures.steps} steps, {figures.kills} kills, "
        f"{figures.finished} runs ended before their kill, {figures.done_before_rerun} "
        f"complete before the re-run, {figures.reruns_refused} re-runs refused as done, "
        f"{len(figures.errors)} failures"
    )
    assert not figures.errors, "\n".join(figures.errors[:10])


def test_concurrent_add_operator_makes_one_whole_operator(tmp_path: Path) -> None:
    """Creating an operator takes its directory's lock and checks again under it: of several
    processes adding the same operator, one succeeds and the store holds its operator whole."""
    root = tmp_path / "nsc"
    env = {**os.environ, "PYNSC_DEBUG": "1"}
    command = [sys.executable, "-m", "pynsc.cli", "-H", str(root), "add", "operator", "--sys",
               "-n", "O2"]  # fmt: skip
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(
            lambda _: subprocess.run(command, capture_output=True, text=True, env=env,
                                     check=False, timeout=TIMEOUT),
            range(4),
        ))  # fmt: skip
    assert sorted(run.returncode for run in runs) == [0, 1, 1, 1], [r.stderr for r in runs]
    for run in runs:
        if run.returncode:
            assert 'operator named "O2" exists already' in run.stderr
    assert _operator_done(root, "O2", {"SYS": ["sys"]})
    check_files(root, strict=True)
    check_visible(root, strict=True)
