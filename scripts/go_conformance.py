#!/usr/bin/env python3
"""Run one script of nsc commands with Go nsc and with pynsc, and compare what they write.

Usage (a developer tool, not a test: it needs the Go binary; standard library only)::

    .venv/bin/python scripts/go_conformance.py --nsc ../shared/tools/gonsc/nsc [--pynsc PATH]

Each tool gets its own fresh environment (``HOME``, ``XDG_CONFIG_HOME``, ``XDG_DATA_HOME``,
``NKEYS_PATH`` under a temporary directory, ``NSC_HOME`` unset, ``NSC_NO_GIT_IGNORE`` set, no
network: a network namespace of its own when ``unshare -rn`` works, and a dead proxy in any
case). The steps of :data:`SCRIPT` run interleaved (step 1 with Go nsc, step 1 with pynsc,
step 2 ...), so both tools see the same wall-clock time at each step.

Then every JWT each store holds (operator, accounts, users), every JWT the script wrote to a
file (activations, an account), each operator's ``.nsc`` file and ``nsc.json`` are compared,
payload by payload, after normalising what must differ between two runs:

* public keys become labels naming where the key is defined: ``operator:O``, ``account:O/A``,
  ``user:O/A/u``, and signing keys by order of appearance (``operator:O/sk1``,
  ``account:O/A/sk2``); a later key taking a label already used gets ``#2`` (``reissue``). A
  key seen in no store JWT gets ``?A#1`` (kind letter, order met);
* ``jti`` and ``iat`` are dropped;
* times (``exp``, ``nbf``, revocation timestamps, ``last_update`` of ``nsc.json``) compare
  equal when they are within ``--time-slack`` seconds of each other (0 only equals 0);
* the order of ``signing_keys`` and of ``revocations`` is ignored (nats-io/jwt encodes Go maps
  there, sorted by the random keys); any other difference of field order is reported;
* an import's embedded activation ``token`` is decoded and compared as a payload.

Finally :data:`CROSS` runs with each tool on a copy of the other tool's final store (and on a
copy of its own, the baseline): a command that succeeds on one and fails on the other is an
interoperability failure.

Output: one line per document (``same``, ``differs``, or ``allowed`` when every difference is
in :data:`ALLOWED`), then one indented line per JSON path that differs; the commands whose
outcome differs (one tool exits 0, the other does not: exit codes and output are otherwise not
compared, as pynsc puts status on stderr and exits 2 for usage errors by design); the
cross-store failures; a summary. Exit status 0 when nothing differs except what
:data:`ALLOWED`/:data:`ALLOWED_OUTCOMES` list (each citing docs/differences.md), else 1.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

Json = Any
"""A decoded JSON value (normalised: may also hold :class:`Instant`)."""

PathPart = str | int
JsonPath = tuple[PathPart, ...]

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PYNSC = REPO / ".venv" / "bin" / "pynsc"
TOOLS = ("go", "pynsc")

# --------------------------------------------------------------------------------------------
# The command script
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One command line, as typed after ``nsc``/``pynsc``.

    ``{label}`` is replaced by the public key the running tool's store has under that label
    (see the module docstring); ``note`` says what the step covers.
    """

    line: str
    note: str = ""


