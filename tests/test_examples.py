"""The examples run: ``examples/library_usage.py``, ``examples/bearer_creds.py`` and the
``make demo`` script end to end (``demo.py``, then the walkthrough with the pynsc CLI)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pynsc import claims, keys

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def run(args: list[str], tmp_path: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """Run like `make demo` does: this venv's bin first on PATH, temporary files in tmp_path."""
    env = dict(os.environ)
    env.pop("ACCOUNT_SEED", None)
    env.update(extra_env)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["TMPDIR"] = str(tmp_path)
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_library_usage_writes_jwts_and_creds(tmp_path: Path) -> None:
    out = tmp_path / "out"

    result = run([sys.executable, str(EXAMPLES / "library_usage.py"), str(out)], tmp_path)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for prefix in ("operator O ", "account  SYS ", "account  A ", "user     U ", "creds "):
        assert any(line.startswith(prefix) for line in lines), result.stdout
    assert "verified: U.creds holds user U of account A" in lines
    operator = claims.decode((out / "jwt" / "O.jwt").read_text(), claims.OperatorClaims)
    account = claims.decode((out / "jwt" / "A.jwt").read_text(), claims.AccountClaims)
    creds = out / "keys" / "creds" / "O" / "A" / "U.creds"
    user, _ = claims.decode_creds(creds.read_text())
    assert account.iss == operator.sub
    assert user.iss == account.sub
    assert creds.stat().st_mode & 0o777 == 0o600


def test_library_usage_defaults_to_a_temporary_directory(tmp_path: Path) -> None:
    result = run([sys.executable, str(EXAMPLES / "library_usage.py")], tmp_path)

    assert result.returncode == 0, result.stderr
    made = [p for p in tmp_path.iterdir() if p.name.startswith("pynsc-")]
    assert len(made) == 1
    assert (made[0] / "jwt" / "U.jwt").is_file()


@pytest.mark.nats_server
def test_demo_script_runs_end_to_end(tmp_path: Path) -> None:
    result = run(["bash", str(EXAMPLES / "demo.sh")], tmp_path)

    output = f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == 0, output
    lines = result.stdout.splitlines()
    # 1. the library part (examples/demo.py)
    ready = re.search(r"^nats-server \S+ ready on nats://127\.0\.0\.1:(\d+) ", result.stdout, re.M)
    assert ready, output
    for expected in (
        "published 'hello from pynsc' on demo.greeting",
        "received 'hello from pynsc' on demo.greeting",
        "expired user refused: nats: 'Authorization Violation'",
        "nats-server stopped",
        "demo ok",
    ):
        assert expected in lines, output
    # 2. the walkthrough (pynsc commands only), in this order
    served = re.search(
        r"^walkthrough: pynsc server run --background: nats-server on nats://127\.0\.0\.1:(\d+) "
        r"\(full nats resolver\)$", result.stdout, re.M,
    )  # fmt: skip
    assert served, output
    steps = [
        "walkthrough: pynsc add operator -n demo --sys --generate-signing-key: operator with a "
        "signing key, system account SYS",
        "walkthrough: pynsc add account A; add account B; add user -a A x; add user -a B y",
        "walkthrough: A exports k8s.proxy.handler.* (private stream) and k8s.proxy.resp.> "
        "(private service)",
        "walkthrough: pynsc generate activation: B may import k8s.proxy.handler.cid_b and "
        "k8s.proxy.resp.cid_b.*",
        "walkthrough: pynsc add import: B imports them as k8s.proxy.handler and k8s.proxy.resp.*",
        served.group(0),
        "walkthrough: pynsc push -A: 3 accounts pushed",
        "walkthrough: x published 'hello B' on k8s.proxy.handler.cid_b; y received it on "
        "k8s.proxy.handler",
        "walkthrough: y requested k8s.proxy.resp.1; x answered on k8s.proxy.resp.cid_b.1: "
        "'served by A'",
        "walkthrough: pynsc revocations add-user -a B -n y; pynsc push -a B",
        f"walkthrough: y refused: Error: cannot connect to nats://127.0.0.1:{served.group(1)}: "
        "authorization violation (the server refused the user)",
        "walkthrough: pynsc server stop",
        "PASS",
    ]
    assert lines[-len(steps) :] == steps, output
    # Both servers are gone and so is the demo's working directory.
    for port in (ready.group(1), served.group(1)):
        with (
            pytest.raises(ConnectionRefusedError),
            socket.create_connection(("127.0.0.1", int(port)), 1),
        ):
            pass
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("pynsc-demo.")]


