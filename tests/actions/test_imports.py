"""The import rules, at the library level: add_import (public and private, the activation
checks, the checks against a local exporter) and delete_import (no CLI involved)."""

from __future__ import annotations

import re

import pytest

from pynsc import claims, keys
from pynsc.actions.exports import add_export
from pynsc.actions.imports import add_import, delete_import
from pynsc.claims import SERVICE, STREAM, AccountClaims, ActivationClaims, Import, UserClaims
from pynsc.errors import (
    ClaimsError,
    ExistsError,
    InvalidKeyError,
    NotFoundError,
    NscError,
    StoreError,
    UsageError,
)
from pynsc.store.ops import save_account

from .builders import Deployment, deployment

NOW = 1_800_000_000


def _with_b() -> tuple[Deployment, keys.KeyPair]:
    """Operator O with exporter ``A`` (the builders' account) and importer ``B``."""
    d = deployment()
    b = keys.generate("account")
    d.nsc.keystore.store(b)
    save_account(d.nsc.store(), "B", AccountClaims(sub=b.public_key, name="B"), d.operator)
    return d, b


def _imports(d: Deployment, name: str = "B") -> list[Import]:
    return claims.decode(d.account_jwt(name), AccountClaims).nats.imports


def _activation(
    d: Deployment,
    target: str,
    subject: str,
    *,
    service: bool = False,
    signer: keys.KeyPair | None = None,
    issuer_account: str = "",
    exp: int = 0,
    nbf: int = 0,
    iat: int = NOW - 60,
    name: str | None = None,
) -> str:
    act = ActivationClaims(sub=target, name=subject if name is None else name, exp=exp, nbf=nbf)
    act.nats.subject = subject
    act.nats.kind = SERVICE if service else STREAM
    act.nats.issuer_account = issuer_account
    return claims.encode(act, signer or d.account, iat=iat)


# Public imports -----------------------------------------------------------------------------


def test_public_stream_import() -> None:
    d, _ = _with_b()
    add_export(d.nsc, "orders.>", account="A")
    result = add_import(d.nsc, account="B", src_account="A", remote_subject="orders.eu.>")
    assert [e.text for e in result.report.children] == ['added stream import "orders.eu.>"']
    (imp,) = _imports(d)
    assert imp == Import(name="orders.eu.>", subject="orders.eu.>", account=d.account.public_key,
                         type=STREAM)  # fmt: skip
    assert result.imported == imp
    assert result.jwt == d.account_jwt("B")
    assert result.report.data == {
        "account": "B",
        "import": {"name": "orders.eu.>", "subject": "orders.eu.>",
                   "account": d.account.public_key, "type": "stream"},
    }  # fmt: skip


def test_a_public_service_import_leaves_its_local_subject_out() -> None:
    """As Go nsc (issue 10 item 3): no ``local_subject`` unless given."""
    d, _ = _with_b()
    add_export(d.nsc, "svc.>", account="A", service=True)
    add_import(d.nsc, account="B", src_account=d.account.public_key, remote_subject="svc.q",
               service=True, share=True)  # fmt: skip
    (imp,) = _imports(d)
    assert (imp.type, imp.local_subject, imp.share) == (SERVICE, "", True)


def test_an_exporter_of_another_operator_is_taken_on_trust() -> None:
    d, _ = _with_b()
    other = keys.generate("account").public_key
    add_import(d.nsc, account="B", src_account=other, remote_subject="x.>")
    assert _imports(d)[0].account == other


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"token": "t", "remote_subject": "x"}, "private imports require src-account"),
        ({"token": "t", "src_account": "A"}, "private imports require src-account"),
        ({"token": " "}, "token is required"),
        ({"src_account": "A"}, "public imports require src-account, remote-subject"),
        ({"remote_subject": "x"}, "public imports require src-account, remote-subject"),
        ({"src_account": "A", "remote_subject": " "}, "public imports require src-account"),
        ({}, "public imports require src-account, remote-subject"),
    ],
)
def test_public_or_private(kwargs: dict[str, str], message: str) -> None:
    d, _ = _with_b()
    with pytest.raises(UsageError, match=message):
        add_import(d.nsc, account="B", **kwargs)  # type: ignore[arg-type]


def test_no_self_import() -> None:
    d, _ = _with_b()
    add_export(d.nsc, "s", account="A")
    with pytest.raises(StoreError, match="export issuer is this account"):
        add_import(d.nsc, account="A", src_account="A", remote_subject="s")
    add_export(d.nsc, "p", account="A", private=True)
    token = _activation(d, d.account.public_key, "p")
    with pytest.raises(StoreError, match="export issuer is this account"):
        add_import(d.nsc, account="A", token=token, now=NOW)


