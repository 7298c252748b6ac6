"""How fast ``pynsc push -A`` delivers N accounts to a 3-node cluster, next to the floor and to
nsc's one-account-at-a-time approach.

    python benchmarks/push.py [--sizes 1000,10000] [--rounds 3] [--nsc-accounts 20]
                              [--json benchmarks/results/push.json]

Set-up (not timed): an operator, its system account ``SYS`` and a system user with creds, built
with the library in a temporary ``-H`` home; a 3-node nats-server cluster started with
:mod:`pynsc.localserver` (routes on loopback, full nats resolvers with ``allow_delete`` and a
resolver ``limit`` of a million accounts, where nats-server's default is 1000). Then, for each
size N (ascending), the store is grown to N accounts in all (``SYS`` and N-1 others, all pushed
by ``push -A``) and one untimed push stores them on the servers (the "cold push" figure); every
timed push after it sends JWTs the servers hold already, which they answer with
``jwt updated`` as for a new one (checked: every reply is counted and its message kept).

Measured, in interleaved rounds (a burst of load on the machine hits all alike):

* **floor**: the least any client does: bare nats-py connects as the system user, subscribes one
  wildcard inbox, publishes the N JWTs to ``$SYS.REQ.ACCOUNT.<pub>.CLAIMS.UPDATE`` with distinct
  reply subjects, flushes and waits until all N x 3 replies are in. Timed in this process from
  connect to the last reply (*in-process*), and as a fresh ``python`` process that reads the
  JWTs from one prepared file (*subprocess*: interpreter start-up, ``import nats`` and exit
  included). The ratio uses the subprocess floor: like the CLI, it pays for start-up.
* **pynsc push -A**: ``pynsc -H <home> push -A -u <node 1 url>`` as a subprocess (reading,
  decoding and checking N JWTs from the store, the push, and the N x 3-line report, piped).
* **nsc's approach**: what Go nsc does per account (``multiRequest``): publish the JWT to
  ``$SYS.REQ.CLAIMS.UPDATE`` with a fresh inbox and gather replies until its ``--timeout``
  window (1 s) ends, then the next account. ``--nsc-accounts`` (20) accounts are measured that
  way (one connection, connect included) and the figure is scaled linearly to N.
* ``python -c 'import nats'``, the start-up both the subprocess floor and the CLI pay (printed
  under the table).

Each figure is the median of the rounds, with the spread (min-max). Goal: ``push -A`` within
2x the subprocess floor. Bytecode is cached in the scratch directory (``PYTHONPYCACHEPREFIX``),
filled by an untimed warm-up run, as in ``cli_latency.py``.

The figures are also written as JSON to ``--json`` (default ``benchmarks/results/push.json``,
a few KB, overwritten by each run; a local result, not meant to be committed). The scratch
directory and the cluster are removed/stopped at the end, whatever happens.

Only the standard library is imported at module level: ``push.py --floor-child`` is the
subprocess floor, and must not pay for more than ``import nats``.
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from pynsc.localserver import ServerState
    from pynsc.store import Store

NODES = 3
GOAL = 2.0
NSC_TIMEOUT = 1.0
"""nsc's ``--timeout`` default: the window it waits for replies to each account."""
REPLY_TIMEOUT = 120.0
"""Longest wait for the floor's replies before the run is called failed."""
FLOOR_CHILD = "--floor-child"


# The floor: bare nats-py ----------------------------------------------------------------------