SCRIPT: tuple[Step, ...] = (
    # init and operators
    Step("init -n I", "init: operator, system account, account and user"),
    Step("add operator -n O --sys --generate-signing-key"),
    Step("edit operator --service-url nats://localhost:4222 --service-url nats://localhost:4223"),
    Step("edit operator --account-jwt-server-url nats://localhost:4222"),
    Step("edit operator --tag Prod --tag Team,Zone"),
    Step("edit operator --rm-tag zone"),
    Step("edit operator --sk generate", "operator:O/sk2"),
    Step("edit operator --require-signing-keys"),
    # accounts
    Step(
        "add account -n A --allow-pub 'a.>' --allow-sub 'b.>' --allow-pubsub c --deny-pub d"
        " --deny-sub e --deny-pubsub f --allow-pub-response=3 --response-ttl 5s",
        "account default permissions",
    ),
    Step("add account -n B"),
    Step("add account -n C --deny-pubsub 'x.>' --allow-pub-response", "bare optional value"),
    Step("add account -n D"),
    Step("add account -n E"),
    Step(
        "edit account -n A --conns 10 --data 1M --payload 1024 --subscriptions 100"
        " --leaf-conns 2 --exports 20 --imports 21",
        "account limits",
    ),
    Step(
        "edit account -n A --js-mem-storage 1G --js-disk-storage 2G --js-streams 10"
        " --js-consumer 100 --js-max-mem-stream 512M --js-max-disk-stream 1G"
        " --js-max-ack-pending 1000",
        "global JetStream limits",
    ),
    Step(
        "edit account -n B --js-tier 1 --js-mem-storage 1M --js-disk-storage 2M --js-streams 3"
        " --js-consumer 4",
        "tiered JetStream limits",
    ),
    Step("edit account -n B --js-tier 3 --js-disk-storage 5M --js-max-disk-stream 1M"),
    Step("edit account -n C --js-mem-storage 1M --js-disk-storage 1M"),
    Step("edit account -n C --js-disable"),
    Step(
        "edit account -n A --tag Team,Zone --description 'Account A' --info-url https://a.example"
    ),
    Step("edit account -n A --trace-context-subject trace.a --trace-context-sampling 50"),
    Step("edit account -n C --wildcard-exports=false"),
    Step("edit account -n E --js-tier 1 --js-mem-storage 1M --js-disk-storage 1M"),
    Step(
        "edit account -n E --conns 5",
        "Go writes global JetStream defaults next to the tier: the store of issue item 1",
    ),
    # one unscoped signing key per account that issues users: under --require-signing-keys
    # Go nsc picks among several signing keys at random, so the script never lets it choose
    Step("edit account -n A --sk generate", "account:O/A/sk1 signs A's users and activations"),
    Step("edit account -n B --sk generate", "account:O/B/sk1"),
    Step("edit account -n D --sk generate", "account:O/D/sk1"),
    # users
    Step(
        "add user -a A -n u1 --allow-pub a.1,a.2 --allow-sub 'c.1 q1' --allow-pubsub d.1"
        " --deny-pub e.1 --deny-sub f.1 --deny-pubsub g.1 --allow-pub-response=2"
        " --response-ttl 1m --tag Dev,Ops --source-network 192.168.1.0/24,10.0.0.0/8"
        " --source-network 172.16.0.0/12 --start 2030-01-01 --expiry 2031-01-01",
        "every add user flag; source-network order (issue item 2)",
    ),
    Step("add user -a A -n u2 --bearer --start 1h --expiry 30d"),
    Step("add user -a A -n u4 --allow-pub-response", "bare optional value"),
    Step(
        "add user -a A --allow-pub-response v8",
        "optional value is not the next word: user v8 (issue item 6)",
    ),
    Step(
        "add user -a A -n u5 --allow-pub-response=4"
        " --source-network 172.16.0.0/12,10.0.0.0/8,172.16.0.0/12",
        "duplicate source network",
    ),
    Step("add user -a A -n u6"),
    Step("add user -a B -n bu"),
    Step("add user -a D -n du"),
    Step(
        "edit user -a A -n u1 --conn-type STANDARD,WEBSOCKET --time 08:00:00-17:00:00"
        " --time 20:00:00-22:00:00 --locale Europe/Berlin --subs 5 --data 1M --payload 512",
    ),
    Step(
        "edit user -a A -n u1 --rm a.1 --rm-tag ops --rm-source-network 172.16.0.0/12"
        " --rm-conn-type WEBSOCKET --rm-time 20:00:00",
    ),
    Step("edit user -a A -n u1 --rm a.2 --rm-response-perms"),
    Step("edit user -a A -n u2 --bearer=false --allow-sub 'x.>'"),
    Step("edit user -a A -n u4 --tag Extra --deny-pub 'no.>' --expiry 2035-06-01"),
    # exports
    Step("add export -a A -n pubstream -s 'pub.stream.>'"),
    Step(
        "add export -a A -s 'pub.svc.>' --service --response-type Stream --latency lat.svc"
        " --sampling 50 --response-threshold 5s",
    ),
    Step("add export -a A -s svc.hdr --service --latency lat.hdr --sampling headers"),
    Step("add export -a A -s 'priv.stream.>' --private"),
    Step("add export -a A -s priv.svc --service --private --response-type Chunked"),
    Step("add export -a A -s 'tok.*.>' --account-token-position 2"),
    Step("add export -a A -s 'trace.>'"),
    Step("add export -a A -s svc.trace --service --allow-trace"),
    Step("add export -a A -s 'gone.>'"),
    # imports
    Step("add import -a B --src-account A --remote-subject pub.stream.x"),
    Step("add import -a B --src-account A --remote-subject pub.stream.y --local-subject local.y"),
    Step(
        "add import -a B --src-account A --remote-subject pub.svc.a --service",
        "service import without --local-subject (issue item 3)",
    ),
    Step(
        "add import -a B --src-account A --remote-subject pub.svc.b --service"
        " --local-subject mine.b",
    ),
    Step("add import -a B --src-account A --remote-subject 'tok.{account:O/B}.>'"),
    Step("add import -a B --src-account A --remote-subject trace.x --allow-trace -n traced"),
    # activations and private imports
    Step("generate activation -a A -s 'priv.stream.>' -t B -o act-stream.jwt"),
    Step("generate activation -a A -s priv.svc -t B -o act-svc.jwt --expiry 30d"),
    Step("generate activation -a A -s 'priv.stream.>' -t C -o act-c.jwt --start 2030-01-01"),
    Step("generate activation -a A -s 'priv.stream.>' -t D -o act-d.jwt"),
    Step("add import -a B --token act-stream.jwt --local-subject 'imp.stream.>'"),
    Step("add import -a B --token act-svc.jwt --service"),
    Step("add import -a D --token act-d.jwt"),
    # mappings
    Step("add mapping -a A -f map.a -t map.b --weight 40"),
    Step("add mapping -a A -f map.a -t map.c --weight 60"),
    Step("add mapping -a A -f map.a -t map.d --weight 20 --cluster east"),
    Step("add mapping -a A -f map.x -t map.y"),
    # revocations
    Step("revocations add-user -a A -n u2"),
    Step("revocations add-user -a A -n u4 --at 1900000000"),
    Step("revocations add-activation -a A -s 'priv.stream.>' -t C"),
    Step("revocations add-activation -a A -s 'priv.stream.>' -t D --at 1900000000"),
    # scoped signing keys (after every command that lets the tool pick A's signing key)
    Step("edit account -n A --sk generate", "account:O/A/sk2"),
    Step("edit account -n A --sk generate", "account:O/A/sk3"),
    Step("edit account -n A --sk generate", "account:O/A/sk4"),
    Step("edit account -n A --rm-sk {account:O/A/sk4}"),
    Step(
        "edit signing-key -a A --sk {account:O/A/sk2} --role service --allow-pub 'svc.>'"
        " --allow-sub '_INBOX.>' --deny-pub svc.admin --subs 10 --data 1M --payload 1K"
        " --allow-pub-response --response-ttl 1s",
        "scoped signing key with permissions",
    ),
    Step(
        "edit signing-key -a A --sk {account:O/A/sk3} --role basic",
        "role only: the scope template (issue item 4)",
    ),
    Step(
        "edit signing-key -a A --sk {account:O/A/sk3} --description 'basic users'"
        " --conn-type STANDARD --source-network 192.168.1.0/24,10.0.0.0/8"
        " --time 08:00:00-17:00:00 --locale UTC --bearer",
    ),
    Step("add user -a A -n u3 -K service", "user of a scoped signing key"),
    # the other commands that write an account
    Step(
        "edit export -a A -s 'pub.svc.>' --response-type Chunked --description 'the service'"
        " --info-url https://svc.example",
    ),
    Step("edit authcallout -a B --auth-user {user:O/B/bu} --allowed-account {account:O/C}"),
    Step("edit account -n A --rm-tag zone --rm d --rm-response-perms"),
    Step("edit account -n B --rm-js-tier 3"),
    Step("revocations delete-user -a A -n u2"),
    Step("revocations delete-activation -a A -s 'priv.stream.>' -t D"),
    # exporting, deleting and importing again
    Step("add account -n F"),
    Step("describe account -n F --raw -o F.jwt", "an account JWT in a file"),
    Step("delete account -n F"),
    Step("import account --file F.jwt"),
    Step("delete user -a A -n u5"),
    Step("import user --file ../keys/creds/O/A/u5.creds"),
    # deletions, rename, reissue
    Step("delete import -a B -s pub.stream.x"),
    Step("delete export -a A -s 'gone.>'"),
    Step("delete mapping -a A -f map.x"),
    Step("delete mapping -a A -f map.a -t map.c"),
    Step("delete user -a A -n u6 -R"),
    Step("rename account D D2 --OK"),
    Step("reissue operator -n O"),
    Step("select account B", "nsc.json"),
)

