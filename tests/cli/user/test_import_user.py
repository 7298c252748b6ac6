"""``pynsc import user -f``: JWT or creds file, issuer checks, --overwrite, --skip."""

from __future__ import annotations

import time
from pathlib import Path

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import decorate_jwt, format_creds
from tests.cli.user.conftest import Env, assert_creds


def _user_token(signer: keys.KeyPair, *, name: str = "U", issuer_account: str = "", exp: int = 0
                ) -> tuple[str, keys.KeyPair]:
    user = keys.generate("user")
    claims = c.UserClaims(sub=user.public_key, name=name, exp=exp)
    claims.nats.issuer_account = issuer_account
    return c.encode(claims, signer), user


def test_import_jwt(env: Env, tmp_path: Path) -> None:
    token, user = _user_token(env.accounts["A"])
    path = tmp_path / "u.jwt"
    path.write_text(token)
    result = env.ok("import", "user", "-f", str(path))
    assert env.user_token("A", "U") == token
    assert 'user "U" was successfully imported into account "A"' in result.stderr
    assert not env.creds_path("A", "U").exists()
    assert env.keystore.get(user.public_key) is None


def test_import_decorated_jwt(env: Env, tmp_path: Path) -> None:
    token, _ = _user_token(env.accounts["A"])
    path = tmp_path / "u.jwt"
    path.write_text(decorate_jwt(token))
    env.ok("import", "user", "--file", str(path))
    assert env.user_token("A", "U") == token


def test_import_creds_stores_seed_and_creds(env: Env, tmp_path: Path) -> None:
    token, user = _user_token(env.accounts["A"])
    path = tmp_path / "u.creds"
    path.write_text(format_creds(token, user.seed or ""))
    result = env.ok("import", "user", "-f", str(path))
    assert env.keystore.get(user.public_key) is not None
    assert_creds(env.creds_path("A", "U"), user.public_key)
    assert "key stored" in result.stderr


def test_signing_key_issuer(env: Env, tmp_path: Path) -> None:
    sk = env.add_signing_key("A")
    token, _ = _user_token(sk, issuer_account=env.accounts["A"].public_key)
    path = tmp_path / "u.jwt"
    path.write_text(token)
    env.ok("import", "user", "-f", str(path))
    assert env.user("A", "U").iss == sk.public_key


def test_unknown_account(env: Env, tmp_path: Path) -> None:
    token, _ = _user_token(keys.generate("account"))
    path = tmp_path / "u.jwt"
    path.write_text(token)
    assert "not found, import first" in env.fails("import", "user", "-f", str(path))


def test_issuer_not_of_account(env: Env, tmp_path: Path) -> None:
    stranger = keys.generate("account")
    token, _ = _user_token(stranger, issuer_account=env.accounts["A"].public_key)
    path = tmp_path / "u.jwt"
    path.write_text(token)
    message = env.fails("import", "user", "-f", str(path))
    assert message.startswith("can only import a user signed by the account")


def test_existing_needs_overwrite_and_same_key(env: Env, tmp_path: Path) -> None:
    token, _user = _user_token(env.accounts["A"])
    path = tmp_path / "u.jwt"
    path.write_text(token)
    env.ok("import", "user", "-f", str(path))
    assert "already exists" in env.fails("import", "user", "-f", str(path))
    env.ok("import", "user", "-f", str(path), "--overwrite")
    other, _ = _user_token(env.accounts["A"])
    path.write_text(other)
    assert "is another user" in env.fails("import", "user", "-f", str(path), "--overwrite")


def test_expired_needs_skip(env: Env, tmp_path: Path) -> None:
    token, _ = _user_token(env.accounts["A"], exp=int(time.time()) - 60)
    path = tmp_path / "u.jwt"
    path.write_text(token)
    assert "claim is expired" in env.fails("import", "user", "-f", str(path))
    result = env.ok("import", "user", "-f", str(path), "--skip")
    assert "[WARN] Validation resulted in: claim is expired" in result.stderr


def test_file_errors(env: Env, tmp_path: Path) -> None:
    other = tmp_path / "u.txt"
    other.write_text("x")
    assert "expected a .jwt or .creds file" in env.fails(
        "import", "user", "-f", str(other), exit_code=2
    )
    assert "does not exist" in env.fails("import", "user", "-f", str(tmp_path / "none.jwt"))
    bad = tmp_path / "bad.jwt"
    bad.write_text("garbage")
    assert env.fails("import", "user", "-f", str(bad)).startswith("failed to decode")
    env.fails("import", "user", exit_code=2)


def test_json(env: Env, tmp_path: Path) -> None:
    token, user = _user_token(env.accounts["A"])
    path = tmp_path / "u.jwt"
    path.write_text(token)
    assert env.json("import", "user", "-f", str(path))["data"] == {
        "account": "A", "name": "U", "public_key": user.public_key,
    }  # fmt: skip
