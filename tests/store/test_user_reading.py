"""Reading every user of an account at once (:meth:`Store.users`): the fast path gives what
:meth:`Store.user` gives, file by file, claims or the very same error; only a listing
(``verify=False``) skips the signature check, and only for users the account's keys issued."""

from __future__ import annotations

import base64
import json
from collections.abc import Collection
from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.errors import NscError
from pynsc.keys import KeyStore
from pynsc.paths import Paths
from pynsc.store import Store, ops
from pynsc.store.store import read_jwt_file


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _tampered(token: str) -> str:
    """``token`` with another (well-formed) signature."""
    head, _, signature = token.rpartition(".")
    flipped = "A" if signature[0] != "A" else "B"
    return f"{head}.{flipped}{signature[1:]}"


def _v1_user(account: keys.KeyPair, user: str) -> str:
    """A v1 user JWT (signature over the payload alone)."""
    payload = {"jti": "X", "iat": 1_600_000_000, "iss": account.public_key, "sub": user,
               "name": "v1", "type": "user", "nats": {"pub": {}, "sub": {}}}  # fmt: skip
    body = _b64(json.dumps(payload).encode())
    head = _b64(b'{"typ":"jwt","alg":"ed25519"}')
    return f"{head}.{body}.{_b64(account.sign(body.encode()))}"


def _signed(
    payload: dict[str, object], signer: keys.KeyPair, header: str = c._codec.HEADER_B64
) -> str:
    head_body = f"{header}.{_b64(json.dumps(payload).encode())}"
    return f"{head_body}.{_b64(signer.sign(head_body.encode()))}"


@pytest.fixture
def store(tmp_path: Path) -> tuple[Store, keys.KeyPair, keys.KeyPair]:
    """Operator O, account A with a signing key, and users of every kind, good and bad."""
    paths = Paths.resolve(all_dirs=tmp_path / "nsc", env={})
    keystore = KeyStore(paths.keystore_dir)
    store = Store.create(paths.data_dir, "O")
    operator, account = keys.generate("operator"), keys.generate("account")
    signing, other = keys.generate("account"), keys.generate("account")
    ops.save_operator(store, c.OperatorClaims(sub=operator.public_key, name="O"), operator)
    acc = c.AccountClaims(sub=account.public_key, name="A")
    acc.nats.signing_keys = {signing.public_key: None}
    ops.save_account(store, "A", acc, operator)
    keystore.store(account)

    def user(name: str, signer: keys.KeyPair, jwt_name: str | None = None) -> str:
        claims = c.UserClaims(sub=keys.generate("user").public_key, name=jwt_name or name)
        return c.encode(claims, signer)

    users = store.dir / "accounts" / "A" / "users"
    users.mkdir(parents=True)
    floaty = c.peek(user("float-version", account))
    floaty["nats"] = {**floaty["nats"], "version": 2.0}  # 2.0 reads as 2
    files = {
        "good": user("good", account),
        "by-signing-key": user("by-signing-key", signing),
        "renamed": user("renamed", account, "other name"),
        "by-other-account": user("by-other-account", other),
        "forged-other-account": _tampered(user("forged-other-account", other)),
        "forged": _tampered(user("forged", account)),
        "by-operator": _signed(
            {**c.peek(user("x", account)), "iss": operator.public_key}, operator
        ),
        "other-header": _signed(
            c.peek(user("other-header", account)), account,
            _b64(b'{"alg":"ed25519-nkey","typ":"jwt"}'),
        ),
        "float-version": _signed(floaty, account),
        "not-a-key-issuer": _signed({**c.peek(user("x", account)), "iss": "ANOTAKEY"}, account),
        "account-jwt": store.account_token("A"),
        "garbage": "garbage",
        "empty": "",
        "bad-base64": user("bad-base64", account).replace(".", ".!", 1),
        "not-json": f"{c._codec.HEADER_B64}.{_b64(b'nope')}.{_b64(bytes(64))}",
        "not-an-object": f"{c._codec.HEADER_B64}.{_b64(b'[1]')}.{_b64(bytes(64))}",
        "bad-field": user("bad-field", account).split(".")[0]
        + "."
        + _b64(b'{"sub":"U","iss":"A","nats":{"type":"user","version":2,"pub":{"allow":"x"}}}')
        + "."
        + _b64(bytes(64)),
        "newer": f"{c._codec.HEADER_B64}."
        + _b64(b'{"nats":{"type":"user","version":3}}')
        + f".{_b64(bytes(64))}",
        "v1": _v1_user(account, keys.generate("user").public_key),
        "crlf": user("crlf", account) + "\r\n",
        "padded": "\n  " + user("padded", account) + "\n\n",
    }
    for name, token in files.items():
        (users / f"{name}.jwt").write_text(token)
    (users / "latin1.jwt").write_bytes(b"\xe9t\xe9")
    (users / "dir.jwt").mkdir()  # not a file: not a user
    (users / "notes.txt").write_text("not a user")
    (users / ".hidden.jwt").write_text(user(".hidden", account))
    return store, account, signing