async def floor_push(
    url: str, creds: str, tokens: Sequence[tuple[str, str]], servers: int
) -> tuple[float, dict[str, int]]:
    """Seconds from connect to the last of ``len(tokens) * servers`` replies, and how many
    replies said what (``message`` of ``data``, or ``error: <description>``)."""
    import json

    import nats
    import nats.errors

    start = time.perf_counter()
    nc = await nats.connect(url, user_credentials=creds, allow_reconnect=False, name="floor")
    expected = len(tokens) * servers
    payloads: list[bytes] = []
    done = asyncio.get_running_loop().create_future()

    async def on_reply(msg: Any) -> None:
        payloads.append(msg.data)
        if len(payloads) == expected and not done.done():
            done.set_result(None)

    inbox = nc.new_inbox()
    await nc.subscribe(f"{inbox}.>", cb=on_reply)
    for index, (key, token) in enumerate(tokens):
        await nc.publish(
            f"$SYS.REQ.ACCOUNT.{key}.CLAIMS.UPDATE", token.encode(), reply=f"{inbox}.{index}"
        )
    await nc.flush()
    try:
        await asyncio.wait_for(done, REPLY_TIMEOUT)
    finally:
        elapsed = time.perf_counter() - start
        await nc.close()
    said: dict[str, int] = {}
    for payload in payloads:  # after the clock: the floor need not parse what it counts
        body = json.loads(payload)
        if "error" in body:
            what = f"error: {body['error'].get('description', '')}"
        else:
            what = str(body.get("data", {}).get("message", ""))
        said[what] = said.get(what, 0) + 1
    return elapsed, said


def floor_child(argv: Sequence[str]) -> None:
    """``push.py --floor-child URL CREDS TOKENS_FILE SERVERS``: the floor as a fresh process;
    prints its in-process figure and the replies as JSON."""
    url, creds, tokens_file, servers = argv
    tokens = []
    with open(tokens_file, encoding="ascii") as handle:
        for line in handle:
            key, _, token = line.rstrip("\n").partition(" ")
            tokens.append((key, token))
    elapsed, said = asyncio.run(floor_push(url, creds, tokens, int(servers)))
    import json

    print(json.dumps({"seconds": elapsed, "replies": said}))


# nsc's approach: one window per account -------------------------------------------------------


async def nsc_push(url: str, creds: str, tokens: Sequence[tuple[str, str]]) -> tuple[float, int]:
    """Seconds to push ``tokens`` one by one as Go nsc does, connect included, and the number
    of replies gathered."""
    import nats
    import nats.errors

    start = time.perf_counter()
    nc = await nats.connect(url, user_credentials=creds, allow_reconnect=False, name="nsc")
    replies = 0
    try:
        for _, token in tokens:
            inbox = nc.new_inbox()
            sub = await nc.subscribe(inbox)
            await nc.publish("$SYS.REQ.CLAIMS.UPDATE", token.encode(), reply=inbox)
            end = time.monotonic() + NSC_TIMEOUT
            while (left := end - time.monotonic()) > 0:
                try:
                    await sub.next_msg(timeout=left)
                except nats.errors.TimeoutError:
                    break
                replies += 1
            await sub.unsubscribe()
        elapsed = time.perf_counter() - start
    finally:
        await nc.close()
    return elapsed, replies


# The store and the cluster --------------------------------------------------------------------


