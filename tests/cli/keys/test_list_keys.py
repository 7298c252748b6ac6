"""``pynsc list keys``: default selection, kind flags, --account/--user, filter, seeds,
--not-referenced, --curve, JSON (§5.3 #47)."""

from __future__ import annotations

import base64
import re
import shutil

import pytest

from pynsc import keys
from tests.cli.user.conftest import Env


def _rows(out: str) -> list[str]:
    """Table rows with the box drawing stripped and spaces collapsed (nsc's test helper)."""
    rows = []
    for line in out.splitlines():
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows.append(" ".join(cell for cell in cells if cell))
    return rows


@pytest.fixture
def keyed(env: Env) -> Env:
    env.add_user("A", "U")
    return env


def test_default_rows(keyed: Env) -> None:
    out = keyed.ok("list", "keys").stdout
    rows = _rows(out)
    assert rows[:2] == ["Keys", "Entity Key Signing Key Stored"]
    assert f"O {keyed.operator.public_key} *" in rows
    assert f"A {keyed.accounts['A'].public_key} *" in rows
    assert f"U {keyed.user('A', 'U').sub} *" in rows
    assert out.rstrip().endswith("[ T ] auth callout encryption target")
    assert re.search(r"^\|  A +\|", out, re.MULTILINE)
    assert re.search(r"^\|   U +\|", out, re.MULTILINE)


def test_default_is_current_account_only(keyed: Env) -> None:
    b = keyed.add_account("B")
    keyed.ok("list", "keys")  # several accounts, none current: all of them
    out = keyed.ok("list", "keys", "--account", "A").stdout
    assert b.public_key not in out
    assert keyed.accounts["A"].public_key in out


def test_kind_flags(keyed: Env) -> None:
    user = keyed.user("A", "U").sub
    op = keyed.ok("list", "keys", "-o").stdout
    assert keyed.operator.public_key in op
    assert user not in op
    assert keyed.accounts["A"].public_key not in op
    acc = keyed.ok("list", "keys", "--accounts").stdout
    assert keyed.accounts["A"].public_key in acc
    assert keyed.operator.public_key not in acc
    users = keyed.ok("list", "keys", "-u").stdout
    assert user in users
    assert keyed.accounts["A"].public_key not in users
    everything = keyed.ok("list", "keys", "-A").stdout
    for key in (keyed.operator.public_key, keyed.accounts["A"].public_key, user):
        assert key in everything


def test_signing_keys_and_unstored(keyed: Env) -> None:
    sk = keyed.add_signing_key("A", store_key=False)
    rows = _rows(keyed.ok("list", "keys").stdout)
    assert f"A {sk.public_key} *" in rows  # signing, not stored


def test_curve_flag_shows_xkeys(keyed: Env) -> None:
    xkey = keys.generate("curve")
    keyed.keystore.store(xkey)
    keyed.edit_account(
        "A", lambda a: setattr(a.nats.authorization, "xkey", xkey.public_key)
    )
    out = keyed.ok("list", "keys", "-x").stdout
    assert f"A {xkey.public_key} T *" in _rows(out)
    assert keyed.user("A", "U").sub not in out
    assert xkey.public_key not in keyed.ok("list", "keys", "-u").stdout


def test_user_and_filter(keyed: Env) -> None:
    keyed.add_user("A", "V")
    user = keyed.user("A", "U").sub
    out = keyed.ok("list", "keys", "--user", "U").stdout
    assert user in out
    assert keyed.user("A", "V").sub not in out
    filtered = keyed.ok("list", "keys", "-A", "-f", user[5:12].lower()).stdout
    assert _rows(filtered)[2:] == [f"U {user} *"]
    assert keyed.fails("list", "keys", "--user", "NO") == 'user "NO" not found'


def test_show_seeds(keyed: Env) -> None:
    unstored = keyed.add_signing_key("A", store_key=False)
    out = keyed.ok("list", "keys", "--show-seeds").stdout
    assert "Seeds Keys" in out
    assert f"O {keyed.operator.seed}" in _rows(out)
    assert f"{unstored.public_key} [!]" in out
    assert "[ ! ] seed is not stored" in out


def test_show_seeds_and_not_referenced_exclusive(keyed: Env) -> None:
    message = keyed.fails("list", "keys", "--show-seeds", "--not-referenced", exit_code=2)
    assert message == "specify one of --show-seeds or --not-referenced"


def test_not_referenced(keyed: Env) -> None:
    stray_user = keys.generate("user")
    stray_op = keys.generate("operator")
    stray_curve = keys.generate("curve")
    for key in (stray_user, stray_op, stray_curve):
        keyed.keystore.store(key)
    out = keyed.ok("list", "keys", "--not-referenced").stdout
    rows = _rows(out)[2:]
    assert rows == [f"? {stray_op.public_key} *", f"? {stray_user.public_key} *",
                    f"? {stray_curve.public_key} *"]  # fmt: skip
    assert "[?] unreferenced key - may belong to a different operator context" in out


def test_json(keyed: Env) -> None:
    data = keyed.json("list", "keys")["data"]
    kinds = [entry["expected_kind"] for entry in data]
    assert kinds == ["operator", "account", "user"]
    op, acc, user = data
    assert op["name"] == "O"
    assert op["pub"] == keyed.operator.public_key
    assert op["signing"] is False
    assert op["curve"] is False
    assert op["invalid"] is False
    assert op["key_path"] == str(keyed.keystore.key_path(keyed.operator.public_key))
    assert base64.b64decode(op["jwt"]).decode() == keyed.store.operator_token()
    assert acc["parent"] == keyed.operator.public_key
    assert user["parent"] == keyed.accounts["A"].public_key
    assert "seed" not in user
    seeds = keyed.json("list", "keys", "-S")["data"]
    assert seeds[0]["seed"] == keyed.operator.seed


def test_no_match(keyed: Env) -> None:
    result = keyed.ok("list", "keys", "-f", "NOTHING")
    assert "[WARN] no keys matched query" in result.stderr
    assert result.stdout == ""


def test_bad_seed_file(keyed: Env) -> None:
    user = keyed.user("A", "U").sub
    keyed.keystore.key_path(user).write_text(keys.generate("user").seed or "")
    assert f"U {user} BAD" in _rows(keyed.ok("list", "keys", "-u").stdout)


def test_no_keystore(env: Env) -> None:
    shutil.rmtree(env.keystore.keys_dir)
    assert "does not exist" in env.fails("list", "keys")


def test_no_keystore_says_how_to_make_one(env: Env) -> None:
    """Issue 10 item 14: the missing keystore comes with a hint."""
    shutil.rmtree(env.keystore.keys_dir)
    result = env.run("list", "keys")
    assert result.exit_code == 1
    assert "Hint: create keys with 'pynsc init' or 'pynsc add operator'" in result.stderr
