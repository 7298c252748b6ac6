"""``pynsc reissue operator``: a new identity, re-signed accounts, §4.13."""

from __future__ import annotations

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.store import Store
from tests.cli.operator.conftest import Env, assert_valid, error_line


def _operator(env: Env, name: str = "O") -> c.OperatorClaims:
    claims: c.OperatorClaims = assert_valid(env.store(name).operator_token(), c.OperatorClaims)
    return claims


def test_reissue_resigns_accounts(env: Env) -> None:
    env.add_account("A")
    sk = keys.generate("operator")
    env.ok("edit", "operator", "--sk", sk.seed or "")
    env.add_account("B", signer=sk)
    result = env.ok("reissue", "operator")
    operator = _operator(env)
    assert operator.sub != env.operator.public_key
    assert operator.iss == operator.sub
    assert env.keystore.has(operator.sub)
    a = assert_valid(env.store().account_token("A"), c.AccountClaims)
    b = assert_valid(env.store().account_token("B"), c.AccountClaims)
    assert a.iss == operator.sub
    assert b.iss == sk.public_key  # signed by a signing key: left alone
    assert operator.did_sign(a)
    assert operator.did_sign(b)
    assert result.stderr.splitlines() == [
        f'[ OK ] operator "O" successfully changed identity to: {operator.sub}',
        '[ OK ] account "A" re-signed',
        '[ OK ] account "B" already signed properly',
        "all jobs succeeded",
    ]


def test_convert_to_signing_key(env: Env) -> None:
    env.add_account("A")
    token = env.store().account_token("A")
    result = env.ok("reissue", "operator", "--convert-to-signing-key")
    operator = _operator(env)
    assert operator.nats.signing_keys == [env.operator.public_key]
    assert env.store().account_token("A") == token  # nothing re-signed
    assert operator.did_sign(c.decode(token, c.AccountClaims))
    assert result.stderr == (
        f'[ OK ] operator "O" successfully changed identity to: {operator.sub}\n'
        f'[ OK ] old operator key "{env.operator.public_key}" turned into signing key\n'
        "all jobs succeeded\n"
    )
    # and once more by name: the first old key stays a signing key
    env.ok("reissue", "operator", "--name", "O")
    again = _operator(env)
    assert again.sub != operator.sub
    assert again.nats.signing_keys == [env.operator.public_key]
    assert again.did_sign(env.store().account("A"))


def test_reissue_with_key(env: Env) -> None:
    env.add_account("A")
    new = keys.generate("operator")
    result = env.ok("reissue", "operator", "-K", new.seed or "")
    assert _operator(env).sub == new.public_key
    assert env.keystore.get(new.public_key) == new
    assert result.stderr.splitlines() == [
        f'[ OK ] operator "O" successfully changed identity to: {new.public_key}',
        '[ OK ] account "A" re-signed',
        "all jobs succeeded",
    ]
    assert env.store().account("A").iss == new.public_key


def test_strict_operator(env: Env) -> None:
    sk = keys.generate("operator")
    env.ok("edit", "operator", "--sk", sk.seed or "")
    env.add_account("A", signer=sk)
    env.ok("edit", "operator", "--require-signing-keys")
    env.ok("reissue", "operator", "--convert-to-signing-key")
    operator = _operator(env)
    assert operator.nats.strict_signing_key_usage
    assert operator.did_sign(env.store().account("A"))
    env.ok("reissue", "operator")
    assert _operator(env).did_sign(env.store().account("A"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-K", "SAADOZRUTPZS6LIXS6CSSSW5GXY3DNMQMSDTVWHQNHQTIBPGNSADSMBPEU"),
         "specified key is not a valid operator nkey"),
        (("--name", "NOPE"), 'operator "NOPE" not in'),
    ],
)
def test_bad_input_changes_nothing(env: Env, args: tuple[str, ...], message: str) -> None:
    env.add_account("A")
    before = env.digest()
    assert error_line(env.run("reissue", "operator", *args)).startswith(message)
    assert env.digest() == before


def test_same_key_is_refused(env: Env) -> None:
    before = env.digest()
    message = error_line(env.run("reissue", "operator", "-K", env.operator.seed or ""))
    assert "is already the identity of operator" in message
    assert env.digest() == before


def test_managed_operator_is_refused(env: Env) -> None:
    store = Store.create(env.dir, "M", managed=True)
    store.write_operator(env.store().operator_token())
    before = env.digest()
    assert error_line(env.run("reissue", "operator", "-n", "M")) == (
        "resign is only supported in non managed stores"
    )
    assert env.digest() == before


def test_json(env: Env) -> None:
    env.add_account("A")
    payload = env.json("reissue", "operator")
    assert payload["data"]["resigned_accounts"] == ["A"]
    assert payload["data"]["old_public_key"] == env.operator.public_key
