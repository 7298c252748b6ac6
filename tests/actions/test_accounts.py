"""The account rules, at the library level: add, edit, delete, rename (no CLI involved)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pynsc import claims, keys
from pynsc.actions import Nsc, UserChanges, add_user
from pynsc.actions.account_update import update_account
from pynsc.actions.accounts import (
    AccountChanges,
    AccountLimitChanges,
    TraceChanges,
    add_account,
    apply_validity,
    check_trace_subject,
    delete_account,
    edit_account,
    rename_account,
)
from pynsc.actions.user_changes import PermissionChanges
from pynsc.claims import AccountClaims
from pynsc.errors import (
    ClaimsError,
    ExistsError,
    InvalidKeyError,
    KeyStoreError,
    StoreError,
    UsageError,
)
from pynsc.store.layout import InvalidNameError
from pynsc.store.ops import save_operator
from pynsc.store.report import Report

from .builders import Deployment, deployment


def _account(d: Deployment, name: str = "A") -> AccountClaims:
    return d.nsc.store().account(name)


def _snapshot(nsc: Nsc) -> tuple[dict[str, str], list[str]]:
    store = nsc.store()
    return {n: store.account_token(n) for n in store.account_names()}, nsc.keystore.list()


# add_account ---------------------------------------------------------------------------------


def test_add_generates_and_stores_a_key_signed_by_the_operator() -> None:
    d = deployment()
    result = add_account(d.nsc, "B")
    assert result.report.lines() == [
        f'[ OK ] generated and stored account key "{result.public_key}"',
        '[ OK ] added account "B"',
    ]
    assert result.claims.iss == d.operator.public_key
    assert d.nsc.keystore.has(result.public_key)
    assert d.nsc.store().account_token("B") == result.jwt
    assert result.report.data == {"name": "B", "public_key": result.public_key,
                                  "jwt": result.jwt}  # fmt: skip


def test_add_makes_the_new_account_current() -> None:
    d = deployment()
    add_account(d.nsc, "B")
    assert d.nsc.account == "B"


def test_add_saves_the_current_account_on_disk_only_when_asked(tmp_path: Path) -> None:
    d = deployment(tmp_path)
    config = tmp_path / "config" / "nsc.json"
    add_account(d.nsc, "B")
    before = json.loads(config.read_text()) if config.exists() else {}
    assert before.get("account") != "B"
    add_account(d.nsc, "C", save_current=True)
    assert json.loads(config.read_text())["account"] == "C"
    assert (tmp_path / "stores" / "O" / "accounts" / "C" / "C.jwt").is_file()


def test_add_name_is_required_and_checked() -> None:
    d = deployment()
    with pytest.raises(InvalidNameError, match="account name is required"):
        add_account(d.nsc, " ")
    with pytest.raises(InvalidNameError, match="cannot contain"):
        add_account(d.nsc, "a/b")


def test_add_star_picks_a_random_name() -> None:
    d = deployment()
    first, second = add_account(d.nsc, "*"), add_account(d.nsc, "*")
    assert first.name != second.name
    assert "_" in first.name


def test_add_names_are_unique_ignoring_case() -> None:
    d = deployment()
    before = _snapshot(d.nsc)
    with pytest.raises(ExistsError, match='the account "a" already exists'):
        add_account(d.nsc, "a")
    assert _snapshot(d.nsc) == before


@pytest.mark.parametrize("kind", ["operator", "user", "cluster"])
def test_add_key_must_be_an_account_key(kind: str) -> None:
    d = deployment()
    with pytest.raises(InvalidKeyError, match="specified key is not a valid account nkey"):
        add_account(d.nsc, "B", key=keys.generate(kind).public_key)


def test_add_given_key_may_not_be_used_by_another_account() -> None:
    d = deployment()
    with pytest.raises(ExistsError, match='is already used by account "A"'):
        add_account(d.nsc, "B", key=d.account.public_key)


def test_add_given_public_key_is_not_stored_a_seed_is() -> None:
    d = deployment()
    public = keys.generate("account")
    result = add_account(d.nsc, "B", key=public.public_key)
    assert result.public_key == public.public_key
    assert not d.nsc.keystore.has(public.public_key)
    assert "generated" not in "\n".join(result.report.lines())
    seeded = keys.generate("account")
    result = add_account(d.nsc, "C", key=seeded)
    assert d.nsc.keystore.has(seeded.public_key)
    assert result.report.lines()[0] == f'[ OK ] stored account key "{seeded.public_key}"'


def test_add_default_permissions_and_validity() -> None:
    d = deployment()
    perms = PermissionChanges(allow_pub=("a", "b"), deny_pubsub=("x",))
    result = add_account(d.nsc, "B", permissions=perms, start=1514764800, expiry=2524608000)
    nats = result.claims.nats
    assert (nats.default_permissions.pub.allow, nats.default_permissions.sub.deny) == (
        ["a", "b"], ["x"]
    )  # fmt: skip
    assert (result.claims.nbf, result.claims.exp) == (1514764800, 2524608000)


def test_add_signer_must_be_an_operator_key() -> None:
    d = deployment()
    with pytest.raises(InvalidKeyError, match="invalid account signer"):
        add_account(d.nsc, "B", signer=keys.generate("operator"))
    signing = d.nsc.store().operator().nats.signing_keys[0]
    assert add_account(d.nsc, "B", signer=signing).claims.iss == signing


def test_add_strict_operator_signs_with_a_signing_key() -> None:
    d = deployment(strict=True)
    result = add_account(d.nsc, "B")
    assert result.claims.iss == d.nsc.store().operator().nats.signing_keys[0]
    with pytest.raises(InvalidKeyError, match="invalid account signer"):
        add_account(d.nsc, "C", signer=d.operator)


def test_add_without_an_operator_seed_writes_nothing() -> None:
    d = deployment()
    for key in d.nsc.keystore.list(keys.KeyKind.OPERATOR):
        d.nsc.keystore.remove(key)
    before = _snapshot(d.nsc)
    with pytest.raises(KeyStoreError, match="unable to resolve"):
        add_account(d.nsc, "B")
    assert _snapshot(d.nsc) == before


def test_add_managed_operator_accounts_sign_themselves() -> None:
    nsc = Nsc.memory()
    operator = keys.generate("operator")
    store = nsc.create_store("M", managed=True)
    save_operator(store, claims.OperatorClaims(sub=operator.public_key, name="M"), operator)
    nsc.select(operator="M")
    result = add_account(nsc, "A")
    assert result.claims.iss == result.public_key
    lines = result.report.lines()
    assert any("doesn't set an account server url" in line for line in lines)
    assert '[WARN] account "A" is self-signed: push it to the account server of operator "M" ' \
        "to have it signed" in lines  # fmt: skip


# edit_account --------------------------------------------------------------------------------


def test_edit_changes_only_what_it_names() -> None:
    d = deployment()
    changes = AccountChanges(limits=AccountLimitChanges(
        conns=5, wildcard_exports=False, disallow_bearer=True, data=10
    ))  # fmt: skip
    result = edit_account(d.nsc, "A", changes)
    assert result.report.lines() == [
        "[ OK ] changed max connections to 5",
        "[ OK ] changed max data to 10 bytes",
        "[ OK ] changed wild card exports to false",
        "[ OK ] changed disallow bearer to true",
        '[ OK ] edited account "A"',
    ]
    edit_account(d.nsc, "A", AccountChanges(tags=("x",)))
    limits = _account(d).nats.limits
    assert (limits.conn, limits.data, limits.wildcards, limits.disallow_bearer) == (
        5, 10, False, True
    )  # fmt: skip
    assert limits.subs == -1
    assert len(_account(d).nats.signing_keys) == 2  # the signing keys stay


def test_edit_without_changes_re_signs_with_the_signer() -> None:
    d = deployment()
    signing = d.nsc.store().operator().nats.signing_keys[0]
    result = edit_account(d.nsc, "A", signer=signing)
    assert result.claims.iss == signing
    assert edit_account(d.nsc, "A").claims.iss == signing  # keeps its issuer


def test_edit_finds_the_account_by_key_or_the_current_one() -> None:
    d = deployment()
    assert edit_account(d.nsc, d.account.public_key).name == "A"
    assert edit_account(d.nsc).name == "A"


def test_edit_tags_description_info_url_cluster_traffic() -> None:
    d = deployment()
    changes = AccountChanges(tags=("B", "a"), description="mine", info_url="http://x",
                             host_cluster_traffic=True)  # fmt: skip
    assert edit_account(d.nsc, "A", changes).report.lines() == [
        '[ OK ] added tag "b"',
        '[ OK ] added tag "a"',
        '[ OK ] changed description to "mine"',
        '[ OK ] changed info url to "http://x"',
        '[ OK ] changed cluster traffic to "owner"',
        '[ OK ] edited account "A"',
    ]
    nats = _account(d).nats
    assert (nats.tags, nats.description, nats.info_url, nats.cluster_traffic) == (
        ["a", "b"], "mine", "http://x", "owner"
    )  # fmt: skip
    edit_account(d.nsc, "A", AccountChanges(rm_tags=("A",), host_cluster_traffic=False))
    assert (_account(d).nats.tags, _account(d).nats.cluster_traffic) == (["b"], "")


def test_edit_list_fields_refuse_one_string() -> None:
    with pytest.raises(UsageError, match="tags takes a list"):
        AccountChanges(tags="abc")  # type: ignore[arg-type]


def test_edit_disallow_bearer_needs_users_without_bearer_tokens() -> None:
    d = deployment()
    add_user(d.nsc, "u", account="A", changes=UserChanges(bearer=True))
    before = _snapshot(d.nsc)
    changes = AccountChanges(limits=AccountLimitChanges(disallow_bearer=True))
    with pytest.raises(StoreError, match='user "u" in account "A" uses bearer token'):
        edit_account(d.nsc, "A", changes)
    assert _snapshot(d.nsc) == before


def test_edit_signing_keys_added_generated_and_removed() -> None:
    d = deployment()
    given = keys.generate("account")
    result = edit_account(d.nsc, "A", AccountChanges(signing_keys=(given, "generate")))
    added = set(_account(d).nats.signing_keys) - {d.signing.public_key, d.scoped.public_key}
    assert given.public_key in added
    assert len(added) == 2
    for key in added:
        assert d.nsc.keystore.has(key)  # the seeds given or generated are stored
    assert result.report.lines()[0] == f'[ OK ] added signing key "{given.public_key}"'
    other = keys.generate("account").public_key
    result = edit_account(d.nsc, "A", AccountChanges(rm_signing_keys=(given.public_key, other)))
    assert given.public_key not in _account(d).nats.signing_keys
    assert f'[WARN] "{other}" is not a signing key of the account' in result.report.lines()


def test_edit_signing_keys_must_be_other_account_keys() -> None:
    d = deployment()
    with pytest.raises(InvalidKeyError, match="is not a valid account signing key"):
        edit_account(d.nsc, "A", AccountChanges(signing_keys=(keys.generate("user"),)))
    with pytest.raises(InvalidKeyError, match="identity key"):
        edit_account(d.nsc, "A", AccountChanges(signing_keys=(d.account.public_key,)))


def test_edit_validity_lines() -> None:
    d = deployment()
    result = edit_account(d.nsc, "A", AccountChanges(start=1514764800, expiry=2524608000))
    assert result.report.lines()[:2] == [
        "[ OK ] changed jwt valid start to 2018-01-01 00:00:00 UTC",
        "[ OK ] changed jwt expiry to 2050-01-01 00:00:00 UTC",
    ]
    result = edit_account(d.nsc, "A", AccountChanges(start=0, expiry=0))
    assert result.report.lines()[:2] == [
        "[ OK ] changed jwt start to not have a start date",
        "[ OK ] changed jwt expiry to never expire",
    ]


def test_apply_validity_keeps_what_is_not_given_or_unchanged() -> None:
    account = AccountClaims(sub=keys.generate("account").public_key)
    account.exp = 5
    assert apply_validity(account, None, 5) == []
    assert account.exp == 5


def test_edit_default_permissions() -> None:
    d = deployment()
    edit_account(d.nsc, "A", AccountChanges(perms=PermissionChanges(allow_sub=("s",))))
    assert _account(d).nats.default_permissions.sub.allow == ["s"]


def test_edit_error_in_the_middle_writes_nothing() -> None:
    d = deployment()
    before = _snapshot(d.nsc)
    bad = AccountChanges(tags=("t",), signing_keys=("generate",), trace=TraceChanges(sampling=5))
    with pytest.raises(ClaimsError):
        edit_account(d.nsc, "A", bad)
    assert _snapshot(d.nsc) == before


def test_edit_without_an_operator_seed_is_said_before_a_bad_removal() -> None:
    d = deployment()
    for key in d.nsc.keystore.list(keys.KeyKind.OPERATOR):
        d.nsc.keystore.remove(key)
    with pytest.raises(KeyStoreError, match="unable to resolve"):
        edit_account(d.nsc, "A", AccountChanges(rm_signing_keys=("nonsense",)))


# tracing -------------------------------------------------------------------------------------


def test_trace_subject_rules() -> None:
    assert check_trace_subject("") == ""
    with pytest.raises(UsageError, match=r'tracing subjects cannot contain wildcards: "t\.>"'):
        TraceChanges(subject="t.>")
    with pytest.raises(UsageError):
        check_trace_subject("a..b")


def test_trace_sampling_rules() -> None:
    d = deployment()
    with pytest.raises(ClaimsError, match="trace-context-sampling requires a subject"):
        edit_account(d.nsc, "A", AccountChanges(trace=TraceChanges(sampling=50)))
    with pytest.raises(ClaimsError, match="when disabling the trace context"):
        edit_account(d.nsc, "A", AccountChanges(trace=TraceChanges(subject="", sampling=5)))
    edit_account(d.nsc, "A", AccountChanges(trace=TraceChanges(subject="traces")))
    for value in (101, -1):
        with pytest.raises(ClaimsError, match="must be between 1-100"):
            edit_account(d.nsc, "A", AccountChanges(trace=TraceChanges(sampling=value)))


def test_trace_subject_change_keeps_the_sampling_and_empty_disables() -> None:
    d = deployment()
    edit_account(d.nsc, "A", AccountChanges(trace=TraceChanges(subject="t.a", sampling=30)))
    result = edit_account(d.nsc, "A", AccountChanges(trace=TraceChanges(subject="t.b")))
    assert result.report.lines()[0] == '[ OK ] changed trace context subject to "t.b"'
    trace = _account(d).nats.trace
    assert trace is not None
    assert (trace.dest, trace.sampling) == ("t.b", 30)
    result = edit_account(d.nsc, "A", AccountChanges(trace=TraceChanges(subject="")))
    assert result.report.lines()[0] == "[ OK ] disabled trace context"
    assert _account(d).nats.trace is None


# update_account ------------------------------------------------------------------------------


def test_update_account_writes_only_when_the_block_succeeds() -> None:
    d = deployment()
    before = _snapshot(d.nsc)

    def fail_in_the_block() -> None:
        with update_account(d.nsc, "A", Report()) as update:
            update.claims.nats.tags.append("x")
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        fail_in_the_block()
    assert _snapshot(d.nsc) == before
    with update_account(d.nsc, "A", Report()) as update:
        update.claims.nats.tags.append("x")
    assert _account(d).nats.tags == ["x"]
    assert update.token == d.nsc.store().account_token("A")


# delete_account ------------------------------------------------------------------------------


def test_delete_revokes_users_and_keeps_keys_unless_asked() -> None:
    d = deployment()
    u1 = add_user(d.nsc, "u1", account="A")
    result = delete_account(d.nsc, "A", now=1_800_000_000)
    assert d.nsc.store().account_names() == ["SYS"]
    assert result.revoked_users == [u1.creds.public_key]
    expiring = claims.decode(result.jwt, AccountClaims)
    assert expiring.exp == 1_800_000_060
    assert expiring.nats.revocations == {u1.creds.public_key: 1_800_000_000}
    assert result.report.lines()[:3] == [
        f"[ OK ] user u1 [{u1.creds.public_key}]:",
        "       [ OK ] revoked user",
        "       [ OK ] user deleted",
    ]
    assert d.nsc.keystore.has(d.account.public_key)
    assert d.nsc.keystore.has(u1.creds.public_key)
    assert d.nsc.keystore.read_creds("O", "A", "u1") is not None
    assert d.nsc.account == ""


def test_delete_no_revoke_removes_keys_and_creds() -> None:
    d = deployment()
    u1 = add_user(d.nsc, "u1", account="A")
    result = delete_account(d.nsc, "A", revoke=False, rm_nkey=True, rm_creds=True)
    assert result.revoked_users == []
    assert claims.decode(result.jwt, AccountClaims).nats.revocations == {}
    for key in (d.account.public_key, d.signing.public_key, d.scoped.public_key,
                u1.creds.public_key):  # fmt: skip
        assert not d.nsc.keystore.has(key)
    assert d.nsc.keystore.read_creds("O", "A", "u1") is None


def test_delete_removes_the_creds_directory_on_disk(tmp_path: Path) -> None:
    d = deployment(tmp_path)
    add_user(d.nsc, "u1", account="A")
    creds = d.nsc.keystore.creds_path("O", "A", "u1")
    assert creds.is_file()
    delete_account(d.nsc, "A", rm_creds=True)
    assert not creds.parent.exists()
    assert not (tmp_path / "stores" / "O" / "accounts" / "A").exists()


def test_delete_managed_needs_force() -> None:
    nsc = Nsc.memory()
    operator = keys.generate("operator")
    store = nsc.create_store("M", managed=True)
    save_operator(store, claims.OperatorClaims(sub=operator.public_key, name="M"), operator)
    nsc.select(operator="M")
    add_account(nsc, "A")
    with pytest.raises(StoreError, match="specify the --force to override"):
        delete_account(nsc, "A")
    assert nsc.store().account_names() == ["A"]
    delete_account(nsc, "A", force=True)
    assert nsc.store().account_names() == []


def test_delete_system_account_warns() -> None:
    d = deployment()
    result = delete_account(d.nsc, "SYS")
    assert '[WARN] "SYS" is the system account of operator "O"' in result.report.lines()


def test_delete_without_a_signer_changes_nothing() -> None:
    d = deployment()
    for key in d.nsc.keystore.list(keys.KeyKind.OPERATOR):
        d.nsc.keystore.remove(key)
    before = _snapshot(d.nsc)
    with pytest.raises(KeyStoreError):
        delete_account(d.nsc, "A")
    assert _snapshot(d.nsc) == before


# rename_account ------------------------------------------------------------------------------


def test_rename_moves_users_and_creds_and_the_current_account() -> None:
    d = deployment()
    user = add_user(d.nsc, "u", account="A")
    user_token = d.nsc.store().user_token("A", "u")
    result = rename_account(d.nsc, "A", "B")
    store = d.nsc.store()
    assert store.account_names() == ["B", "SYS"]
    renamed = store.account("B")
    assert (renamed.name, renamed.sub) == ("B", d.account.public_key)
    assert store.user_token("B", "u") == user_token
    assert d.nsc.keystore.read_creds("O", "B", "u") == user.creds.text
    assert d.nsc.keystore.read_creds("O", "A", "u") is None
    assert d.nsc.account == "B"
    assert result.report.lines()[:2] == [
        '[ OK ] rename account "A" to "B":',
        '       [ OK ] stored account "B"',
    ]
    assert result.report.data == {"old": "A", "new": "B", "public_key": d.account.public_key}


def test_rename_by_public_key_and_without_creds() -> None:
    d = deployment()
    result = rename_account(d.nsc, d.account.public_key, "B")
    assert result.old == "A"
    assert "skipping... no creds directory found" in result.report.lines()[-1]


def test_rename_new_name_must_be_free_and_new() -> None:
    d = deployment()
    before = _snapshot(d.nsc)
    with pytest.raises(ExistsError, match='account "sys" already exists'):
        rename_account(d.nsc, "A", "sys")
    with pytest.raises(ExistsError, match='account "A" is already named "A"'):
        rename_account(d.nsc, "A", "A")
    with pytest.raises(InvalidNameError):
        rename_account(d.nsc, "A", "C/D")
    assert _snapshot(d.nsc) == before


def test_rename_refuses_to_overwrite_creds_of_the_new_name() -> None:
    d = deployment()
    add_user(d.nsc, "u", account="A")
    d.nsc.keystore.write_creds("O", "B", "u", "stale")
    with pytest.raises(ExistsError, match="already exists"):
        rename_account(d.nsc, "A", "B")
    assert d.nsc.store().account_names() == ["A", "SYS"]


def test_rename_on_disk_updates_nsc_json(tmp_path: Path) -> None:
    d = deployment(tmp_path)
    add_account(d.nsc, "C", save_current=True)
    add_user(d.nsc, "u", account="C")
    rename_account(d.nsc, "C", "D")
    config = json.loads((tmp_path / "config" / "nsc.json").read_text())
    assert config["account"] == "D"
    accounts = tmp_path / "stores" / "O" / "accounts"
    assert sorted(p.name for p in (accounts / "D").iterdir()) == ["D.jwt", "users"]
    assert not (accounts / "C").exists()
    assert d.nsc.keystore.creds_path("O", "D", "u").is_file()
    assert not d.nsc.keystore.creds_path("O", "C", "u").parent.exists()
