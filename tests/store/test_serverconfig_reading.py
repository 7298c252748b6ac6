"""How a server configuration reads the account JWTs (:class:`ServerInventory.load`): the quick
read of each account JWT takes exactly what the full decode takes, to the same name and key, and
leaves everything else to the full decode (which accepts it, or refuses it as ever)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from pynsc import claims, keys
from pynsc.claims._codec import HEADER_B64
from pynsc.errors import DecodeError, StoreError
from pynsc.keys import KeyPair
from pynsc.store import ops
from pynsc.store.serverconfig import ServerInventory, _AccountReader
from pynsc.store.store import Store

OPERATOR = keys.generate("operator")
SIGNER = keys.generate("operator")
STRANGER = keys.generate("operator")
ACCOUNT = keys.generate("account")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _token(payload: Any, signer: KeyPair = OPERATOR, *, raw: bytes | None = None) -> str:
    body = _b64(raw if raw is not None else json.dumps(payload).encode("utf-8"))
    signed = f"{HEADER_B64}.{body}"
    return f"{signed}.{_b64(signer.sign(signed.encode('ascii')))}"


def _payload(**changes: Any) -> dict[str, Any]:
    account = claims.AccountClaims(sub=ACCOUNT.public_key, name="A")
    account.nats.signing_keys[keys.generate("account").public_key] = None
    payload = json.loads(base64.urlsafe_b64decode(_pad(claims.encode(account, OPERATOR))))
    for path, value in changes.items():
        target = payload
        *parents, last = path.split("__")
        for parent in parents:
            target = target[parent]
        if value is _DROP:
            del target[last]
        else:
            target[last] = value
    return payload


def _pad(token: str) -> str:
    body = token.split(".")[1]
    return body + "=" * (-len(body) % 4)


_DROP = object()

_CHANGES: list[dict[str, Any]] = [
    {},
    {"name": _DROP},
    {"name": 7},
    {"name": None},
    {"name": "B \"quoted\" é"},
    {"iat": 1.0},
    {"iat": True},
    {"iat": "1"},
    {"exp": 10},
    {"aud": 3},
    {"jti": None},
    {"sub": _DROP},
    {"sub": keys.generate("user").public_key},
    {"sub": 5},
    {"iss": ACCOUNT.public_key},
    {"iss": SIGNER.public_key},
    {"iss": STRANGER.public_key},
    {"iss": 1},
    {"iss": [1]},
    {"iss": {"a": 1}},
    {"sub": ["A"]},
    {"nats__type": ["account"]},
    {"nats__version": [2]},
    {"iss": _DROP},
    {"type": "account"},
    {"type": None},
    {"nats": None},
    {"nats": []},
    {"nats__type": "user"},
    {"nats__type": _DROP},
    {"nats__version": 1},
    {"nats__version": 3},
    {"nats__version": 2.0},
    {"nats__version": "2"},
    {"nats__version": True},
    {"nats__limits__subs": "x"},
    {"nats__limits__subs": 1.0},
    {"nats__limits__subs": 1.5},
    {"nats__limits__wildcards": 1},
    {"nats__limits__wildcards": None},
    {"nats__limits": 1},
    {"nats__signing_keys": "A"},
    {"nats__signing_keys": [1]},
    {"nats__exports": [{"subject": "a", "type": "nonsense"}]},
    {"nats__exports": [{"subject": "a", "type": "service"}]},
    {"nats__exports": {}},
    {"nats__tags": [1]},
    {"nats__unknown": {"anything": [1, 2.5, None]}},
    {"unknown": [1]},
]


@pytest.fixture
def reader() -> _AccountReader:
    operator = claims.OperatorClaims(sub=OPERATOR.public_key, name="O")
    operator.nats.signing_keys.append(SIGNER.public_key)
    return _AccountReader(operator)


def _full(token: str) -> tuple[str, str] | None:
    try:
        account = claims.decode_unverified(token, claims.AccountClaims)
    except DecodeError:
        return None
    return account.name, account.sub


def _agrees(reader: _AccountReader, token: str) -> None:
    quick = reader.read(token)
    if quick is not None:  # None: left to the full decode
        assert quick == _full(token)


@pytest.mark.parametrize("changes", _CHANGES, ids=lambda c: ",".join(c) or "as-written")
def test_the_quick_read_takes_only_what_the_full_decode_takes(
    reader: _AccountReader, changes: dict[str, Any]
) -> None:
    token = _token(_payload(**changes))
    _agrees(reader, token)
    _agrees(reader, token)  # again, now that its nats object is known


def test_the_usual_account_jwt_is_read_the_quick_way(reader: _AccountReader) -> None:
    for signer in (OPERATOR, SIGNER):
        payload = _payload(iss=signer.public_key)
        assert reader.read(_token(payload, signer)) == ("A", ACCOUNT.public_key)


def test_a_known_nats_object_with_a_bad_member_is_still_refused(reader: _AccountReader) -> None:
    good = _payload()
    assert reader.read(_token(good)) is not None
    bad = _payload(nats__limits__subs="x")
    bad["nats"]["signing_keys"] = good["nats"]["signing_keys"]
    assert reader.read(_token(bad)) is None
    assert _full(_token(bad)) is None
    # 1 and True are equal in Python, but not to the decoder
    assert reader.read(_token(_payload(nats__limits__wildcards=True))) is not None
    assert reader.read(_token(_payload(nats__limits__wildcards=1))) is None


@pytest.mark.parametrize(
    "raw",
    [
        b' {"nats": {}}',
        b"\xef\xbb\xbf{}",
        b"{}  ",
        b'{"a": 1} {"b": 2}',
        b"[" * 200 + b"]" * 200,
        b'{"x": ' + b"[" * 150 + b"]" * 150 + b"}",
        b'{"nats": {"type": "account", "version": 2}, "nats": 1}',
        b'{"iat": NaN, "nats": {"type": "account", "version": 2}}',
        b"\xff",
        b"",
    ],
)
def test_odd_payloads_are_left_to_the_full_decode(reader: _AccountReader, raw: bytes) -> None:
    _agrees(reader, _token(None, raw=raw))


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t + "=",
        lambda t: t.replace(".", "=.", 1).replace(".", ".", 1),
        lambda t: t.replace("-", "+").replace("_", "/"),
        lambda t: " " + t,
        lambda t: t + "\n",
        lambda t: t.rsplit(".", 1)[0],
        lambda t: t + ".x",
        lambda t: "eyJ0eXAiOiJqd3QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ" + t[t.index(".") :],
        lambda t: t.rsplit(".", 1)[0] + ".é",
        lambda t: t.rsplit(".", 1)[0] + ".",
        lambda t: t[: t.index(".") + 1] + "A" + t[t.index(".") + 1 :],
    ],
)
def test_odd_framing_is_left_to_the_full_decode(reader: _AccountReader, mangle: Any) -> None:
    for payload in (_payload(), _payload(iss=SIGNER.public_key)):
        _agrees(reader, mangle(_token(payload)))


# Through ServerInventory.load -------------------------------------------------------------------


def _store(tmp_path: Path) -> Store:
    store = Store.create(tmp_path, "O")
    operator = claims.OperatorClaims(sub=OPERATOR.public_key, name="O")
    operator.nats.signing_keys.append(SIGNER.public_key)
    ops.save_operator(store, operator, OPERATOR)
    return store


def test_load_names_and_sorts_accounts_read_either_way(tmp_path: Path) -> None:
    store = _store(tmp_path)
    quick = _payload(name="quick")
    strange = _payload(iss=STRANGER.public_key, name="")  # not the operator's: the full decode
    strange["sub"] = keys.generate("account").public_key
    store.write_account("quick", _token(quick))
    store.write_account("strange", _token(strange, STRANGER))
    inventory = ServerInventory.load(store)
    by_dir = {e.directory: e for e in inventory.accounts}
    assert by_dir["quick"].name == "quick"
    assert by_dir["quick"].public_key == ACCOUNT.public_key
    assert by_dir["strange"].name == "strange"  # no name in the JWT: the directory's
    assert [e.public_key for e in inventory.accounts] == sorted([quick["sub"], strange["sub"]])


def test_load_refuses_a_malformed_member_with_the_full_decode_message(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.write_account("A", _token(_payload()))
    store.write_account("B", _token(_payload(nats__limits__subs="x")))
    with pytest.raises(StoreError) as failure:
        ServerInventory.load(store)
    assert str(failure.value).startswith('the JWT of account "B" in `')
    assert str(failure.value).endswith(
        "is invalid: invalid JWT: nats.limits.subs should be an integer, not str"
    )
