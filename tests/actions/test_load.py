"""``load_managed_account`` rules at the library level (no CLI involved): profile or URL, the
seed, the user, the operator's name, and the operator and account made current."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pynsc import keys
from pynsc.actions import Nsc
from pynsc.actions.load import load_managed_account
from pynsc.errors import InvalidKeyError, NotFoundError, StoreError, UsageError
from pynsc.keys import KeyPair
from pynsc.push.load import ProfileError
from pynsc.store import ToolConfig
from tests.cli.account_server import AccountServer, start_account_server
from tests.cli.accountserver.conftest import register_account


@pytest.fixture
def server() -> Iterator[AccountServer]:
    state = start_account_server()
    try:
        yield state
    finally:
        state.stop()


@pytest.fixture
def acme(server: AccountServer) -> KeyPair:
    return register_account(server)


def _nsc(root: Path) -> Nsc:
    return Nsc.open(config_dir=root / "config", data_dir=root / "stores",
                    keystore_dir=root / "keys")  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"profile": "nsc://x?secret=SA", "url": "u"},
         "--profile and --url are mutually exclusive"),
        ({"profile": "nsc://x", "seed": "SA"}, "--profile and --seed are mutually exclusive"),
        ({"profile": "nsc://x", "url": "u", "seed": "SA"},
         "--profile and --url and --seed are mutually exclusive"),
        ({"profile": "nsc://x?secret=SA&user=a", "user": "b"},
         "--user and the profile's user= differ"),
        ({"seed": "SA"}, "missing account server URL: give --url <operator jwt url> or --profile "
                         "nsc://<operator>?secret=<account seed>"),
        ({"url": "http://x"}, "expected account seed to initialize: give --seed SA... (or "
                              "secret= in --profile)"),
    ],
)  # fmt: skip
def test_usage_rules(tmp_path: Path, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as raised:
        load_managed_account(_nsc(tmp_path), **kwargs)
    assert (raised.value.message, raised.value.exit_code) == (message, 2)
    assert not (tmp_path / "stores").exists()


def test_a_profile_names_a_well_known_operator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NSC_NOPE_OPERATOR", raising=False)
    with pytest.raises(NotFoundError) as raised:
        load_managed_account(_nsc(tmp_path), profile="nsc://nope?secret=SAX")
    assert raised.value.message == 'unable to find operator "nope"'
    assert raised.value.hint is not None
    assert "NSC_NOPE_OPERATOR=" in raised.value.hint
    with pytest.raises(ProfileError, match="must look like") as malformed:
        load_managed_account(_nsc(tmp_path), profile="http://nope")
    assert malformed.value.exit_code == 2


def test_the_seed_must_be_an_account_seed(tmp_path: Path, server: AccountServer) -> None:
    user_seed = keys.generate("user").seed
    assert user_seed is not None
    with pytest.raises(InvalidKeyError, match="expected account seed"):
        load_managed_account(_nsc(tmp_path), url=server.operator_url, seed=user_seed)


def test_an_in_memory_nsc_has_nowhere_to_load_into(server: AccountServer, acme: KeyPair) -> None:
    assert acme.seed is not None
    with pytest.raises(StoreError, match="in-memory"):
        load_managed_account(Nsc.memory(), url=server.operator_url, seed=acme.seed)


def test_load_with_url_makes_operator_and_account_current(
    tmp_path: Path, server: AccountServer, acme: KeyPair
) -> None:
    assert acme.seed is not None
    nsc = _nsc(tmp_path)
    outcome = load_managed_account(nsc, url=server.operator_url, seed=acme.seed, user="ci")
    result = outcome.result
    assert (result.operator_name, result.account_name, result.user_name) == ("T", "Acme", "ci")
    assert (nsc.operator, nsc.account) == ("T", "Acme")
    config = ToolConfig.load(tmp_path / "config" / "nsc.json")
    assert (config.operator, config.account) == ("T", "Acme")
    assert nsc.store().user("Acme", "ci").iss == acme.public_key
    assert result.creds is not None
    assert result.creds.is_file()
    assert [e.text for e in outcome.report.children] == [
        'imported operator "T"',
        'stored account "Acme" from the account server',
        f'stored account key "{acme.public_key}"',
        f'generated and stored user key "{result.user_key}"',
        f"generated and stored user credentials at `{result.creds}`",
        'made operator "T" and account "Acme" current',
    ]
    assert outcome.report.data == result.to_dict()

    again = load_managed_account(nsc, url=server.operator_url, seed=acme.seed, user="ci",
                                 save=False)  # fmt: skip
    assert [(e.level.name, e.text) for e in again.report.children][:3] == [
        ("OK", 'operator "T" is in the store already'),
        ("OK", 'account "Acme" is unchanged'),
        ("WARN", 'the user "ci" already exists'),
    ]


def test_load_with_profile_names_the_store_after_it(
    tmp_path: Path, server: AccountServer, acme: KeyPair, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NSC_ACME_OPERATOR", server.operator_url)
    nsc = _nsc(tmp_path)
    outcome = load_managed_account(nsc, profile=f"nsc://acme?secret={acme.seed}", user="dave")
    assert (outcome.result.operator_name, outcome.result.user_name) == ("acme", "dave")
    assert nsc.operator == "acme"