def creds_in(stdout: str) -> claims.UserClaims:
    """The user claims of the creds text printed after the essentials."""
    start = stdout.index("-----BEGIN NATS USER JWT-----")
    user, _ = claims.decode_creds(stdout[start:])
    return user


def test_bearer_creds_with_a_generated_account(tmp_path: Path) -> None:
    result = run([sys.executable, str(EXAMPLES / "bearer_creds.py")], tmp_path)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    account = re.fullmatch(r"account  (A[A-Z2-7]{55})  \(generated; .*\)", lines[0])
    assert account, result.stdout
    user = creds_in(result.stdout)
    assert user.iss == account.group(1)
    assert user.name == "browser-1"
    assert user.nats.bearer_token
    assert user.nats.pub.allow == ["web.browser-1.>"]
    assert user.nats.sub.allow == ["_INBOX.browser-1.>", "web.browser-1.>"]
    assert user.nats.allowed_connection_types == ["WEBSOCKET"]
    assert user.exp - user.iat == 3600
    for expected in (
        f"user     {user.sub}  name browser-1",
        "bearer   yes: the JWT alone authenticates",
        "pub      web.browser-1.>",
        "sub      _INBOX.browser-1.>, web.browser-1.>",
        "conn     WEBSOCKET",
        f"jti      {user.jti}",
    ):
        assert expected in lines, result.stdout
    assert any(re.fullmatch(r"expires  \S+ \S+ UTC \(in 3600s\)", line) for line in lines)


def test_bearer_creds_signed_with_account_seed(tmp_path: Path) -> None:
    account = keys.generate("account")
    assert account.seed is not None
    out = tmp_path / "alice.creds"

    result = run(
        [
            sys.executable,
            str(EXAMPLES / "bearer_creds.py"),
            "--user",
            "alice",
            "--prefix",
            "app",
            "--ttl",
            "15m",
            "--any-connection",
            "--out",
            str(out),
        ],
        tmp_path,
        ACCOUNT_SEED=account.seed,
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"account  {account.public_key}  (from ACCOUNT_SEED)"
    assert f"issuer   {account.public_key}" in lines
    assert "conn     any" in lines
    assert f"creds    written to {out}" in lines
    assert account.seed not in result.stdout
    user, _ = claims.decode_creds(out.read_text())
    assert out.stat().st_mode & 0o777 == 0o600
    assert user.iss == account.public_key
    assert user.nats.bearer_token
    assert user.nats.pub.allow == ["app.alice.>"]
    assert user.nats.allowed_connection_types == []
    assert user.exp - user.iat == 900


def test_bearer_creds_count_prints_the_rate(tmp_path: Path) -> None:
    account = keys.generate("account")
    assert account.seed is not None

    result = run(
        [sys.executable, str(EXAMPLES / "bearer_creds.py"), "--count", "50"],
        tmp_path,
        ACCOUNT_SEED=account.seed,
    )

    assert result.returncode == 0, result.stderr
    assert re.search(r"^minted 50 bearer creds in \d+\.\d{3}s \(\d+/s\)$", result.stdout, re.M)
    assert re.search(r"^user     U[A-Z2-7]{55}  name browser-1-49$", result.stdout, re.M)


def test_bearer_creds_rejects_a_non_account_seed(tmp_path: Path) -> None:
    user = keys.generate("user")
    assert user.seed is not None

    result = run(
        [sys.executable, str(EXAMPLES / "bearer_creds.py")], tmp_path, ACCOUNT_SEED=user.seed
    )

    assert result.returncode == 1
    assert "ACCOUNT_SEED is a user seed, not an account seed" in result.stderr
    assert result.stdout == ""


@pytest.mark.nats_server
def test_deploy_starts_a_server_pushes_a_revocation_and_stops(tmp_path: Path) -> None:
    result = run([sys.executable, str(EXAMPLES / "deploy.py"), str(tmp_path / "work")], tmp_path)

    assert result.returncode == 0, (result.stdout, result.stderr)
    lines = result.stdout.splitlines()
    started = re.fullmatch(
        r"nats-server for operator O on nats://127\.0\.0\.1:(\d+) \(2 accounts pushed\)", lines[0]
    )
    assert started, result.stdout
    assert lines[1:] == [
        "u: connected",
        "pushed A to O-n1: jwt updated",
        "u after the push: refused (nats: 'Authorization Violation')",
        "nats-server stopped",
    ]
    with (
        pytest.raises(ConnectionRefusedError),
        socket.create_connection(("127.0.0.1", int(started.group(1))), 1),
    ):
        pass
