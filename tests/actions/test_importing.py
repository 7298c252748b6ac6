"""Importing accounts, users and keys, and exporting seeds, at the library level."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from pynsc import claims, keys
from pynsc.actions import Nsc, add_user
from pynsc.actions.importing import (
    export_keys,
    import_account,
    import_keys,
    import_user,
    import_user_file,
    read_user_file,
)
from pynsc.actions.listing import KeyQuery
from pynsc.actions.operators import import_operator
from pynsc.claims import AccountClaims, UserClaims
from pynsc.errors import (
    ClaimsError,
    DecodeError,
    ExistsError,
    KeyStoreError,
    NotFoundError,
    StoreError,
    UsageError,
)
from pynsc.keys import decorate_jwt, format_creds

from .builders import deployment
from .test_operators import snapshot


def _account_jwt(
    name: str = "X", signer: keys.KeyPair | None = None, *, exp: int = 0
) -> tuple[keys.KeyPair, str]:
    key = keys.generate("account")
    token = claims.encode(AccountClaims(sub=key.public_key, name=name, exp=exp), signer or key)
    return key, token


def _user_jwt(
    signer: keys.KeyPair, *, name: str = "U", issuer_account: str = "", exp: int = 0
) -> tuple[str, keys.KeyPair]:
    user = keys.generate("user")
    user_claims = UserClaims(sub=user.public_key, name=name, exp=exp)
    user_claims.nats.issuer_account = issuer_account
    return claims.encode(user_claims, signer), user


# import_account ------------------------------------------------------------------------------


def test_self_signed_account_is_resigned_by_the_operator() -> None:
    d = deployment()
    key, token = _account_jwt()
    result = import_account(d.nsc, decorate_jwt(token, "account"))
    stored = d.nsc.store().account("X")
    assert (stored.sub, stored.iss) == (key.public_key, d.operator.public_key)
    assert result.jwt == d.nsc.store().account_token("X")
    assert [e.text for e in result.report.children][-2:] == [
        f're-signed account "X" with {d.operator.public_key}',
        "account X was successfully imported",
    ]


def test_an_account_of_this_operator_is_kept_byte_for_byte() -> None:
    d = deployment()
    _, token = _account_jwt(signer=d.operator)
    import_account(d.nsc, token)
    assert d.nsc.store().account_token("X") == token


def test_another_operators_account_needs_force() -> None:
    d = deployment()
    _, token = _account_jwt(signer=keys.generate("operator"))
    before = snapshot(d.nsc)
    with pytest.raises(StoreError, match="can only import account signed by same operator"):
        import_account(d.nsc, token)
    assert snapshot(d.nsc) == before
    import_account(d.nsc, token, force=True)
    assert d.nsc.store().account("X").iss == d.operator.public_key


def test_name_and_key_collisions() -> None:
    d = deployment()
    _, token = _account_jwt("A")
    with pytest.raises(ExistsError, match="overwrite with --overwrite"):
        import_account(d.nsc, token)
    with pytest.raises(ExistsError, match="name collision only"):
        import_account(d.nsc, token, overwrite=True)
    # the same key under another name
    same = claims.encode(AccountClaims(sub=d.account.public_key, name="Other"), d.account)
    with pytest.raises(ExistsError, match='is already stored as "A"'):
        import_account(d.nsc, same)
    # the same account (same key, same name, any case) may be overwritten
    new = AccountClaims(sub=d.account.public_key, name="a")
    new.nats.tags.append("new")
    import_account(d.nsc, claims.encode(new, d.account), overwrite=True)
    assert d.nsc.store().account("A").nats.tags == ["new"]


def test_validation_issues_need_skip() -> None:
    d = deployment()
    _, token = _account_jwt(signer=d.operator, exp=1000)
    with pytest.raises(StoreError, match="account JWT has validation issues"):
        import_account(d.nsc, token)
    result = import_account(d.nsc, token, skip=True)
    assert result.report.children[0].level.name == "WARN"


def test_wrong_kind_of_jwt() -> None:
    d = deployment()
    token, _ = _user_jwt(d.account)
    with pytest.raises(DecodeError, match="expected account claims"):
        import_account(d.nsc, token)


def test_managed_store_refuses_self_signed_accounts(tmp_path: Path) -> None:
    nsc = Nsc.memory()
    key = keys.generate("operator")
    path = tmp_path / "op.jwt"
    path.write_text(claims.encode(claims.OperatorClaims(sub=key.public_key, name="M"), key))
    import_operator(nsc, str(path))
    _, token = _account_jwt()
    with pytest.raises(StoreError, match="only a non managed store can import a self signed"):
        import_account(nsc, token)


# import_user ---------------------------------------------------------------------------------


def test_user_goes_into_the_issuing_account() -> None:
    d = deployment()
    token, user = _user_jwt(d.account)
    result = import_user(d.nsc, token)
    assert (result.account, result.name, result.public_key) == ("A", "U", user.public_key)
    assert d.nsc.store().user_token("A", "U") == token
    assert result.creds_path is None
    assert not d.nsc.keystore.has(user.public_key)


def test_user_of_a_signing_key() -> None:
    d = deployment()
    token, _ = _user_jwt(d.signing, issuer_account=d.account.public_key)
    assert import_user(d.nsc, token).account == "A"


def test_user_with_its_seed_gets_creds() -> None:
    d = deployment()
    token, user = _user_jwt(d.account)
    result = import_user(d.nsc, token, key=user.seed)
    assert d.nsc.keystore.get(user.public_key) == user
    assert result.creds_path is not None
    assert d.nsc.keystore.read_creds("O", "A", "U") == format_creds(token, user.seed or "")
    with pytest.raises(StoreError, match="is not the key of the user JWT"):
        import_user(d.nsc, token, key=keys.generate("user"), overwrite=True)


def test_user_account_and_issuer_rules() -> None:
    d = deployment()
    before = snapshot(d.nsc)
    token, _ = _user_jwt(keys.generate("account"))
    with pytest.raises(NotFoundError, match="not found, import first"):
        import_user(d.nsc, token)
    token, _ = _user_jwt(keys.generate("account"), issuer_account=d.account.public_key)
    with pytest.raises(StoreError, match="can only import a user signed by the account"):
        import_user(d.nsc, token)
    with pytest.raises(StoreError, match="failed to decode the user JWT"):
        import_user(d.nsc, "garbage")
    assert snapshot(d.nsc) == before


def test_user_overwrite_rules() -> None:
    d = deployment()
    token, _ = _user_jwt(d.account)
    import_user(d.nsc, token)
    with pytest.raises(ExistsError, match='user "U" already exists in account "A"'):
        import_user(d.nsc, token)
    import_user(d.nsc, token, overwrite=True)
    other, _ = _user_jwt(d.account)
    with pytest.raises(ExistsError, match="is another user"):
        import_user(d.nsc, other, overwrite=True)


def test_user_validation_needs_skip() -> None:
    d = deployment()
    token, _ = _user_jwt(d.account, exp=1000)
    with pytest.raises(ClaimsError, match="claim is expired"):
        import_user(d.nsc, token)
    result = import_user(d.nsc, token, skip=True)
    assert result.report.children[0].text == "Validation resulted in: claim is expired"


def test_user_files(tmp_path: Path) -> None:
    d = deployment()
    token, user = _user_jwt(d.account)
    creds = tmp_path / "u.creds"
    creds.write_text(format_creds(token, user.seed or ""))
    assert read_user_file(creds) == (token, user)
    result = import_user_file(d.nsc, creds)
    assert d.nsc.keystore.has(user.public_key)
    assert result.creds_path is not None
    jwt_file = tmp_path / "u.jwt"
    jwt_file.write_text(decorate_jwt(token))
    assert read_user_file(jwt_file) == (token, None)
    with pytest.raises(UsageError, match=r"expected a \.jwt or \.creds file"):
        read_user_file(tmp_path / "u.txt")
    with pytest.raises(NotFoundError, match="does not exist"):
        read_user_file(tmp_path / "none.jwt")
    with pytest.raises(StoreError, match="is a directory"):
        read_user_file(tmp_path)
    (tmp_path / "bad.jwt").write_text("garbage")
    with pytest.raises(StoreError, match="failed to decode `"):
        import_user_file(d.nsc, tmp_path / "bad.jwt")
    (tmp_path / "noseed.creds").write_text(decorate_jwt(token))
    with pytest.raises(StoreError, match="no user seed found"):
        read_user_file(tmp_path / "noseed.creds")


# import_keys ---------------------------------------------------------------------------------


def _write_seeds(directory: Path, *pairs: keys.KeyPair) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for pair in pairs:
        (directory / f"{pair.public_key}.nk").write_text(pair.seed or "")


def test_import_keys(tmp_path: Path) -> None:
    nsc = Nsc.memory()
    a, u, deep = keys.generate("account"), keys.generate("user"), keys.generate("user")
    _write_seeds(tmp_path / "in", a, u)
    _write_seeds(tmp_path / "in" / "sub", deep)
    (tmp_path / "in" / "notes.txt").write_text("ignored")
    result = import_keys(nsc, tmp_path / "in")
    assert sorted(result.public_keys) == sorted([a.public_key, u.public_key])
    assert nsc.keystore.get(a.public_key) == a
    assert not nsc.keystore.has(deep.public_key)
    assert result.report.summary() == "all jobs succeeded"
    import_keys(nsc, tmp_path / "in", recurse=True)
    assert nsc.keystore.get(deep.public_key) == deep


def test_import_keys_is_all_or_nothing(tmp_path: Path) -> None:
    nsc = Nsc.memory()
    good = keys.generate("user")
    _write_seeds(tmp_path / "in", good)
    (tmp_path / "in" / "bad.nk").write_text(keys.generate("user").public_key)
    with pytest.raises(KeyStoreError, match="holds no seed"):
        import_keys(nsc, tmp_path / "in")
    (tmp_path / "in" / "bad.nk").write_text("garbage")
    with pytest.raises(KeyStoreError, match="failed to import"):
        import_keys(nsc, tmp_path / "in")
    assert nsc.keystore.list() == []


def test_import_keys_directory_errors(tmp_path: Path) -> None:
    nsc = Nsc.memory()
    (tmp_path / "empty").mkdir()
    with pytest.raises(KeyStoreError, match=r"no nkey \(.nk\) files found"):
        import_keys(nsc, tmp_path / "empty")
    with pytest.raises(KeyStoreError, match="does not exist"):
        import_keys(nsc, tmp_path / "none")
    (tmp_path / "file").write_text("x")
    with pytest.raises(KeyStoreError, match="is not a directory"):
        import_keys(nsc, tmp_path / "file")


# export_keys ---------------------------------------------------------------------------------


def test_export_default_selection(tmp_path: Path) -> None:
    d = deployment()
    user = add_user(d.nsc, "U").creds.public_key
    out = tmp_path / "out"
    result = export_keys(d.nsc, out)
    names = sorted(p.name for p in out.iterdir())
    exported = {d.operator.public_key, d.nsc.store().operator().nats.signing_keys[0],
                d.account.public_key, d.signing.public_key, d.scoped.public_key, user}  # fmt: skip
    assert names == sorted(f"{k}.nk" for k in exported)
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert keys.from_seed(path.read_text()).public_key == path.stem
    assert f'exported "{user}"' in [e.text for e in result.report.children]
    assert {f.public_key for f in result.files} == exported


def test_export_query_jwts_and_remove(tmp_path: Path) -> None:
    d = deployment()
    user = add_user(d.nsc, "U").creds.public_key
    out = tmp_path / "out"
    result = export_keys(d.nsc, out, KeyQuery(users=True), remove=True, include_jwts=True)
    assert sorted(p.name for p in out.iterdir()) == [f"{user}.jwt", f"{user}.nk"]
    assert (out / f"{user}.jwt").read_text() == d.nsc.store().user_token("A", "U")
    assert not d.nsc.keystore.has(user)
    assert result.removed
    assert [e.text for e in result.report.children] == [
        f'moved "{user}"', f'exported "{user}.jwt (U)"',
    ]  # fmt: skip


def test_export_skips_keys_without_seed(tmp_path: Path) -> None:
    d = deployment()
    d.nsc.keystore.remove(d.signing.public_key)
    result = export_keys(d.nsc, tmp_path / "out", KeyQuery(accounts=True))
    assert result.report.children[0].text == f'skipped "{d.signing.public_key}" - no seed available'


def test_export_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    d = deployment()
    out = tmp_path / "out"
    export_keys(d.nsc, out, KeyQuery(operator=True))
    (out / f"{d.operator.public_key}.nk").write_text("changed")
    with pytest.raises(KeyStoreError, match="already exists - specify --force to overwrite"):
        export_keys(d.nsc, out)
    assert not (out / f"{d.account.public_key}.nk").exists()  # nothing was written
    export_keys(d.nsc, out, force=True)
    assert (out / f"{d.operator.public_key}.nk").read_text() == d.operator.seed


def test_export_nothing_found(tmp_path: Path) -> None:
    d = deployment()
    with pytest.raises(KeyStoreError, match="no keys found to export"):
        export_keys(d.nsc, tmp_path / "out", KeyQuery(filter="NOTHING"))
    assert not (tmp_path / "out").exists()