CROSS: tuple[Step, ...] = (
    Step("validate -A"),
    Step(
        "edit account -n E --description cross",
        "global JetStream defaults next to a tier, as Go writes them (issue item 1)",
    ),
    Step("edit account -n B --description cross", "tiered JetStream limits"),
    Step("edit account -n A --description cross"),
    Step("edit signing-key -a A --sk {account:O/A/sk3} --allow-sub cross"),
    Step("edit user -a A -n u1 --tag cross -K {account:O/A/sk1}"),
    Step("add user -a A -n cross -K {account:O/A/sk1}"),
    Step("add export -a A -s 'cross.>'"),
    Step("add import -a B --src-account A --remote-subject cross.x"),
    Step("revocations add-user -a A -n u5"),
    Step("validate -A"),
)
"""Run after :data:`SCRIPT` by each tool on a copy of the other tool's store (and, as the
baseline, on a copy of its own): a tool must handle what the other one wrote."""

# --------------------------------------------------------------------------------------------
# Differences that are on purpose
# --------------------------------------------------------------------------------------------

ALLOWED: dict[str, str] = {
    # "<document>:<json path>" pattern ('*' matches anything, '{a,b}' either word) -> reason,
    # citing docs/differences.md. Only what that file documents belongs here; issue #10's
    # items 1-6 are bugs to fix, never allowed.
    "store/O/accounts/{C,D2,E}/*.jwt:nats.limits."
    "{streams,consumer,max_ack_pending,mem_max_stream_bytes,disk_max_stream_bytes}": (
        "docs/differences.md, Accounts, 'edit account keeps what is not flagged': nsc writes"
        " default JetStream limits (-1) into an account that had none on every edit"
    ),
    "store/O/accounts/A/A.jwt:nats.default_permissions.pub.deny": (
        "docs/differences.md, Users, '--rm and --rm-response-perms together do both': nsc"
        " ignores --rm when --rm-response-perms comes with it"
    ),
    "store/O/accounts/A/users/u1.jwt:nats.pub.allow": (
        "docs/differences.md, Users, '--rm and --rm-response-perms together do both': nsc"
        " ignores --rm when --rm-response-perms comes with it"
    ),
}
"""JSON path patterns of differences that docs/differences.md documents, with the reason."""