class Bench:
    """The scratch home: operator ``O``, ``SYS`` with a user ``sys`` (creds), and accounts."""

    def __init__(self, home: Path) -> None:
        from pynsc import claims, keys
        from pynsc.keys import KeyStore
        from pynsc.store import Store, ToolConfig, ops

        self.home = home
        home.mkdir(parents=True)
        self.keystore = KeyStore(home)
        self.operator = keys.generate("operator")
        self.keystore.store(self.operator)
        self.store: Store = Store.create(home, "O")
        system = keys.generate("account")
        self.keystore.store(system)  # push mints its temporary system user with it
        operator = claims.OperatorClaims(sub=self.operator.public_key, name="O")
        operator.nats.system_account = system.public_key
        ops.save_operator(self.store, operator, self.operator)
        sys_claims = claims.AccountClaims(sub=system.public_key, name="SYS")
        ops.save_account(self.store, "SYS", sys_claims, self.operator)
        user = keys.generate("user")
        self.keystore.store(user)
        token = claims.encode(claims.UserClaims(sub=user.public_key, name="sys"), system)
        self.store.write_user("SYS", "sys", token)
        creds = self.keystore.write_creds(
            "O", "SYS", "sys", keys.format_creds(token, user.seed or "")
        )
        self.creds = str(creds)
        ToolConfig.update(home / "nsc.json", store_root=str(home), operator="O")
        self.tokens: list[tuple[str, str]] = [(system.public_key, self.store.account_token("SYS"))]

    def grow(self, total: int) -> float:
        """Add accounts until the store holds ``total`` (``SYS`` included); seconds taken.

        Written straight to their files (no fsync per file: a benchmark store needs none)."""
        from pynsc import claims, keys
        from pynsc.store import layout, ops

        start = time.perf_counter()
        for index in range(len(self.tokens), total):
            name = f"A{index:06d}"
            account = keys.generate("account")
            token = ops.sign_account(
                claims.AccountClaims(sub=account.public_key, name=name), self.operator
            )
            path = layout.account_jwt(self.store.root, self.store.name, name)
            path.parent.mkdir(parents=True, mode=0o700)
            path.write_text(token)
            self.tokens.append((account.public_key, token))
        return time.perf_counter() - start

    def start_cluster(self, directory: Path) -> ServerState:
        """3 nodes on free consecutive client ports; ready (healthz and routes) on return."""
        import random

        from pynsc import localserver
        from pynsc.errors import ServerError
        from pynsc.localserver import process

        for _ in range(20):
            base = random.randrange(20_000, 40_000)
            if any(process.port_in_use("127.0.0.1", base + i) for i in range(NODES)):
                continue
            spec = localserver.ServerSpec(port=base, nodes=NODES, timeout=30.0)
            try:
                started = localserver.start(
                    self.store, self.keystore, spec, directory=directory, push=False
                )
            except ServerError as err:
                if "already in use" in err.message or "cannot listen" in err.message:
                    continue
                raise
            return started.state
        raise SystemExit("no free ports for the cluster")


# Measuring ------------------------------------------------------------------------------------


def _timed_run(argv: Sequence[str], env: dict[str, str]) -> tuple[float, str]:
    import subprocess

    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(argv[:6])} ... failed ({done.returncode}):\n{done.stderr.decode()[-2000:]}"
        )
    return elapsed, done.stdout.decode() + done.stderr.decode()


def _check_replies(what: str, said: dict[str, int], expected: int) -> None:
    if sum(said.values()) != expected or set(said) != {"jwt updated"}:
        raise SystemExit(f"{what}: expected {expected} 'jwt updated' replies, got {said}")


def _spread(values: Sequence[float]) -> dict[str, Any]:
    import statistics

    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": list(values)}  # fmt: skip