def test_no_duplicate_imports() -> None:
    d, _ = _with_b()
    add_export(d.nsc, "s", account="A")
    add_import(d.nsc, account="B", src_account="A", remote_subject="s")
    with pytest.raises(ExistsError, match=f'account already imports stream "s" from '
                                          f"{d.account.public_key}"):  # fmt: skip
        add_import(d.nsc, account="B", src_account="A", remote_subject="s", name="again")
    add_export(d.nsc, "s", account="A", service=True)
    add_import(d.nsc, account="B", src_account="A", remote_subject="s", service=True,
               local_subject="t")  # another kind  # fmt: skip
    assert sorted(i.type for i in _imports(d)) == [SERVICE, STREAM]


def test_share_and_allow_trace_belong_to_one_kind() -> None:
    d, _ = _with_b()
    add_export(d.nsc, "s", account="A")
    add_export(d.nsc, "q", account="A", service=True)
    with pytest.raises(UsageError, match="only services can set the share property"):
        add_import(d.nsc, account="B", src_account="A", remote_subject="s", share=True)
    with pytest.raises(UsageError, match="only streams can set the allow-trace property"):
        add_import(d.nsc, account="B", src_account="A", remote_subject="q", service=True,
                   allow_trace=True)  # fmt: skip


def test_unknown_source_account() -> None:
    d, _ = _with_b()
    with pytest.raises(NotFoundError, match='"Z" is neither an account public key nor an account'):
        add_import(d.nsc, account="B", src_account="Z", remote_subject="x")


def test_a_public_import_needs_a_public_export_containing_the_subject() -> None:
    d, _ = _with_b()
    with pytest.raises(NotFoundError, match='account "A" doesn\'t have exports'):
        add_import(d.nsc, account="B", src_account="A", remote_subject="s")
    add_export(d.nsc, "foo.>", account="A")
    for subject in ("bar", "foo"):
        with pytest.raises(NotFoundError, match=re.escape(
            f'a public stream export for "{subject}" was not found in account "A"'
        )):  # fmt: skip
            add_import(d.nsc, account="B", src_account="A", remote_subject=subject)
    add_export(d.nsc, "svc", account="A", service=True)
    with pytest.raises(NotFoundError) as caught:
        add_import(d.nsc, account="B", src_account="A", remote_subject="svc")
    assert caught.value.hint == 'account "A" has a service export "svc": add --service'
    add_export(d.nsc, "p.>", account="A", private=True)
    with pytest.raises(StoreError, match=re.escape(
        'stream export "p.>" of account "A" is private - an activation token is required'
    )):  # fmt: skip
        add_import(d.nsc, account="B", src_account="A", remote_subject="p.x")
    assert _imports(d) == []


def test_a_public_export_with_an_account_token_position() -> None:
    d, b = _with_b()
    add_export(d.nsc, "req.*.>", account="A", service=True, account_token_position=2)
    with pytest.raises(StoreError, match="requires the importing account's public key as token 2"):
        add_import(d.nsc, account="B", src_account="A", remote_subject="req.*.>", service=True)
    subject = f"req.{b.public_key}.>"
    add_import(d.nsc, account="B", src_account="A", remote_subject=subject, service=True,
               local_subject="a.>")  # fmt: skip
    assert _imports(d)[0].subject == subject


def test_a_signing_key_is_not_an_exporter() -> None:
    d, _ = _with_b()
    add_export(d.nsc, "s", account="A")
    with pytest.raises(InvalidKeyError, match="is a signing key of account \"A\", not the account"):
        add_import(d.nsc, account="B", src_account=d.signing.public_key, remote_subject="s")


def test_the_account_as_written_must_validate() -> None:
    d, _ = _with_b()
    add_export(d.nsc, "svc.>", account="A", service=True)
    add_import(d.nsc, account="B", src_account="A", remote_subject="svc.a", service=True)
    with pytest.raises(ClaimsError, match="overlapping subject namespace"):
        add_import(d.nsc, account="B", src_account="A", remote_subject="svc.*", service=True)
    add_export(d.nsc, "foo.>", account="A")
    with pytest.raises(ClaimsError, match="need to end or not end in >"):
        add_import(d.nsc, account="B", src_account="A", remote_subject="foo.>",
                   local_subject="bar")  # fmt: skip
    assert [i.subject for i in _imports(d)] == ["svc.a"]


# Private imports ----------------------------------------------------------------------------


def test_private_import_embeds_the_activation() -> None:
    d, b = _with_b()
    add_export(d.nsc, "p.>", account="A", private=True)
    token = _activation(d, b.public_key, "p.x", name="granted")
    result = add_import(d.nsc, account="B", token=claims.decorate(token), now=NOW)
    (imp,) = _imports(d)
    assert imp == Import(name="granted", subject="p.x", account=d.account.public_key,
                         token=token, type=STREAM)  # fmt: skip
    assert result.imported == imp