ALLOWED_OUTCOMES: dict[str, str] = {
    # command-line pattern ('*' matches anything) -> reason, citing docs/differences.md
}
"""Commands whose success in one tool and failure in the other is documented."""

# --------------------------------------------------------------------------------------------
# Running the tools
# --------------------------------------------------------------------------------------------

KEY_RE = re.compile(r"(?<![A-Z2-7])[OACUNX][A-Z2-7]{55}(?![A-Z2-7])")
JWT_RE = re.compile(r"ey[A-Za-z0-9_-]+\.ey[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
PLACEHOLDER_RE = re.compile(r"\{([a-z]+:[^{}\s]+)\}")
DEAD_PROXY = "http://127.0.0.1:9"
TIMEOUT = 120.0


@dataclass(slots=True)
class Outcome:
    """What one command did."""

    argv: list[str]
    code: int
    stdout: str
    stderr: str
    error: str = ""
    """Set when the command could not be run (a placeholder without a key, a timeout)."""


@dataclass
class Env:
    """One tool's fresh environment and what the script did in it."""

    tool: str
    binary: Path
    root: Path
    isolate: list[str]
    labels: dict[str, str] = field(default_factory=dict)
    """Public key -> label, in the order the keys appeared."""
    outcomes: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """Labels that may not mean the same key in both tools (see :meth:`learn_keys`)."""

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def config_dir(self) -> Path:
        return self.root / "config" / "nats" / "nsc"

    @property
    def store_root(self) -> Path:
        return self.root / "data" / "nats" / "nsc" / "stores"

    @property
    def keys_dir(self) -> Path:
        return self.root / "keys"

    @property
    def work(self) -> Path:
        return self.root / "work"

    def copy(self, tool: str, binary: Path, root: Path) -> Env:
        """A new environment for ``tool`` holding a copy of this one's files."""
        shutil.copytree(self.root, root, symlinks=True)
        config = root / "config" / "nats" / "nsc" / "nsc.json"
        if config.is_file():
            config.write_text(config.read_text().replace(str(self.root), str(root)))
        return Env(tool, binary, root, self.isolate, dict(self.labels))

    def setup(self) -> None:
        for path in (self.home, self.root / "config", self.root / "data", self.keys_dir, self.work):
            path.mkdir(parents=True)

    def environ(self) -> dict[str, str]:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.root / "config"),
            "XDG_DATA_HOME": str(self.root / "data"),
            "NKEYS_PATH": str(self.keys_dir),
            "NSC_NO_GIT_IGNORE": "1",
            "TZ": "UTC",
            "LANG": "C.UTF-8",
            "NO_COLOR": "1",
        }
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            env[name] = env[name.lower()] = DEAD_PROXY
        return env

    def key_for(self, label: str) -> str | None:
        for key, known in self.labels.items():
            if known == label:
                return key
        return None

    def run(self, line: str) -> Outcome:
        missing: list[str] = []

        def substitute(match: re.Match[str]) -> str:
            key = self.key_for(match.group(1))
            if key is None:
                missing.append(match.group(1))
                return match.group(0)
            return key

        argv = [str(self.binary), *shlex.split(PLACEHOLDER_RE.sub(substitute, line))]
        if missing:
            outcome = Outcome(argv, -1, "", "", f"no key labelled {', '.join(missing)}")
        else:
            try:
                proc = subprocess.run(
                    [*self.isolate, *argv],
                    cwd=self.work,
                    env=self.environ(),
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    text=True,
                    timeout=TIMEOUT,
                    check=False,
                )
                outcome = Outcome(argv, proc.returncode, proc.stdout, proc.stderr)
            except subprocess.TimeoutExpired:
                outcome = Outcome(argv, -1, "", "", f"timed out after {TIMEOUT:.0f}s")
        self.outcomes.append(outcome)
        self.learn_keys()
        return outcome

    # -- labels ------------------------------------------------------------------------------

    def _label(self, key: str, label: str) -> None:
        if key in self.labels:
            return
        taken = set(self.labels.values())
        final, n = label, 1
        while final in taken:
            n += 1
            final = f"{label}#{n}"
        self.labels[key] = final

    def learn_keys(self) -> None:
        """Label the keys the store's JWTs define that have no label yet.

        Signing keys are numbered in the order they appear, one command at a time; when one
        command adds several to an entity their order is the JWT's (nats-io/jwt writes an
        account's signing keys sorted by key, i.e. at random), so a warning is kept."""
        for entity, payload in store_entities(self.store_root):
            sub = payload.get("sub")
            if isinstance(sub, str):
                self._label(sub, entity)
            nats = payload.get("nats")
            signing = nats.get("signing_keys") if isinstance(nats, dict) else None
            if not isinstance(signing, list):
                continue
            keys = [item.get("key") if isinstance(item, dict) else item for item in signing]
            new = [key for key in keys if isinstance(key, str) and key not in self.labels]
            if len(new) > 1:
                step = len(self.outcomes)
                self.warnings.append(
                    f"step {step} added {len(new)} signing keys to {entity}:"
                    " their labels may not match"
                )
            for key in new:
                count = sum(1 for label in self.labels.values() if label.startswith(f"{entity}/sk"))
                self._label(key, f"{entity}/sk{count + 1}")