def measure(
    bench: Bench,
    url: str,
    size: int,
    rounds: int,
    nsc_accounts: int,
    env: dict[str, str],
    scratch: Path,
    *,
    warm_cli: bool,
) -> dict[str, Any]:
    import json

    built = bench.grow(size)
    tokens = bench.tokens[:size]
    tokens_file = scratch / f"tokens-{size}.txt"
    tokens_file.write_text("".join(f"{key} {token}\n" for key, token in tokens), "ascii")
    expected = size * NODES
    cold, said = asyncio.run(floor_push(url, bench.creds, tokens, NODES))
    _check_replies("cold push", said, expected)

    floor_argv = [sys.executable, __file__, FLOOR_CHILD, url, bench.creds, str(tokens_file),
                  str(NODES)]  # fmt: skip
    pynsc = _pynsc()
    push_argv = [*pynsc, "-H", str(bench.home), "push", "-A", "-u", url]
    if warm_cli:  # fill the bytecode caches
        _timed_run(floor_argv, env)
        _timed_run(push_argv, env)

    runs: dict[str, list[float]] = {
        "floor_in": [], "floor_sub": [], "pynsc": [], "nsc": [], "startup": []
    }  # fmt: skip
    for round_ in range(rounds):
        runs["startup"].append(_timed_run([sys.executable, "-c", "import nats"], env)[0])

        elapsed, out = _timed_run(floor_argv, env)
        child = json.loads(out)
        _check_replies("subprocess floor", child["replies"], expected)
        runs["floor_sub"].append(elapsed)

        elapsed, said = asyncio.run(floor_push(url, bench.creds, tokens, NODES))
        _check_replies("in-process floor", said, expected)
        runs["floor_in"].append(elapsed)

        elapsed, out = _timed_run(push_argv, env)
        updated = out.count(": jwt updated")
        if updated != expected:
            raise SystemExit(f"pynsc push -A: {updated} 'jwt updated' lines, not {expected}")
        runs["pynsc"].append(elapsed)

        elapsed, replies = asyncio.run(nsc_push(url, bench.creds, tokens[1 : nsc_accounts + 1]))
        if replies != nsc_accounts * NODES:
            raise SystemExit(f"nsc approach: {replies} replies, not {nsc_accounts * NODES}")
        runs["nsc"].append(elapsed)
        print(f"  N={size:,} round {round_ + 1}/{rounds}: " + ", ".join(
            f"{name} {values[-1]:.2f} s" for name, values in runs.items()), flush=True)  # fmt: skip

    figures = {name: _spread(values) for name, values in runs.items()}
    ratios = [p / f for p, f in zip(runs["pynsc"], runs["floor_sub"], strict=True)]
    ratio = figures["pynsc"]["median"] / figures["floor_sub"]["median"]
    nsc_scaled = figures["nsc"]["median"] / nsc_accounts * size
    return {
        "accounts": size,
        "replies_per_push": expected,
        "build_seconds": built,
        "cold_push_seconds": cold,
        "python_import_nats": figures["startup"],
        "floor_in_process": figures["floor_in"],
        "floor_subprocess": figures["floor_sub"],
        "pynsc_push_all": figures["pynsc"],
        "ratio_pynsc_to_floor": ratio,
        "ratio_rounds": _spread(ratios),
        "ratio_uses": "floor_subprocess",
        "ratio_to_in_process_floor": figures["pynsc"]["median"] / figures["floor_in"]["median"],
        "goal": GOAL,
        "goal_met": ratio <= GOAL,
        "nsc_accounts_measured": nsc_accounts,
        "nsc_measured": figures["nsc"],
        "nsc_scaled_seconds": nsc_scaled,
        "speedup_over_nsc": nsc_scaled / figures["pynsc"]["median"],
    }


def _pynsc() -> list[str]:
    from pathlib import Path

    script = Path(sys.executable).with_name("pynsc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pynsc.cli"]


# Output ---------------------------------------------------------------------------------------


def _cell(figure: dict[str, Any]) -> str:
    return f"{figure['median']:.2f} ({figure['min']:.2f}-{figure['max']:.2f})"


def print_table(results: Sequence[dict[str, Any]], nsc_accounts: int) -> None:
    header = ["N", "floor in-proc (s)", "floor subproc (s)", "pynsc push -A (s)",
              "pynsc/floor", f"goal <= {GOAL:g}x", f"nsc {nsc_accounts} meas. (s)",
              "nsc scaled (s)", "speed-up"]  # fmt: skip
    rows = []
    for r in results:
        ratio = r["ratio_rounds"]
        rows.append([
            f"{r['accounts']:,}",
            _cell(r["floor_in_process"]),
            _cell(r["floor_subprocess"]),
            _cell(r["pynsc_push_all"]),
            f"{r['ratio_pynsc_to_floor']:.2f}x ({ratio['min']:.2f}-{ratio['max']:.2f})",
            "met" if r["goal_met"] else "NOT met",
            _cell(r["nsc_measured"]),
            f"{r['nsc_scaled_seconds']:,.0f}",
            f"{r['speedup_over_nsc']:,.0f}x",
        ])  # fmt: skip
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))