def test_read_token_reads_a_location_and_names_it_in_errors() -> None:
    d, b = _with_b()
    add_export(d.nsc, "p", account="A", private=True)
    texts = {"good": _activation(d, b.public_key, "p"), "bad": "garbage"}
    add_import(d.nsc, account="B", token="good", read_token=texts.__getitem__, now=NOW)
    assert _imports(d)[0].subject == "p"
    with pytest.raises(ClaimsError, match=r"^error loading `bad`: "):
        add_import(d.nsc, account="B", token="bad", read_token=texts.__getitem__, now=NOW)


def test_a_token_that_is_not_an_activation() -> None:
    d, _ = _with_b()
    user = keys.generate("user")
    token = claims.encode(UserClaims(sub=user.public_key, name="u"), d.account)
    with pytest.raises(ClaimsError, match="expected an activation, got user claims"):
        add_import(d.nsc, account="B", token=token)
    with pytest.raises(ClaimsError, match=r"^error loading the activation: "):
        add_import(d.nsc, account="B", token="garbage")


def test_the_activation_must_be_for_this_account() -> None:
    d, _ = _with_b()
    add_export(d.nsc, "p", account="A", private=True)
    other = keys.generate("account").public_key
    with pytest.raises(ClaimsError, match=f'activation is not intended for this account - it is '
                                          f'for "{other}"'):  # fmt: skip
        add_import(d.nsc, account="B", token=_activation(d, other, "p"), now=NOW)


def test_the_activation_must_be_of_the_kind_asked_for() -> None:
    d, b = _with_b()
    add_export(d.nsc, "p", account="A", private=True)
    with pytest.raises(UsageError, match="the activation is for a stream import, not a service"):
        add_import(d.nsc, account="B", token=_activation(d, b.public_key, "p"), service=True,
                   now=NOW)  # fmt: skip


def test_the_activation_must_be_issued_by_an_account() -> None:
    d, b = _with_b()
    token = _activation(d, b.public_key, "p", signer=d.operator)
    with pytest.raises(ClaimsError, match="the activation was not issued by an account"):
        add_import(d.nsc, account="B", token=token, now=NOW)


def test_the_activation_must_be_unexpired() -> None:
    d, b = _with_b()
    add_export(d.nsc, "p", account="A", private=True)
    token = _activation(d, b.public_key, "p", exp=NOW - 3600, iat=NOW - 7200)
    with pytest.raises(ClaimsError, match=r"^the activation expired on 2027-01-15 07:00:00 UTC"):
        add_import(d.nsc, account="B", token=token, now=NOW)
    assert _imports(d) == []


def test_an_activation_not_yet_valid_only_warns() -> None:
    d, b = _with_b()
    add_export(d.nsc, "p", account="A", private=True)
    token = _activation(d, b.public_key, "p", nbf=NOW + 3600)
    result = add_import(d.nsc, account="B", token=token, now=NOW)
    assert [(e.status.label, e.text) for e in result.report.children] == [
        ("warning", "the activation is not valid until 2027-01-15 09:00:00 UTC"),
        ("ok", 'added stream import "p"'),
    ]


def test_the_activation_must_be_issued_by_the_exporter_or_its_signing_key() -> None:
    d, b = _with_b()
    add_export(d.nsc, "p", account="A", private=True)
    stranger = keys.generate("account")
    token = _activation(d, b.public_key, "p", signer=stranger,
                        issuer_account=d.account.public_key)  # fmt: skip
    with pytest.raises(ClaimsError, match=f"the activation is signed by {stranger.public_key}, "
                                          'which is neither account "A" nor'):  # fmt: skip
        add_import(d.nsc, account="B", token=token, now=NOW)
    token = _activation(d, b.public_key, "p", signer=d.signing,
                        issuer_account=d.account.public_key)  # fmt: skip
    add_import(d.nsc, account="B", token=token, now=NOW)
    assert _imports(d)[0].account == d.account.public_key
    # a signing key without issuer_account names the key, which is not an exporter
    token = _activation(d, b.public_key, "p", signer=d.signing, service=True)
    with pytest.raises(InvalidKeyError, match="is a signing key of account \"A\""):
        add_import(d.nsc, account="B", token=token, now=NOW)


def test_the_activation_must_cover_an_export_of_its_kind() -> None:
    d, b = _with_b()
    add_export(d.nsc, "p", account="A", private=True)
    with pytest.raises(NotFoundError, match='a stream export for "q" was not found in account'):
        add_import(d.nsc, account="B", token=_activation(d, b.public_key, "q"), now=NOW)


