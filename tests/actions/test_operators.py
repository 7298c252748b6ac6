"""The operator rules, at the library level: add, import, edit, re-issue (no CLI involved)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from pynsc import claims, keys
from pynsc.actions import Nsc, add_user
from pynsc.actions.operators import (
    MIN_SERVER_VERSION_NOTE,
    OperatorChanges,
    add_operator,
    edit_operator,
    find_known_operator,
    import_operator,
    operator_name_for,
    reissue_operator,
    resolve_operator_location,
    well_known_operators,
)
from pynsc.claims import AccountClaims, JetStreamLimits, OperatorClaims, UserClaims
from pynsc.errors import ExistsError, InvalidKeyError, NotFoundError, StoreError, UsageError
from pynsc.store.layout import InvalidNameError
from pynsc.store.ops import save_account

from .builders import deployment


def snapshot(nsc: Nsc) -> Any:
    """Every JWT of every operator and the stored keys: what a refused action must not change."""
    stores = {}
    for name in nsc.operators():
        store = nsc.store(name)
        stores[name] = (
            store.operator_token(),
            {a: store.account_token(a) for a in store.account_names()},
            {a: {u: store.user_token(a, u) for u in store.user_names(a)}
             for a in store.account_names()},
        )  # fmt: skip
    return stores, nsc.keystore.list()


def _lines(report: Any) -> list[str]:
    return [entry.text for entry in report.children]


def _operator_file(tmp_path: Path, name: str = "IMP", *, asu: str = "", key: Any = None) -> Path:
    key = key or keys.generate("operator")
    op = OperatorClaims(sub=key.public_key, name=name)
    op.nats.account_server_url = asu
    path = tmp_path / f"{name}.jwt"
    path.write_text(claims.encode(op, key))
    return path


# add_operator --------------------------------------------------------------------------------


def test_add_generates_stores_and_selects_in_memory() -> None:
    nsc = Nsc.memory()
    result = add_operator(nsc, "O")
    assert nsc.operator == "O"
    assert nsc.account == ""
    op = claims.decode(result.jwt, OperatorClaims)
    assert op.iss == op.sub == result.public_key
    assert nsc.keystore.has(op.sub)
    assert nsc.store("O").operator_token() == result.jwt
    assert not result.managed
    assert _lines(result.report) == [
        f'generated and stored operator key "{op.sub}"',
        'added operator "O"',
        MIN_SERVER_VERSION_NOTE,
    ]


def test_add_name_rules() -> None:
    nsc = Nsc.memory()
    with pytest.raises(InvalidNameError, match="operator name is required"):
        add_operator(nsc, " ")
    with pytest.raises(InvalidNameError, match="cannot contain"):
        add_operator(nsc, "a/b")
    assert "_" in add_operator(nsc, "*").name
    add_operator(nsc, "O")
    before = snapshot(nsc)
    with pytest.raises(ExistsError, match='operator named "O" exists already'):
        add_operator(nsc, "O")
    assert snapshot(nsc) == before


def test_add_with_a_given_key(tmp_path: Path) -> None:
    nsc = Nsc.memory()
    seed_key = keys.generate("operator")
    result = add_operator(nsc, "O", key=seed_key.seed)
    assert result.public_key == seed_key.public_key
    assert nsc.keystore.get(seed_key.public_key) == seed_key
    assert _lines(result.report)[0] == f'stored operator key "{seed_key.public_key}"'
    # from a file, and as a pair
    file_key = keys.generate("operator")
    (tmp_path / "op.nk").write_text(file_key.seed or "")
    assert add_operator(nsc, "P", key=str(tmp_path / "op.nk")).public_key == file_key.public_key
    pair = keys.generate("operator")
    assert add_operator(nsc, "Q", key=pair).public_key == pair.public_key
    # a stored public key is enough: its seed is in the keystore
    result = add_operator(nsc, "R", key=pair.public_key)
    assert result.public_key == pair.public_key
    assert "stored operator key" not in " ".join(_lines(result.report))


def test_add_key_must_be_an_operator_seed() -> None:
    nsc = Nsc.memory()
    with pytest.raises(InvalidKeyError, match="specified key is not a valid operator nkey"):
        add_operator(nsc, "O", key=keys.generate("account").seed)
    public = keys.generate("operator").public_key
    with pytest.raises(InvalidKeyError, match=f"the seed of operator key {public} is not"):
        add_operator(nsc, "O", key=public)
    assert nsc.operators() == []
    assert nsc.keystore.list() == []


def test_add_signing_key_and_system_account() -> None:
    nsc = Nsc.memory()
    result = add_operator(nsc, "O", signing_key=True, system_account=True)
    op = result.claims
    (sk,) = op.nats.signing_keys
    assert nsc.keystore.has(sk)
    store = nsc.store()
    sys_account = store.account("SYS")
    assert op.nats.system_account == sys_account.sub
    assert sys_account.iss == sk  # signed by the new signing key
    assert {e.subject for e in sys_account.nats.exports} == {
        "$SYS.REQ.ACCOUNT.*.*", "$SYS.ACCOUNT.*.>",
    }  # fmt: skip
    (account_sk,) = sys_account.nats.signing_keys
    sys_user = store.user("SYS", "sys")
    assert (sys_user.iss, sys_user.nats.issuer_account) == (account_sk, sys_account.sub)
    assert nsc.keystore.read_creds("O", "SYS", "sys") is not None
    assert result.system_account is not None
    assert result.system_account.public_key == sys_account.sub
    assert nsc.account == "SYS"
    assert f"created operator signing key: {sk}" in _lines(result.report)
    assert result.report.data["system_user"]["public_key"] == sys_user.sub


def test_add_system_account_without_signing_key_is_signed_by_the_identity() -> None:
    nsc = Nsc.memory()
    result = add_operator(nsc, "O", system_account=True)
    assert nsc.store().account("SYS").iss == result.public_key


def test_add_validity() -> None:
    nsc = Nsc.memory()
    op = add_operator(nsc, "O", start=1514764800, expiry=2524608000).claims
    assert (op.nbf, op.exp) == (1514764800, 2524608000)


def test_add_on_disk_saves_the_context_only_when_asked(tmp_path: Path) -> None:
    nsc = Nsc.open(all_dirs=tmp_path)
    add_operator(nsc, "O")
    assert not (tmp_path / "nsc.json").exists()
    add_operator(nsc, "P", save_current=True)
    config = json.loads((tmp_path / "nsc.json").read_text())
    assert config["operator"] == "P"
    assert Nsc.open(all_dirs=tmp_path).operator == "P"


# import_operator ------------------------------------------------------------------------------


def test_import_from_a_file_is_managed_and_current(tmp_path: Path) -> None:
    nsc = Nsc.memory()
    path = _operator_file(tmp_path, asu="http://127.0.0.1:1/jwt/v1")
    result = import_operator(nsc, str(path))
    assert result.managed
    assert nsc.operator == "IMP"
    store = nsc.store()
    assert store.is_managed
    assert store.operator_token() == path.read_text()
    assert nsc.keystore.list() == []  # no operator seed for a managed operator
    assert result.report.data["account_server_url"] == "http://127.0.0.1:1/jwt/v1"
    # another name, and '*' for a random one
    assert import_operator(nsc, str(path), name="Other").name == "Other"
    assert "_" in import_operator(nsc, str(path), name="*").name


def test_import_decorated_jwt(tmp_path: Path) -> None:
    key = keys.generate("operator")
    token = claims.encode(OperatorClaims(sub=key.public_key, name="D"), key)
    path = tmp_path / "d.jwt"
    path.write_text(claims.decorate(token))
    nsc = Nsc.memory()
    import_operator(nsc, str(path))
    assert nsc.store("D").operator_token() == token


def test_import_again_needs_force_and_warns_for_another_entity(tmp_path: Path) -> None:
    nsc = Nsc.memory()
    path = _operator_file(tmp_path)
    import_operator(nsc, str(path))
    before = snapshot(nsc)
    with pytest.raises(ExistsError, match="operator named IMP exists already"):
        import_operator(nsc, str(path))
    assert snapshot(nsc) == before
    assert import_operator(nsc, str(path), force=True).report.status.name == "OK"
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other = _operator_file(other_dir)
    result = import_operator(nsc, str(other), force=True)
    assert _lines(result.report)[0] == (
        "existing and new operator represent different entities, forced to continue"
    )
    assert nsc.store("IMP").operator_token() == other.read_text()


def test_import_refuses_v1_and_other_jwts(tmp_path: Path) -> None:
    key = keys.generate("operator")
    payload = {"jti": "X", "iat": 1, "iss": key.public_key, "sub": key.public_key,
               "name": "V1", "type": "operator", "nats": {}}  # fmt: skip

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(b'{"typ":"jwt","alg":"ed25519"}')
    body = b64(json.dumps(payload).encode())
    signature = b64(key.sign(body.encode()))  # v1 (nsc 0.5) signed the body alone
    v1 = tmp_path / "v1.jwt"
    v1.write_text(f"{header}.{body}.{signature}")
    nsc = Nsc.memory()
    with pytest.raises(StoreError, match=r"the operator jwt \(v1\) is incompatible"):
        import_operator(nsc, str(v1))
    account = keys.generate("account")
    not_operator = tmp_path / "a.jwt"
    not_operator.write_text(claims.encode(AccountClaims(sub=account.public_key, name="A"), account))
    with pytest.raises(StoreError, match="error importing operator jwt"):
        import_operator(nsc, str(not_operator))
    with pytest.raises(NotFoundError, match="does not exist"):
        import_operator(nsc, str(tmp_path / "missing.jwt"))
    assert nsc.operators() == []


def test_well_known_operators(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"NSC_ACME_OPERATOR": "http://acme/jwt/v1/operator", "OTHER": "x"}
    assert [k.name for k in well_known_operators(env)] == ["synadia", "ACME"]
    assert find_known_operator("acme", env) is not None
    assert find_known_operator("nope", env) is None
    assert operator_name_for("JWTNAME", "http://acme/jwt/v1/operator", env) == "ACME"
    assert operator_name_for("JWTNAME", "http://elsewhere", env) == "JWTNAME"
    monkeypatch.setenv("NSC_ACME_OPERATOR", "http://acme/jwt/v1/operator")
    assert resolve_operator_location("acme") == "http://acme/jwt/v1/operator"
    assert resolve_operator_location("/no/such/file.jwt") == "/no/such/file.jwt"


# edit_operator --------------------------------------------------------------------------------


def test_edit_signing_keys(tmp_path: Path) -> None:
    d = deployment()
    public, seeded, in_file = (keys.generate("operator") for _ in range(3))
    (tmp_path / "sk.nk").write_text(in_file.seed or "")
    result = edit_operator(
        d.nsc,
        OperatorChanges(signing_keys=(public.public_key, seeded.seed or "", "generate",
                                      str(tmp_path / "sk.nk"))),
    )  # fmt: skip
    sks = result.claims.nats.signing_keys
    assert sks[1:3] == [public.public_key, seeded.public_key]
    assert sks[4] == in_file.public_key
    assert d.nsc.keystore.has(sks[3])  # generated
    assert d.nsc.keystore.has(seeded.public_key)
    assert d.nsc.keystore.has(in_file.public_key)
    assert not d.nsc.keystore.has(public.public_key)
    assert result.claims.iss == d.operator.public_key
    assert _lines(result.report)[-1] == 'edited operator "O"'
    edit_operator(d.nsc, OperatorChanges(rm_signing_keys=(seeded.public_key,)))
    assert seeded.public_key not in d.nsc.store().operator().nats.signing_keys


def test_edit_signing_key_rules() -> None:
    d = deployment()
    before = snapshot(d.nsc)
    with pytest.raises(InvalidKeyError, match="invalid operator signing key"):
        edit_operator(d.nsc, OperatorChanges(signing_keys=(keys.generate("account").seed or "",)))
    with pytest.raises(InvalidKeyError, match="invalid operator signing key"):
        edit_operator(d.nsc, OperatorChanges(signing_keys=("nonsense",)))
    with pytest.raises(InvalidKeyError, match="identity cannot also be its signing key"):
        edit_operator(d.nsc, OperatorChanges(signing_keys=(d.operator.public_key,)))
    key = keys.generate("operator").public_key
    with pytest.raises(StoreError, match=f'"{key}" is not a signing key of operator "O"'):
        edit_operator(d.nsc, OperatorChanges(rm_signing_keys=(key,)))
    assert snapshot(d.nsc) == before


def test_edit_lists_refuse_one_string() -> None:
    with pytest.raises(UsageError, match="tags takes a list"):
        OperatorChanges(tags="one")  # type: ignore[arg-type]


def test_edit_strict_needs_a_signing_key_and_signing_key_issued_entities() -> None:
    nsc = Nsc.memory()
    add_operator(nsc, "O")
    with pytest.raises(StoreError, match="operator requires at least one signing key"):
        edit_operator(nsc, OperatorChanges(require_signing_keys=True))
    d = deployment()  # A and SYS are issued by the operator identity
    with pytest.raises(StoreError, match='account "A" needs to be issued with a signing key'):
        edit_operator(d.nsc, OperatorChanges(require_signing_keys=True))


def test_edit_strict_checks_users_too() -> None:
    d = deployment(strict=True)  # accounts issued by the operator signing key
    edit_operator(d.nsc, OperatorChanges(require_signing_keys=False))
    add_user(d.nsc, "U")  # issued by the account identity
    with pytest.raises(StoreError, match='user "U" in account "A" needs to be issued'):
        edit_operator(d.nsc, OperatorChanges(require_signing_keys=True))
    d.nsc.store().delete_user("A", "U")
    add_user(d.nsc, "U", signer=d.signing.public_key)
    result = edit_operator(d.nsc, OperatorChanges(require_signing_keys=True))
    assert "strict signing key usage set to: true" in _lines(result.report)
    assert result.claims.nats.strict_signing_key_usage


def test_edit_account_server_url_schemes() -> None:
    d = deployment()
    for url in ("https://foo.com/v1/jwt/accounts", "nats://localhost:4222", "wss://h:443"):
        result = edit_operator(d.nsc, OperatorChanges(account_server_url=url))
        assert result.claims.nats.account_server_url == url
    with pytest.raises(StoreError, match='invalid account jwt server url "ftp://x"'):
        edit_operator(d.nsc, OperatorChanges(account_server_url="ftp://x"))
    with pytest.raises(StoreError, match="invalid account jwt server url"):
        edit_operator(d.nsc, OperatorChanges(account_server_url="http://"))
    with pytest.raises(UsageError, match="mutually exclusive"):
        OperatorChanges(account_server_url="http://h", rm_account_server_url=True)
    result = edit_operator(d.nsc, OperatorChanges(rm_account_server_url=True))
    assert result.claims.nats.account_server_url == ""
    assert "removed account server url" in _lines(result.report)


def test_edit_service_url_schemes() -> None:
    d = deployment()
    u1, u2 = "nats://localhost:4222", "TLS://localhost:4333"
    result = edit_operator(d.nsc, OperatorChanges(service_urls=(u1, u2)))
    assert result.claims.nats.operator_service_urls == [u1, u2.lower()]
    with pytest.raises(StoreError, match="protocol not supported"):
        edit_operator(d.nsc, OperatorChanges(service_urls=("http://localhost:4222",)))
    edit_operator(d.nsc, OperatorChanges(rm_service_urls=(u1,)))
    with pytest.raises(StoreError, match=f'"{u1}" is not a service url of operator "O"'):
        edit_operator(d.nsc, OperatorChanges(rm_service_urls=(u1,)))


def test_edit_system_account() -> None:
    d = deployment()
    result = edit_operator(d.nsc, OperatorChanges(system_account="A"))
    assert result.claims.nats.system_account == d.account.public_key
    assert f'set system account "{d.account.public_key}"' in _lines(result.report)
    other = keys.generate("account").public_key  # not in this store: taken as it is
    result = edit_operator(d.nsc, OperatorChanges(system_account=other))
    assert result.claims.nats.system_account == other
    with pytest.raises(NotFoundError, match="account NOPE does not exist in the current operator"):
        edit_operator(d.nsc, OperatorChanges(system_account="NOPE"))
    with pytest.raises(UsageError, match="an account name or public key is required"):
        edit_operator(d.nsc, OperatorChanges(system_account=" "))


def test_edit_system_account_has_no_jetstream() -> None:
    d = deployment()
    store = d.nsc.store()
    account = store.account("A")
    account.nats.limits.disk_storage = 1024
    save_account(store, "A", account, d.operator)
    with pytest.raises(StoreError, match="system accounts cannot have JetStream limits"):
        edit_operator(d.nsc, OperatorChanges(system_account="A"))
    account.nats.limits.disk_storage = 0
    account.nats.limits.tiered_limits = {"R3": JetStreamLimits(disk_storage=1024)}
    save_account(store, "A", account, d.operator)
    with pytest.raises(StoreError, match="system accounts cannot have tiered JetStream limits"):
        edit_operator(d.nsc, OperatorChanges(system_account="A"))


def test_edit_tags_and_validity_keep_other_fields() -> None:
    d = deployment()
    result = edit_operator(d.nsc, OperatorChanges(tags=("One", " Two "), expiry=2524608000))
    assert result.claims.nats.tags == ["one", "two"]
    assert 'added tag "one"' in _lines(result.report)
    assert "changed jwt expiry to 2050-01-01 00:00:00 UTC" in _lines(result.report)
    result = edit_operator(d.nsc, OperatorChanges(rm_tags=("TWO",), start=1555113600))
    assert result.claims.nats.tags == ["one"]
    assert (result.claims.nbf, result.claims.exp) == (1555113600, 2524608000)
    assert edit_operator(d.nsc, OperatorChanges(expiry=0)).claims.exp == 0


def test_edit_is_signed_by_the_identity_only() -> None:
    d = deployment()
    d.nsc.keystore.remove(d.operator.public_key)
    with pytest.raises(Exception, match="unable to resolve any of the following signing keys"):
        edit_operator(d.nsc, OperatorChanges(tags=("x",)))
    assert edit_operator(d.nsc, OperatorChanges(tags=("x",)), signer=d.operator).claims.iss == (
        d.operator.public_key
    )
    sk = d.nsc.store().operator().nats.signing_keys[0]
    with pytest.raises(InvalidKeyError, match="must be signed by the operator identity"):
        edit_operator(d.nsc, OperatorChanges(tags=("y",)), signer=sk)


# reissue_operator -----------------------------------------------------------------------------


def test_reissue_resigns_what_the_old_identity_issued() -> None:
    d = deployment()
    store = d.nsc.store()
    sk = keys.generate("operator")
    op = store.operator()
    op.nats.signing_keys.append(sk.public_key)
    store.write_operator(claims.encode(op, d.operator))
    d.nsc.keystore.store(sk)
    save_account(store, "SYS", store.account("SYS"), sk)
    result = reissue_operator(d.nsc)
    new = store.operator()
    assert new.sub == result.public_key != d.operator.public_key
    assert new.iss == new.sub
    assert d.nsc.keystore.has(new.sub)
    assert store.account("A").iss == new.sub
    assert store.account("SYS").iss == sk.public_key  # left alone
    assert result.resigned_accounts == ["A"]
    assert result.old_public_key == d.operator.public_key
    assert _lines(result.report) == [
        f'operator "O" successfully changed identity to: {new.sub}',
        'account "A" re-signed',
        'account "SYS" already signed properly',
    ]


def test_reissue_convert_to_signing_key_resigns_nothing() -> None:
    d = deployment()
    token = d.account_jwt()
    result = reissue_operator(d.nsc, convert_to_signing_key=True)
    op = d.nsc.store().operator()
    assert d.operator.public_key in op.nats.signing_keys
    assert d.account_jwt() == token
    assert op.did_sign(claims.decode(token, AccountClaims))
    assert result.resigned_accounts == []


def test_reissue_with_a_given_key_and_its_rules() -> None:
    d = deployment()
    before = snapshot(d.nsc)
    with pytest.raises(InvalidKeyError, match="specified key is not a valid operator nkey"):
        reissue_operator(d.nsc, key=keys.generate("account").seed)
    with pytest.raises(InvalidKeyError, match="is already the identity of operator"):
        reissue_operator(d.nsc, key=d.operator)
    public = keys.generate("operator").public_key
    with pytest.raises(InvalidKeyError, match="failed to find operator key"):
        reissue_operator(d.nsc, key=public)
    with pytest.raises(NotFoundError, match='operator "NOPE" not in'):
        reissue_operator(d.nsc, operator="NOPE")
    assert snapshot(d.nsc) == before
    new = keys.generate("operator")
    assert reissue_operator(d.nsc, key=new.seed).public_key == new.public_key
    assert d.nsc.keystore.get(new.public_key) == new


def test_reissue_strict_resigns_with_a_signing_key() -> None:
    d = deployment(strict=True)
    result = reissue_operator(d.nsc)
    op = d.nsc.store().operator()
    assert op.nats.strict_signing_key_usage
    # the accounts were issued by the signing key, which stays: nothing to re-sign
    assert result.resigned_accounts == []
    assert op.did_sign(d.nsc.store().account("A"))


def test_reissue_strict_without_signing_keys_is_refused() -> None:
    nsc = Nsc.memory()
    add_operator(nsc, "O")
    store = nsc.store()
    op = store.operator()
    op.nats.strict_signing_key_usage = True
    op_key = nsc.keystore.get(op.sub)
    assert op_key is not None
    store.write_operator(claims.encode(op, op_key))
    with pytest.raises(StoreError, match="only supported with signing keys present"):
        reissue_operator(nsc)


def test_reissue_managed_is_refused(tmp_path: Path) -> None:
    nsc = Nsc.memory()
    import_operator(nsc, str(_operator_file(tmp_path)))
    with pytest.raises(StoreError, match="resign is only supported in non managed stores"):
        reissue_operator(nsc)


def test_users_are_untouched_by_operator_actions() -> None:
    d = deployment()
    token = add_user(d.nsc, "U").jwt
    reissue_operator(d.nsc)
    edit_operator(d.nsc, OperatorChanges(tags=("x",)))
    assert d.nsc.store().user_token("A", "U") == token
    assert claims.decode(token, UserClaims).iss == d.account.public_key
