"""The examples run: ``examples/library_usage.py`` and the ``make demo`` script, end to end."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pynsc import claims

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run like `make demo` does: this venv's bin first on PATH, temporary files in tmp_path."""
    env = dict(os.environ)
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
    # The server is gone and so is the demo's working directory.
    port = int(ready.group(1))
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), 1):
        pass
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("pynsc-demo.")]