@pytest.mark.parametrize("key", ["*", "target"])
def test_a_revoked_activation_is_refused(key: str) -> None:
    d, b = _with_b()
    add_export(d.nsc, "p", account="A", private=True)
    store = d.nsc.store()
    account = store.account("A")
    account.nats.exports[0].revocations = {b.public_key if key == "target" else "*": NOW}
    save_account(store, "A", account, d.operator)
    token = _activation(d, b.public_key, "p", iat=NOW - 10)
    with pytest.raises(ClaimsError, match=re.escape(
        'the activation was revoked by account "A" (stream export "p")'
    )):  # fmt: skip
        add_import(d.nsc, account="B", token=token, now=NOW)
    # issued after the revocation: accepted
    add_import(d.nsc, account="B", token=_activation(d, b.public_key, "p", iat=NOW + 10),
               now=NOW + 20)  # fmt: skip


def test_an_activation_of_another_operator_is_checked_alone() -> None:
    d, b = _with_b()
    exporter = keys.generate("account")
    add_import(d.nsc, account="B", token=_activation(d, b.public_key, "x.>", signer=exporter),
               now=NOW)  # fmt: skip
    assert _imports(d)[0].account == exporter.public_key


# delete_import ------------------------------------------------------------------------------


def _two_exporters() -> tuple[Deployment, str]:
    d, _ = _with_b()
    add_export(d.nsc, "s", account="A")
    add_export(d.nsc, "s", account="SYS")
    add_export(d.nsc, "q", account="A", service=True)
    add_import(d.nsc, account="B", src_account="A", remote_subject="s")
    add_import(d.nsc, account="B", src_account="SYS", remote_subject="s")
    add_import(d.nsc, account="B", src_account="A", remote_subject="q", service=True)
    return d, d.system.public_key


def test_delete_import() -> None:
    d, sys_key = _two_exporters()
    with pytest.raises(UsageError, match="subject is required"):
        delete_import(d.nsc, account="B")
    with pytest.raises(StoreError, match='more than one import "s" found - specify '
                                         "--src-account"):  # fmt: skip
        delete_import(d.nsc, "s", account="B")
    result = delete_import(d.nsc, "s", account="B", src_account="SYS")
    assert [e.text for e in result.report.children] == ['deleted stream import "s"']
    assert result.imported.account == sys_key
    assert sorted((i.subject, i.account) for i in _imports(d)) == [
        ("q", d.account.public_key), ("s", d.account.public_key)
    ]  # fmt: skip
    with pytest.raises(NotFoundError, match='no import matching "x" found'):
        delete_import(d.nsc, "x", account="B")
    with pytest.raises(NotFoundError, match='no import matching "s" found from account SYS'):
        delete_import(d.nsc, "s", account="B", src_account="SYS")
    delete_import(d.nsc, "s", account="B", src_account=d.account.public_key)
    delete_import(d.nsc, account="B")  # the only one left
    assert _imports(d) == []
    with pytest.raises(NotFoundError, match='account "B" doesn\'t have imports'):
        delete_import(d.nsc, account="B")


def test_every_failure_is_an_nsc_error_and_writes_nothing() -> None:
    d, _ = _with_b()
    before = d.account_jwt("B")
    for kwargs in ({"src_account": "A", "remote_subject": "s"}, {"token": "garbage"}, {}):
        with pytest.raises(NscError):
            add_import(d.nsc, account="B", **kwargs)  # type: ignore[arg-type]
    assert d.account_jwt("B") == before


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"remote_subject": "a\tb"}, 'subject "a\\tb" cannot contain a tab ("\\t")'),
        ({"remote_subject": "a.>.b"}, 'subject "a.>.b" can have ">" only as its last token'),
        ({"remote_subject": "x.>", "local_subject": "l\r.>"},
         'subject "l\\r.>" cannot contain a carriage return ("\\r")'),
        ({"remote_subject": "x.>", "local_subject": ">.l"},
         'subject ">.l" can have ">" only as its last token'),
    ],
)  # fmt: skip
def test_subjects_the_server_cannot_use(kwargs: dict[str, str], message: str) -> None:
    d, _ = _with_b()
    before = d.account_jwt("B")
    with pytest.raises(UsageError) as caught:
        add_import(d.nsc, account="B", src_account="A", **kwargs)
    assert caught.value.message == message
    assert d.account_jwt("B") == before


def test_an_activation_for_a_subject_the_server_cannot_use() -> None:
    d, b = _with_b()
    token = _activation(d, b.public_key, "x.>.y")
    with pytest.raises(ClaimsError) as caught:
        add_import(d.nsc, account="B", token=token, now=NOW)
    assert caught.value.message == (
        'invalid activation: subject "x.>.y" can have ">" only as its last token'
    )