def main() -> None:
    import argparse
    import json
    import os
    import platform
    import shutil
    import signal
    import tempfile
    from pathlib import Path

    from pynsc import localserver

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000",
                        help="accounts pushed, SYS included (1000,10000)")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per size (3)")
    parser.add_argument("--nsc-accounts", type=int, default=20,
                        help="accounts pushed nsc's way, then scaled to N (20)")  # fmt: skip
    default_json = Path(__file__).parent / "results" / "push.json"
    parser.add_argument("--json", type=Path, default=default_json, metavar="FILE",
                        help=f"where to write the figures ({default_json})")  # fmt: skip
    options = parser.parse_args()
    sizes = sorted({int(s.replace("_", "")) for s in options.sizes.split(",") if s.strip()})
    if not sizes or sizes[0] <= options.nsc_accounts or options.rounds < 1:
        parser.error("sizes must exceed --nsc-accounts, and --rounds be at least 1")

    # SIGTERM ends the run through the finally blocks, so the cluster is stopped
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    scratch = Path(tempfile.mkdtemp(prefix="pynsc-bench-push-"))
    cluster = scratch / "cluster"
    results: list[dict[str, Any]] = []
    try:
        env = {**os.environ, "HOME": str(scratch), "NO_COLOR": "1",
               "PYTHONPYCACHEPREFIX": str(scratch / "pycache")}  # fmt: skip
        for name in ("NSC_HOME", "NKEYS_PATH", "NSC_CWD_ONLY", "PYNSC_DEBUG",
                     "PYTHONDONTWRITEBYTECODE"):  # fmt: skip
            env.pop(name, None)
        bench = Bench(scratch / "nsc")
        start = time.perf_counter()
        state = bench.start_cluster(cluster)
        started = time.perf_counter() - start
        url = state.nodes[0].url
        version = _server_version(state)
        print(f"3-node cluster ({version}) ready in {started:.2f} s at {state.url}; "
              f"python {platform.python_version()}, {os.cpu_count()} cpus", flush=True)  # fmt: skip
        try:
            for index, size in enumerate(sizes):
                result = measure(
                    bench, url, size, options.rounds, options.nsc_accounts, env, scratch,
                    warm_cli=index == 0,
                )  # fmt: skip
                results.append(result)
                print(f"  N={size:,}: store grown in {result['build_seconds']:.1f} s, "
                      f"cold push (servers store the JWTs) {result['cold_push_seconds']:.2f} s",
                      flush=True)  # fmt: skip
        finally:
            localserver.stop(cluster)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print()
    print(f"push of N accounts to {NODES} nats-servers, median (min-max) of "
          f"{options.rounds} interleaved rounds; ratio = pynsc / subprocess floor")  # fmt: skip
    print_table(results, options.nsc_accounts)
    print(f"nsc: {options.nsc_accounts} accounts one by one, a {NSC_TIMEOUT:g} s window each, "
          "scaled linearly to N")  # fmt: skip
    startup = ", ".join(f"{_cell(r['python_import_nats'])} s" for r in results)
    print(f"python -c 'import nats' (start-up both the subprocess floor and pynsc pay): {startup}")
    report = {
        "python": platform.python_version(),
        "nats_server": version,
        "nodes": NODES,
        "rounds": options.rounds,
        "nsc_timeout": NSC_TIMEOUT,
        "cpus": os.cpu_count(),
        "sizes": results,
    }
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"figures written to {options.json}")


def _server_version(state: ServerState) -> str:
    from pynsc.localserver import process

    varz = process.get_json(f"{state.nodes[0].monitor_url}/varz") or {}
    return f"nats-server {varz.get('version', '?')}"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == FLOOR_CHILD:
        floor_child(sys.argv[2:])
    else:
        main()
