"""How fast pynsc issues users, next to what raw PyNaCl can do.

    python benchmarks/issue_users.py [--users N] [--rounds R]

Issuing one user through the public API = ``pynsc.Issuer.issue_user(name)`` (a signing-key
issuer, so ``issuer_account`` is set; every rule checked, the claims validated) and the creds
text. The low-level path (generate a key, build UserClaims, ``claims.encode``,
``keys.format_creds``) is shown beside it. The ceiling is raw PyNaCl doing the unavoidable part,
one ``SigningKey.generate()`` and one ``sign()`` of a payload as long as the signed part of the
JWT. The goal (issue 11) is at least 75% of the ceiling, through the public API; the same
row is in ``bench.py``.

Each measurement: one warm-up pass, then the best of R rounds of N users, with the garbage
collector paused (as ``timeit`` does). Wall time on a shared machine is noisy (runs of the same
code differ by 20% and more), so when valgrind is installed the ratios are also given in
instructions (``valgrind --tool=callgrind``, the same count on every run): each workload runs
in its own process with and without N users, and the difference is what N users cost.
"""

from __future__ import annotations

import argparse
import gc
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version

import nacl.signing

import pynsc
from pynsc import claims, keys

GOAL = 0.75

account = keys.generate("account")
signing_key = keys.generate("account")
issuer = pynsc.Issuer.from_seed(signing_key.seed or "", account=account.public_key)


def issue_with_api(n: int) -> None:
    for i in range(n):
        _ = issuer.issue_user(f"user-{i}").text


def issue_with_pynsc(n: int) -> None:
    for i in range(n):
        user = keys.generate("user")
        uc = claims.UserClaims(sub=user.public_key, name=f"user-{i}")
        jwt = claims.encode(uc, account)
        keys.format_creds(jwt, user.seed or "")


def signed_part_size() -> int:
    user = keys.generate("user")
    jwt = claims.encode(claims.UserClaims(sub=user.public_key, name="user-0000"), account)
    return len(jwt.rsplit(".", 1)[0])


PAYLOAD = b"x" * signed_part_size()


def issue_with_pynacl(n: int) -> None:
    for _ in range(n):
        user = nacl.signing.SigningKey.generate()  # the user's key
        user.sign(PAYLOAD)  # stands for the account signing the user JWT


# Where the library's time goes (same N, one step each).
def only_keygen(n: int) -> None:
    for _ in range(n):
        keys.generate("user")


def only_encode(n: int) -> None:
    user = keys.generate("user")
    for i in range(n):
        claims.encode(claims.UserClaims(sub=user.public_key, name=f"user-{i}"), account)


def only_creds(n: int) -> None:
    user = keys.generate("user")
    jwt = claims.encode(claims.UserClaims(sub=user.public_key, name="user"), account)
    for _ in range(n):
        keys.format_creds(jwt, user.seed or "")


def best_times(works: dict[str, Callable[[int], None]], n: int, rounds: int) -> dict[str, float]:
    """Seconds for the fastest of ``rounds`` runs of each ``work(n)``, after a warm-up.

    Rounds interleave the workloads, so a machine busy for a moment slows them all alike
    instead of skewing the ratio.
    """
    for work in works.values():
        work(max(1, n // 10))
    best = dict.fromkeys(works, float("inf"))
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(rounds):
            for label, work in works.items():
                start = time.perf_counter()
                work(n)
                best[label] = min(best[label], time.perf_counter() - start)
    finally:
        if enabled:
            gc.enable()
    return best


WORKLOADS: dict[str, Callable[[int], None]] = {
    "api": issue_with_api,
    "low": issue_with_pynsc,
    "ceiling": issue_with_pynacl,
}


def instructions(workload: str, n: int) -> int | None:
    """Instructions ``n`` runs of ``workload`` execute (callgrind), or None without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    counts = []
    with tempfile.TemporaryDirectory() as scratch:
        for users in (0, n):
            result = subprocess.run(
                [valgrind, "--tool=callgrind", f"--callgrind-out-file={scratch}/out",
                 sys.executable, __file__, "--worker", workload, "--users", str(users)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            match = re.search(r"Collected : (\d+)", result.stderr)
            if match is None:
                return None
            counts.append(int(match.group(1)))
    return counts[1] - counts[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2000, help="users per round (2000)")
    parser.add_argument("--rounds", type=int, default=7, help="rounds; the best counts (7)")
    parser.add_argument("--worker", choices=sorted(WORKLOADS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    n, rounds = args.users, args.rounds
    if args.worker:
        WORKLOADS[args.worker](10)  # warm-up, counted in both runs alike
        WORKLOADS[args.worker](n)
        return

    library, ceiling = "pynsc.Issuer.issue_user + creds", "PyNaCl ceiling: generate + sign"
    low_level = "low level: key + claims + encode + creds"
    headline = {library: issue_with_api, low_level: issue_with_pynsc, ceiling: issue_with_pynacl}
    steps = {
        "  keys.generate('user')": only_keygen,
        "  claims.encode(UserClaims)": only_encode,
        "  keys.format_creds": only_creds,
    }
    best = best_times({**headline, **steps}, n, rounds)

    def row(label: str) -> str:
        seconds = best[label]
        return f"{label:<40} {n / seconds:>10,.0f} {seconds / n * 1e6:>9.1f}"

    print(
        f"Issuing {n} users, best of {rounds} interleaved rounds "
        f"(Python {platform.python_version()}, PyNaCl {version('pynacl')}, "
        f"signed part {len(PAYLOAD)} bytes)"
    )
    print()
    print(f"{'what':<40} {'users/s':>10} {'µs/user':>9}")
    print("-" * 61)
    print("\n".join(row(label) for label in headline))
    print("pynsc, step by step:")
    print("\n".join(row(label) for label in steps))
    print("-" * 61)
    ratio = best[ceiling] / best[library]
    verdict = "goal met" if ratio >= GOAL else "BELOW GOAL"
    print(f"{'public API / ceiling':<40} {ratio:>10.1%}  (goal >= {GOAL:.0%}: {verdict})")
    print(f"{'low level / ceiling':<40} {best[ceiling] / best[low_level]:>10.1%}")

    counted = {name: instructions(name, 200) for name in WORKLOADS}
    if None in counted.values():
        print("(install valgrind for the instruction counts)")
        return
    per_user = {name: (count or 0) / 200 for name, count in counted.items()}
    print()
    print("In instructions per user (callgrind, 200 users; the same on every run):")
    for name, label in (("api", library), ("low", low_level), ("ceiling", ceiling)):
        print(f"{label:<40} {per_user[name]:>10,.0f}")
    ratio = per_user["ceiling"] / per_user["api"]
    verdict = "goal met" if ratio >= GOAL else "BELOW GOAL"
    print(f"{'public API / ceiling':<40} {ratio:>10.1%}  (goal >= {GOAL:.0%}: {verdict})")
    print(f"{'low level / ceiling':<40} {per_user['ceiling'] / per_user['low']:>10.1%}")


if __name__ == "__main__":
    main()