def store_entities(store_root: Path) -> Iterator[tuple[str, dict[str, Json]]]:
    """(label, payload) of every operator, account and user JWT in the store, operators first,
    then accounts, then users, each in name order."""
    if not store_root.is_dir():
        return
    operators = sorted(p for p in store_root.iterdir() if p.is_dir())
    for op in operators:
        payload = read_jwt_payload(op / f"{op.name}.jwt")
        if payload is not None:
            yield f"operator:{op.name}", payload
    for op in operators:
        for acc in sorted((op / "accounts").glob("*/")):
            payload = read_jwt_payload(acc / f"{acc.name}.jwt")
            if payload is not None:
                yield f"account:{op.name}/{acc.name}", payload
    for op in operators:
        for acc in sorted((op / "accounts").glob("*/")):
            for user in sorted((acc / "users").glob("*.jwt")):
                payload = read_jwt_payload(user)
                if payload is not None:
                    yield f"user:{op.name}/{acc.name}/{user.stem}", payload


def decode_part(part: str) -> dict[str, Json] | None:
    try:
        value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (binascii.Error, ValueError):
        return None
    return value if isinstance(value, dict) else None


def read_jwt_payload(path: Path) -> dict[str, Json] | None:
    jwt = read_jwt(path)
    return None if jwt is None else decode_part(jwt.split(".")[1])


def read_jwt(path: Path) -> str | None:
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError):
        return None
    match = JWT_RE.search(text)
    return match.group(0) if match else None


def network_isolation() -> list[str]:
    """``unshare -rn`` (a network namespace with nothing in it) when it works here."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    try:
        ok = (
            subprocess.run(
                [unshare, "-rn", "true"], capture_output=True, check=False, timeout=10
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [unshare, "-rn"] if ok else []


# --------------------------------------------------------------------------------------------
# Documents and normalisation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Instant:
    """A time in seconds since the epoch, compared with a tolerance."""

    value: float

    def show(self) -> str:
        if self.value == 0:
            return "0"
        try:
            stamp = dt.datetime.fromtimestamp(self.value, tz=dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return str(self.value)
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class Document:
    """A JWT (its payload, header and the text around it in its file) or a JSON file."""

    payload: dict[str, Json]
    header: dict[str, Json] | None = None
    framing: str | None = None


def collect(env: Env) -> dict[str, Document]:
    """Every document of one tool's environment, by an id both tools share."""
    docs: dict[str, Document] = {}
    if env.store_root.is_dir():
        for path in sorted(env.store_root.rglob("*")):
            rel = path.relative_to(env.store_root).as_posix()
            if path.suffix == ".jwt":
                doc = jwt_document(path)
                if doc is not None:
                    docs[f"store/{rel}"] = doc
            elif path.name == ".nsc":
                docs[f"store/{rel}"] = json_document(path)
    for path in sorted(env.work.glob("*.jwt")):
        doc = jwt_document(path)
        if doc is not None:
            docs[f"file/{path.name}"] = doc
    nsc_json = env.config_dir / "nsc.json"
    if nsc_json.is_file():
        doc = json_document(nsc_json)
        root = str(env.root)
        for name, value in list(doc.payload.items()):
            if isinstance(value, str) and value.startswith(root):
                doc.payload[name] = "<root>" + value[len(root) :]
        docs["config/nsc.json"] = doc
    return docs


def jwt_document(path: Path) -> Document | None:
    text = path.read_text()
    match = JWT_RE.search(text)
    if match is None:
        return Document({"<unreadable>": text[:80]})
    header_part, payload_part, _ = match.group(0).split(".")
    payload = decode_part(payload_part)
    if payload is None:
        return Document({"<unreadable>": text[:80]})
    framing = text[: match.start()] + "<jwt>" + text[match.end() :]
    return Document(payload, decode_part(header_part), framing)


def json_document(path: Path) -> Document:
    try:
        value = json.loads(path.read_text())
    except ValueError:
        return Document({"<unreadable>": path.read_text()[:80]})
    return Document(value if isinstance(value, dict) else {"<value>": value})


TIME_FIELDS = {("exp",), ("nbf",), ("last_update",)}


def is_time(path: JsonPath) -> bool:
    return path in TIME_FIELDS or (len(path) >= 2 and path[-2] == "revocations")