def _one_by_one(store: Store) -> dict[str, str]:
    out = {}
    for name in store.user_names("A"):
        try:
            out[name] = store.user("A", name).sub
        except NscError as e:
            out[name] = f"error: {e}"
    return out


def _all_at_once(
    store: Store, *, verify: bool = True, issuers: Collection[str] = ()
) -> dict[str, str]:
    return {
        name: f"error: {user}" if isinstance(user, NscError) else user.sub
        for name, user in store.users("A", verify=verify, issuers=issuers)
    }


def test_user_names_are_the_jwt_files_sorted(
    store: tuple[Store, keys.KeyPair, keys.KeyPair],
) -> None:
    s, _, _ = store
    names = s.user_names("A")
    assert names == sorted(names)
    assert {".hidden", "latin1", "good"} <= set(names)
    assert not {"dir", "notes"} & set(names)
    assert s.user_names("NOPE") == []
    assert [name for name, _ in s.user_files("A")] == names


def test_verified_reading_is_the_one_by_one_reading(
    store: tuple[Store, keys.KeyPair, keys.KeyPair],
) -> None:
    s, _, _ = store
    one_by_one = _one_by_one(s)
    assert _all_at_once(s) == one_by_one
    # every kind of bad file is an error, and the good ones are not
    for bad in ("forged", "forged-other-account", "by-operator", "account-jwt", "garbage",
                "empty", "bad-base64", "not-json", "not-an-object", "bad-field", "newer",
                "latin1", "not-a-key-issuer"):  # fmt: skip
        assert one_by_one[bad].startswith("error: "), bad
    for good in ("good", "by-signing-key", "renamed", "by-other-account", "v1", "crlf",
                 "padded", ".hidden", "other-header", "float-version"):  # fmt: skip
        assert not one_by_one[good].startswith("error: "), good


def test_a_listing_skips_only_the_signatures_of_the_accounts_keys(
    store: tuple[Store, keys.KeyPair, keys.KeyPair],
) -> None:
    s, account, signing = store
    one_by_one = _one_by_one(s)
    listed = _all_at_once(s, verify=False, issuers={account.public_key, signing.public_key})
    forged = c.peek((s.dir / "accounts" / "A" / "users" / "forged.jwt").read_text())["sub"]
    assert listed == {**one_by_one, "forged": forged}
    # with no issuers known, every signature is checked
    assert _all_at_once(s, verify=False) == one_by_one


def test_read_jwt_file(tmp_path: Path) -> None:
    path = tmp_path / "x.jwt"
    path.write_text("  a.b.c\n")
    assert read_jwt_file(str(path)) == "a.b.c"
    path.write_text("a" * 40_000 + "\n")  # more than one read
    assert read_jwt_file(str(path)) == "a" * 40_000
    path.write_text("a.b.c\r\n")  # newline translation: the slow path's
    assert read_jwt_file(str(path)) is None
    path.write_bytes(b"\xff")
    assert read_jwt_file(str(path)) is None
    assert read_jwt_file(str(tmp_path / "missing")) is None
    assert read_jwt_file(str(tmp_path)) is None
