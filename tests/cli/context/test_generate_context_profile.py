"""``pynsc generate context`` and ``pynsc generate profile`` (§1.7)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.cli.operator.conftest import Env, Home, error_line


@pytest.fixture
def initialized(home: Home) -> Home:
    home.ok("init", "-n", "O")
    return home


def _context_dir() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "nats" / "context"


def test_generate_context(initialized: Home) -> None:
    result = initialized.ok("generate", "context", "--context", "ctx")
    path = _context_dir() / "ctx.json"
    creds = initialized.dir / "creds" / "O" / "O" / "O.creds"
    assert json.loads(path.read_text()) == {
        "nsc": "nsc://O/O/O",
        "url": "nats://localhost:4222",
        "creds": str(creds),
    }
    assert path.read_text() == (
        f'{{"nsc":"nsc://O/O/O","url":"nats://localhost:4222","creds":"{creds}"}}'
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert result.stderr.startswith("[ OK ] wrote nats cli context file to `")
    # explicit account and user, and a name already ending in .json
    payload = initialized.json(
        "generate", "context", "--context", "sys.json", "-a", "SYS", "-u", "sys"
    )
    assert payload["data"]["context"]["nsc"] == "nsc://O/SYS/sys"
    assert (_context_dir() / "sys.json").is_file()


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        ((), "context name is required", 2),
        (("--context", "a/b"), "context name cannot contain filepath separators", 2),
        (("--context", "c", "-u", "nobody"), 'user "nobody" not found in account "O"', 1),
        (("--context", "c", "-a", "NOPE"), '"NOPE" not in accounts for operator "O"', 1),
    ],
)
def test_generate_context_errors(
    initialized: Home, args: tuple[str, ...], message: str, code: int
) -> None:
    result = initialized.run("generate", "context", *args)
    assert result.exit_code == code
    assert error_line(result).startswith(message)
    assert not _context_dir().exists()


def test_generate_context_needs_creds(initialized: Home) -> None:
    (initialized.dir / "creds" / "O" / "O" / "O.creds").unlink()
    message = error_line(initialized.run("generate", "context", "--context", "c"))
    assert message.endswith("doesn't exist - pynsc generate creds first")


def test_generate_context_user_required(env: Env) -> None:
    env.add_account("A")
    assert error_line(env.run("generate", "context", "--context", "c", "-a", "A")) == (
        'account "A" has no users'
    )
    env.add_user("A", "U1")
    env.add_user("A", "U2")
    assert error_line(env.run("generate", "context", "--context", "c", "-a", "A")) == (
        "user is required"
    )


# Profiles ----------------------------------------------------------------------------------------


def _profile(home: Home, url: str) -> dict[str, object]:
    result = home.ok("generate", "profile", url)
    assert result.stderr == ""
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_profile_operator(initialized: Home) -> None:
    assert _profile(initialized, "nsc://O") == {"operator": {"service": ["nats://localhost:4222"]}}


def test_profile_user_with_everything(initialized: Home) -> None:
    store = initialized.store("O")
    operator, account, user = store.operator(), store.account("O"), store.user("O", "O")
    keystore = initialized.keystore
    profile = _profile(initialized, "nsc://o/o/o?names&keys&seeds")
    assert profile == {
        "user_creds": str(initialized.dir / "creds" / "O" / "O" / "O.creds"),
        "operator": {
            "service": ["nats://localhost:4222"],
            "name": "O",
            "seed": keystore.read(operator.sub).seed,
            "id": operator.sub,
        },
        "account": {"name": "O", "seed": keystore.read(account.sub).seed, "id": account.sub},
        "user": {"name": "O", "seed": keystore.read(user.sub).seed, "id": user.sub},
    }
    # the unprefixed options target the last entity; the output is 2-space indented
    result = initialized.ok("generate", "profile", "nsc://O/O?Key&operatorName")
    assert json.loads(result.stdout) == {
        "operator": {"service": ["nats://localhost:4222"], "name": "O"},
        "account": {"id": account.sub},
    }
    assert '\n  "operator": {\n    "service": [' in result.stdout


def test_profile_by_public_key_and_signing_key_seed(initialized: Home) -> None:
    store = initialized.store("O")
    sys = store.account("SYS")
    sk = next(iter(sys.nats.signing_keys))
    profile = _profile(initialized, f"nsc://{store.operator().sub}/{sys.sub}?accountSeed={sk}")
    assert profile["account"] == {"seed": initialized.keystore.read(sk).seed}


def test_profile_store_and_keystore_options(initialized: Home, tmp_path: Path) -> None:
    # from another context: the options point at the store and the keystore
    other = tmp_path / "other"
    other.mkdir()
    initialized.ok("env", "-s", str(other))
    url = f"nsc://O/O?store={initialized.dir}&keystore={initialized.dir}&seed"
    profile = _profile(initialized, url)
    account = initialized.store("O").account("O")
    assert profile["account"] == {"seed": initialized.keystore.read(account.sub).seed}
    assert initialized.config().store_root == str(other)  # the context is not changed


def test_profile_output_file(initialized: Home, tmp_path: Path) -> None:
    out = tmp_path / "profile.json"
    result = initialized.ok("generate", "profile", "nsc://O?seed", "-o", str(out))
    assert result.stdout == ""
    assert "[ OK ] wrote tool configuration to" in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "seed" in json.loads(out.read_text())["operator"]


def test_profile_json(initialized: Home) -> None:
    payload = initialized.json("generate", "profile", "nsc://O/O/O")
    assert payload["data"]["user_creds"].endswith("O.creds")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nats://O", "invalid nsc url: expecting 'nsc://'"),
        ("nsc://", "invalid nsc url: expecting an operator name"),
        ("nsc://O?bogus", "invalid nsc url: unknown option 'bogus'"),
        ("nsc://X", 'invalid operator "X": operator was not found'),
        ("nsc://O/X", 'invalid account "X": account was not found'),
        ("nsc://O/O/X", 'invalid user "X": user was not found'),
        ("nsc://O?operatorSeed=OABC", '"OABC" was not found'),
    ],
)
def test_profile_errors(initialized: Home, url: str, message: str) -> None:
    assert error_line(initialized.run("generate", "profile", url)).startswith(message)


def test_profile_missing_seed(initialized: Home) -> None:
    account = initialized.store("O").account("O")
    initialized.keystore.remove(account.sub)
    assert error_line(initialized.run("generate", "profile", "nsc://O/O?seed")) == (
        f'no seed was found for "{account.sub}"'
    )