class Normalizer:
    """Rewrites one tool's payloads: keys to labels, ``jti``/``iat`` out, times to
    :class:`Instant`."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self.labels = dict(labels)
        self.unknown: dict[str, int] = {}

    def key(self, key: str) -> str:
        label = self.labels.get(key)
        if label is None:
            self.unknown[key[0]] = self.unknown.get(key[0], 0) + 1
            label = self.labels[key] = f"?{key[0]}#{self.unknown[key[0]]}"
        return f"<{label}>"

    def text(self, text: str) -> str:
        return KEY_RE.sub(lambda m: self.key(m.group(0)), text)

    def payload(self, payload: Mapping[str, Json]) -> dict[str, Json]:
        out = self.value(payload, ())
        assert isinstance(out, dict)
        return out

    def value(self, value: Json, path: JsonPath) -> Json:
        if isinstance(value, dict):
            out: dict[str, Json] = {}
            for name, item in value.items():
                if not path and name in ("jti", "iat"):
                    continue
                out[self.text(name)] = self.value(item, (*path, name))
            return out
        if isinstance(value, list):
            items = [self.value(item, (*path, i)) for i, item in enumerate(value)]
            if path and path[-1] == "signing_keys":
                items.sort(key=lambda item: json.dumps(item, sort_keys=True, default=str))
            return items
        if is_time(path) and isinstance(value, int | float) and not isinstance(value, bool):
            return Instant(value)
        if isinstance(value, str):
            if path and path[-1] == "token" and JWT_RE.fullmatch(value):
                inner = decode_part(value.split(".")[1])
                if inner is not None:
                    return {"<decoded token>": self.payload(inner)}
            return self.text(value)
        return value


# --------------------------------------------------------------------------------------------
# Diffing
# --------------------------------------------------------------------------------------------

ABSENT = object()


@dataclass(frozen=True, slots=True)
class Difference:
    path: str
    go: str
    pynsc: str
    reason: str = ""
    """Why it is allowed (from :data:`ALLOWED`), empty when it is not."""


def show(value: object) -> str:
    if value is ABSENT:
        return "(absent)"
    if isinstance(value, Instant):
        return value.show()
    return json.dumps(
        value,
        default=lambda v: v.show() if isinstance(v, Instant) else str(v),
        ensure_ascii=False,
        separators=(",", ":"),
    )


IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def format_path(path: JsonPath) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif IDENT_RE.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part)}]"
    return out or "$"


def diff(go: object, py: object, path: JsonPath, slack: float) -> Iterator[tuple[str, str, str]]:
    """(json path, go value, pynsc value) of every place the normalised values differ."""
    if isinstance(go, dict) and isinstance(py, dict):
        for name in [*go, *(n for n in py if n not in go)]:
            yield from diff(go.get(name, ABSENT), py.get(name, ABSENT), (*path, name), slack)
        common_go = [n for n in go if n in py]
        common_py = [n for n in py if n in go]
        # revocations are a Go map keyed by public keys: json sorts them by the (random) key
        if common_go != common_py and not (path and path[-1] == "revocations"):
            yield (f"{format_path(path)} (field order)", show(common_go), show(common_py))
        return
    if isinstance(go, list) and isinstance(py, list):
        scalars = all(not isinstance(v, dict | list) for v in (*go, *py))
        if scalars or not go or not py:
            if not same_leaf(go, py, slack):
                yield format_path(path), show(go), show(py)
            return
        for i in range(max(len(go), len(py))):
            yield from diff(
                go[i] if i < len(go) else ABSENT,
                py[i] if i < len(py) else ABSENT,
                (*path, i),
                slack,
            )
        return
    if not same_leaf(go, py, slack):
        yield format_path(path), show(go), show(py)


def same_leaf(go: object, py: object, slack: float) -> bool:
    if isinstance(go, Instant) and isinstance(py, Instant):
        if go.value == 0 or py.value == 0:
            return go.value == py.value
        return abs(go.value - py.value) <= slack
    if isinstance(go, list) and isinstance(py, list):
        return len(go) == len(py) and all(
            same_leaf(a, b, slack) for a, b in zip(go, py, strict=True)
        )
    return type(go) is type(py) and go == py


def glob_re(pattern: str) -> re.Pattern[str]:
    """``*`` matches anything, ``{a,b}`` either word; the rest is literal."""
    out = ""
    for token in re.split(r"(\*|\{[^{}]*\})", pattern):
        if token == "*":
            out += ".*"
        elif token.startswith("{") and token.endswith("}"):
            out += "(?:" + "|".join(re.escape(word) for word in token[1:-1].split(",")) + ")"
        else:
            out += re.escape(token)
    return re.compile(out)


ALLOWED_RES = [(glob_re(pattern), reason) for pattern, reason in ALLOWED.items()]
ALLOWED_OUTCOME_RES = [(glob_re(pattern), reason) for pattern, reason in ALLOWED_OUTCOMES.items()]


def allowed(subject: str, table: list[tuple[re.Pattern[str], str]]) -> str:
    for regex, reason in table:
        if regex.fullmatch(subject):
            return reason
    return ""


def compare(
    doc_id: str,
    go: Document | None,
    py: Document | None,
    go_norm: Normalizer,
    py_norm: Normalizer,
    slack: float,
) -> list[Difference]:
    """The differences of one document between the two tools."""
    if go is None or py is None:
        return [
            Difference(
                "$",
                "(absent)" if go is None else "(exists)",
                "(absent)" if py is None else "(exists)",
                allowed(f"{doc_id}:$", ALLOWED_RES),
            )
        ]
    found = list(diff(go_norm.payload(go.payload), py_norm.payload(py.payload), (), slack))
    if go.header != py.header:
        found.append(("<header>", show(go.header), show(py.header)))
    if go.framing != py.framing:
        found.append(("<framing>", show(go.framing), show(py.framing)))
    return [Difference(p, g, y, allowed(f"{doc_id}:{p}", ALLOWED_RES)) for p, g, y in found]


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def first_error(text: str) -> str:
    """The ``Error:`` line of a command's output (else its last line), shortened."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.lower().startswith("error")]
    line = errors[0] if errors else (lines[-1] if lines else "")
    return line if len(line) <= 160 else line[:157] + "..."


