"""What the generate commands make, at the library level: creds, nats CLI contexts, profiles
and nkeys, with the rules that pick the user, the keys and the seeds."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from pynsc.actions import add_user
from pynsc.actions.creds import (
    NscURL,
    generate_context,
    generate_creds,
    generate_nkeys,
    generate_profile,
    parse_nsc_url,
)
from pynsc.errors import KeyStoreError, NotFoundError, StoreError, UsageError
from pynsc.keys import KeyKind, format_creds, from_seed

from .builders import deployment

# Creds ---------------------------------------------------------------------------------------


def test_creds_of_the_only_user() -> None:
    d = deployment()
    added = add_user(d.nsc, "u1")
    result = generate_creds(d.nsc)
    assert (result.account, result.name, result.path) == ("A", "u1", None)
    assert result.text == format_creds(added.jwt, added.creds.seed or "")
    assert result.report.data == {"account": "A", "name": "u1", "creds": result.text}
    assert result.report.children == []


def test_creds_need_a_user_and_its_seed() -> None:
    d = deployment()
    with pytest.raises(StoreError, match="user is required"):
        generate_creds(d.nsc)
    u1 = add_user(d.nsc, "u1")
    add_user(d.nsc, "u2")
    with pytest.raises(StoreError, match="user is required"):
        generate_creds(d.nsc)
    assert generate_creds(d.nsc, u1.creds.public_key).name == "u1"
    d.nsc.keystore.remove(u1.creds.public_key)
    with pytest.raises(KeyStoreError, match=r'the seed of user "u1" .* is not in the keystore'):
        generate_creds(d.nsc, "u1", account=d.account.public_key)


def test_creds_written_to_a_file(tmp_path: Path) -> None:
    d = deployment()
    add_user(d.nsc, "u1")
    target = tmp_path / "sub" / "u1.creds"
    result = generate_creds(d.nsc, "u1", output=target)
    assert result.path == target
    assert target.read_text() == result.text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert result.report.data == {"account": "A", "name": "u1", "path": str(target)}
    assert [c.text for c in result.report.children] == [f"generated `{target}`"]


# nats CLI contexts ---------------------------------------------------------------------------


def _contexts() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "nats" / "context"


def test_context_points_at_the_creds_and_first_service_url(tmp_path: Path) -> None:
    d = deployment(tmp_path)
    add_user(d.nsc, "u1")
    result = generate_context(d.nsc, " ctx ")
    creds = d.nsc.keystore.creds_path("O", "A", "u1")
    assert result.path == _contexts() / "ctx.json"
    assert result.content == {"nsc": "nsc://O/A/u1", "creds": str(creds)}  # no service URLs
    assert json.loads(result.path.read_text()) == result.content
    assert result.report.data == {"path": str(result.path), "context": result.content}
    assert generate_context(d.nsc, "sys.json", user="u1", account="A").path.name == "sys.json"


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "context name is required"), (" ", "context name is required"),
     ("a/b", "context name cannot contain filepath separators"),
     ("a\\b", "context name cannot contain filepath separators")],
)  # fmt: skip
def test_context_names(tmp_path: Path, name: str, message: str) -> None:
    d = deployment(tmp_path)
    with pytest.raises(UsageError, match=message):
        generate_context(d.nsc, name)
    assert not _contexts().exists()


def test_context_needs_a_user_and_its_creds_file(tmp_path: Path) -> None:
    d = deployment(tmp_path)
    with pytest.raises(StoreError, match=r'^account "A" has no users$'):
        generate_context(d.nsc, "c")
    add_user(d.nsc, "u1")
    add_user(d.nsc, "u2")
    with pytest.raises(StoreError, match=r"^user is required$"):
        generate_context(d.nsc, "c")
    d.nsc.keystore.remove_creds("O", "A", "u2")
    with pytest.raises(NotFoundError, match="doesn't exist - pynsc generate creds first"):
        generate_context(d.nsc, "c", user="u2")
    assert not _contexts().exists()


# Profiles ------------------------------------------------------------------------------------


def test_parse_nsc_url() -> None:
    url = parse_nsc_url("NSC://O/my%20acct/u?userSeed&accountSeed=Abc&Names")
    assert url == NscURL("O", "my acct", "u", {"userseed": "", "accountseed": "Abc", "names": ""})
    assert url.entities == ["operator", "account", "user"]
    assert parse_nsc_url("nsc://O").entities == ["operator"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nats://O", "invalid nsc url: expecting 'nsc://'"),
        ("nsc://", "invalid nsc url: expecting an operator name"),
        ("nsc://O//U", "invalid nsc url: expecting nsc://operator[/account[/user]]"),
        ("nsc://O/A/U/X", "invalid nsc url: expecting nsc://operator[/account[/user]]"),
        ("nsc://O?bogus", "invalid nsc url: unknown option 'bogus'"),
    ],
)
def test_bad_nsc_urls(url: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_nsc_url(url)
    assert caught.value.message == message


def test_profile_everything_of_a_user() -> None:
    d = deployment()
    user = add_user(d.nsc, "u1")
    profile = generate_profile(d.nsc, "nsc://o/a/U1?names&keys&seeds")
    assert profile.data == {
        "user_creds": str(d.nsc.keystore.creds_path("O", "A", "u1")),
        "operator": {"name": "O", "seed": d.operator.seed, "id": d.operator.public_key},
        "account": {"name": "A", "seed": d.account.seed, "id": d.account.public_key},
        "user": {"name": "u1", "seed": user.creds.seed, "id": user.creds.public_key},
    }
    assert profile.report.data is profile.data
    assert json.loads(profile.text) == profile.data
    assert profile.text.endswith("}\n")


def test_profile_options_target_the_last_entity_or_one() -> None:
    d = deployment()
    profile = generate_profile(d.nsc, f"nsc://{d.operator.public_key}/a?Key&operatorName")
    assert profile.data == {"operator": {"name": "O"}, "account": {"id": d.account.public_key}}
    signing = generate_profile(d.nsc, f"nsc://O/A?accountSeed={d.signing.public_key.lower()}")
    assert signing.data["account"] == {"seed": d.signing.seed}


@pytest.mark.parametrize(
    ("url", "error", "message"),
    [
        ("nsc://X", NotFoundError, 'invalid operator "X": operator was not found'),
        ("nsc://O/X", NotFoundError, 'invalid account "X": account was not found'),
        ("nsc://O/A/X", NotFoundError, 'invalid user "X": user was not found'),
        ("nsc://O?operatorSeed=OABC", NotFoundError, '"OABC" was not found'),
    ],
)
def test_profile_errors(url: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        generate_profile(deployment().nsc, url)


def test_profile_missing_seed_and_output_file(tmp_path: Path) -> None:
    d = deployment()
    d.nsc.keystore.remove(d.account.public_key)
    d.nsc.keystore.remove(d.signing.public_key)
    d.nsc.keystore.remove(d.scoped.public_key)
    with pytest.raises(KeyStoreError, match=f'^no seed was found for "{d.account.public_key}"$'):
        generate_profile(d.nsc, "nsc://O/A?seed")
    target = tmp_path / "profile.json"
    profile = generate_profile(d.nsc, "nsc://O?seed", output=target)
    assert profile.path == target
    assert target.read_text() == profile.text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [c.text for c in profile.report.children] == [
        f"wrote tool configuration to `{target}`"
    ]


def test_profile_from_another_store_and_keystore(tmp_path: Path) -> None:
    d = deployment(tmp_path)
    elsewhere = deployment(tmp_path / "elsewhere")
    url = (
        f"nsc://O/A?store={tmp_path / 'elsewhere' / 'stores'}"
        f"&keystore={tmp_path / 'elsewhere' / 'keys'}&seed&key"
    )
    profile: dict[str, Any] = generate_profile(d.nsc, url).data
    account = elsewhere.account
    assert profile["account"] == {"seed": account.seed, "id": account.public_key}
    assert d.nsc.store_root == tmp_path / "stores"  # the context is not changed


# nkeys ---------------------------------------------------------------------------------------


def test_nkeys_printed_or_stored() -> None:
    d = deployment()
    shown = generate_nkeys(d.nsc, ["user", KeyKind.CURVE, "user"])
    assert [k.kind for k in shown.keys] == [KeyKind.USER, KeyKind.CURVE]  # once each
    assert all(from_seed(k.seed or "").public_key == k.public_key for k in shown.keys)
    assert not any(d.nsc.keystore.has(k.public_key) for k in shown.keys)
    assert shown.report.children == []
    stored = generate_nkeys(d.nsc, [KeyKind.ACCOUNT], store=True)
    (key,) = stored.keys
    assert key.seed is None
    assert d.nsc.keystore.has(key.public_key)
    assert stored.report.data == [
        {"kind": "account", "public_key": key.public_key, "path": str(key.path)}
    ]
    assert [c.text for c in stored.report.children] == [f"account key stored `{key.path}`"]


def test_nkeys_need_a_kind() -> None:
    nsc = deployment().nsc
    with pytest.raises(UsageError, match="specify at least one of --operator"):
        generate_nkeys(nsc, [])
    with pytest.raises(UsageError, match="'bogus' is not a kind of key"):
        generate_nkeys(nsc, ["bogus"])