def what_happened(outcome: Outcome) -> str:
    if outcome.error:
        return f"not run ({outcome.error})"
    if outcome.code == 0:
        return "exit 0"
    return f"exit {outcome.code}: {first_error(outcome.stderr + chr(10) + outcome.stdout)}"


def ok(outcome: Outcome) -> bool:
    return outcome.code == 0 and not outcome.error


def title(doc_id: str, doc: Document) -> str:
    nats = doc.payload.get("nats")
    kind = nats.get("type") if isinstance(nats, dict) and doc.header is not None else None
    return f"{doc_id} ({kind} {doc.payload.get('name', '')!s})" if kind else doc_id


Echo = Callable[[str], None]


def run_script(envs: list[Env], steps: tuple[Step, ...], echo: Echo, verbose: bool) -> None:
    """Run ``steps`` interleaved: each step with every environment before the next step."""
    for number, step in enumerate(steps, 1):
        for env in envs:
            outcome = env.run(step.line)
            if verbose:
                echo(f"  [{number:3}] {env.tool:5} {what_happened(outcome)}")


def report_outcomes(go_env: Env, py_env: Env, echo: Echo) -> tuple[int, int]:
    """Print the steps one tool ran and the other failed; (not allowed, allowed) counts."""
    echo("== commands whose outcome differs (one tool exits 0, the other does not)")
    failures = allowed_count = 0
    both_failed: list[tuple[int, Step, Outcome, Outcome]] = []
    rows = zip(SCRIPT, go_env.outcomes, py_env.outcomes, strict=True)
    for number, (step, go, py) in enumerate(rows, 1):
        if not ok(go) and not ok(py):
            both_failed.append((number, step, go, py))
        if ok(go) == ok(py):
            continue
        reason = allowed(step.line, ALLOWED_OUTCOME_RES)
        if reason:
            allowed_count += 1
        else:
            failures += 1
        echo(f"[{number}] {step.line}" + (f"   # {step.note}" if step.note else ""))
        echo(f"      go:    {what_happened(go)}")
        echo(f"      pynsc: {what_happened(py)}")
        if reason:
            echo(f"      allowed: {reason}")
    if not failures and not allowed_count:
        echo("(none)")
    if both_failed:
        echo("")
        echo("== commands that fail with both tools (the script should not have any)")
        for number, step, go, py in both_failed:
            echo(f"[{number}] {step.line}")
            echo(f"      go:    {what_happened(go)}")
            echo(f"      pynsc: {what_happened(py)}")
    for env in (go_env, py_env):
        for warning in env.warnings:
            echo(f"warning ({env.tool}): {warning}")
    return failures, allowed_count


def report_documents(go_env: Env, py_env: Env, slack: float, echo: Echo) -> tuple[int, int, int]:
    """Print one line per document, each difference under it; (same, differ, allowed)."""
    echo("== documents (JWTs of the stores, activation files, .nsc files, nsc.json)")
    go_docs, py_docs = collect(go_env), collect(py_env)
    go_norm, py_norm = Normalizer(go_env.labels), Normalizer(py_env.labels)
    same = differs = only_allowed = 0
    reasons: list[str] = []
    for doc_id in sorted(set(go_docs) | set(py_docs), key=doc_order):
        go, py = go_docs.get(doc_id), py_docs.get(doc_id)
        found = compare(doc_id, go, py, go_norm, py_norm, slack)
        name = title(doc_id, go or py or Document({}))
        if not found:
            same += 1
            echo(f"same     {name}")
            continue
        if all(d.reason for d in found):
            only_allowed += 1
            echo(f"allowed  {name}")
        else:
            differs += 1
            echo(f"differs  {name}")
        for d in found:
            mark = ""
            if d.reason:
                if d.reason not in reasons:
                    reasons.append(d.reason)
                mark = f"  [allowed {reasons.index(d.reason) + 1}]"
            echo(f"           {d.path}: go={d.go} pynsc={d.pynsc}{mark}")
    for number, reason in enumerate(reasons, 1):
        echo(f"[allowed {number}] {reason}")
    return same, differs, only_allowed


def cross_check(base: Path, envs: list[Env], echo: Echo, verbose: bool) -> int:
    """Run :data:`CROSS` with each tool on a copy of each store; print and count the steps a
    tool fails on the other's store but not on its own (or the reverse)."""
    echo("== each tool on a copy of the other's final store (where it does not do what it does")
    echo("   on a copy of its own)")
    by_tool = {env.tool: env for env in envs}
    runs: dict[tuple[str, str], Env] = {}
    for tool in TOOLS:
        for owner in TOOLS:
            copy = by_tool[owner].copy(tool, by_tool[tool].binary, base / f"{tool}-on-{owner}")
            run_script([copy], CROSS, echo, verbose=False)
            runs[tool, owner] = copy
    failures = 0
    for number, step in enumerate(CROSS, 1):
        for tool in TOOLS:
            other = next(t for t in TOOLS if t != tool)
            own = runs[tool, tool].outcomes[number - 1]
            theirs = runs[tool, other].outcomes[number - 1]
            if ok(own) != ok(theirs):
                failures += 1
            elif not verbose:
                continue
            echo(f"[{number}] {tool} {step.line}" + (f"   # {step.note}" if step.note else ""))
            echo(f"      on its own store:  {what_happened(own)}")
            echo(f"      on {other}'s store: {what_happened(theirs)}")
    if not failures:
        echo(f"(none of the {len(CROSS)} commands)")
    return failures


def report_labels(go_env: Env, py_env: Env, echo: Echo) -> None:
    echo("== labels (the key each tool has under each label)")
    for key, label in go_env.labels.items():
        py_key = py_env.key_for(label)
        echo(f"  {label:22} go {key[:10]}  pynsc {py_key[:10] if py_key else '(none)'}")
    for label in py_env.labels.values():
        if go_env.key_for(label) is None:
            echo(f"  {label:22} go (none)       pynsc {py_env.key_for(label) or ''}"[:60])


def doc_order(doc_id: str) -> tuple[int, str]:
    group = doc_id.split("/", 1)[0]
    return ({"store": 0, "file": 1, "config": 2}.get(group, 3), doc_id)


def conformance(
    base: Path, binaries: Mapping[str, Path], slack: float, verbose: bool, echo: Echo
) -> int:
    """Run everything in ``base``, print the report; the exit status."""
    isolate = network_isolation()
    envs = [Env(tool, binaries[tool], base / tool, isolate) for tool in TOOLS]
    for env in envs:
        env.setup()
    go_env, py_env = envs
    echo(f"go nsc: {binaries['go']}")
    echo(f"pynsc:  {binaries['pynsc']}")
    echo(f"network: {'none (unshare -rn)' if isolate else 'dead proxy only'}; work dir {base}")
    echo(f"running {len(SCRIPT)} commands with each tool, interleaved ...")
    started = time.monotonic()
    run_script(envs, SCRIPT, echo, verbose)
    echo(f"done in {time.monotonic() - started:.1f}s")
    echo("")
    outcome_failures, outcome_allowed = report_outcomes(go_env, py_env, echo)
    echo("")
    same, differs, only_allowed = report_documents(go_env, py_env, slack, echo)
    echo("")
    cross_failures = cross_check(base, envs, echo, verbose)
    if verbose:
        echo("")
        report_labels(go_env, py_env, echo)
    echo("")
    echo("== summary")
    echo(
        f"commands: {len(SCRIPT)}; outcome differs: {outcome_failures} (+{outcome_allowed} allowed)"
    )
    echo(
        f"documents: {same + differs + only_allowed}; same: {same}; differ: {differs};"
        f" differ only where allowed: {only_allowed}"
    )
    echo(
        f"cross-store: {len(CROSS)} commands per tool and store; outcome differs: {cross_failures}"
    )
    conformant = differs == 0 and outcome_failures == 0 and cross_failures == 0
    echo(
        "result: "
        + ("conformant" if conformant else "NOT conformant")
        + " (exit "
        + ("0)" if conformant else "1)")
    )
    return 0 if conformant else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run the same nsc command script with Go nsc and pynsc in fresh "
        "environments and compare the JWTs they write.",
    )
    parser.add_argument("--nsc", required=True, type=Path, help="the Go nsc binary")
    parser.add_argument(
        "--pynsc",
        type=Path,
        default=DEFAULT_PYNSC,
        help=f"the pynsc executable (default: {DEFAULT_PYNSC})",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="work in DIR (must not exist) and keep it for inspection",
    )
    parser.add_argument(
        "--time-slack",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="times closer than this compare equal (default: 60)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print every outcome (also cross-store) and the key labels",
    )
    args = parser.parse_args(argv)

    binaries = {"go": args.nsc.resolve(), "pynsc": args.pynsc.resolve()}
    for tool, binary in binaries.items():
        if not (binary.is_file() and os.access(binary, os.X_OK)):
            parser.error(f"{tool}: {binary} is not an executable file")
    if args.keep is not None and args.keep.exists():
        parser.error(f"--keep: {args.keep} exists")

    if args.keep is not None:
        args.keep.mkdir(parents=True)
        base = args.keep.resolve()
    else:
        base = Path(tempfile.mkdtemp(prefix="go-conformance-"))
    try:
        return conformance(base, binaries, args.time_slack, args.verbose, Printer(sys.stdout))
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


class Printer:
    """``print`` for this script (the project's lint forbids ``print``)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def __call__(self, line: str = "") -> None:
        self.out.write(line + "\n")
        self.out.flush()


if __name__ == "__main__":
    sys.exit(main())
