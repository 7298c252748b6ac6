"""The system-account user push and pull connect with, picked or minted from the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.errors import KeyStoreError, NotFoundError, PushError
from pynsc.keys import KeyPair, KeyStore
from pynsc.push.sysuser import TEMPORARY_USER_TTL, system_account, system_user
from tests.cli.harness import new_account, new_operator, new_user


class World:
    """Operator O with system account SYS (and account A), all keys stored."""

    def __init__(self, home: Path) -> None:
        self.store, self.keystore, self.operator = new_operator(home)
        self.sys = new_account(self.store, self.keystore, "SYS", self.operator)
        new_account(self.store, self.keystore, "A", self.operator)
        self.edit_operator(lambda o: setattr(o.nats, "system_account", self.sys.public_key))

    def edit_operator(self, change: object) -> None:
        from pynsc.store import ops

        claims = self.store.operator()
        change(claims)  # type: ignore[operator]
        ops.save_operator(self.store, claims, self.operator)

    def add_signing_key(self, *, scoped: bool = False, store: bool = True) -> KeyPair:
        from pynsc.store import ops

        key = keys.generate("account")
        if store:
            self.keystore.store(key)
        claims = self.store.account("SYS")
        claims.nats.signing_keys[key.public_key] = (
            c.UserScope(key=key.public_key, role="r") if scoped else None
        )
        ops.save_account(self.store, "SYS", claims, self.operator)
        return key

    def user(self, **options: object) -> c.UserClaims:
        found = system_user(self.store, self.keystore, account=system_account(self.store),
                            **options)  # type: ignore[arg-type]  # fmt: skip
        return c.decode(found.credentials.jwt, c.UserClaims)


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def test_minted_user_is_short_lived_and_limited(world: World) -> None:
    user = world.user(allow_pub=["$SYS.REQ.CLAIMS.LIST"], inbox_prefix="_INBOX_x", now=1000)
    assert user.name == "pynsc temporary push user"
    assert user.iss == world.sys.public_key
    assert user.nats.issuer_account == ""
    assert user.exp == 1000 + TEMPORARY_USER_TTL
    assert user.nats.pub.allow == ["$SYS.REQ.CLAIMS.LIST"]
    assert user.nats.sub.allow == ["_INBOX_x.>"]


def test_strict_operator_signs_with_an_unscoped_signing_key(world: World) -> None:
    world.add_signing_key(scoped=True)
    key = world.add_signing_key()
    world.edit_operator(lambda o: setattr(o.nats, "strict_signing_key_usage", True))
    user = world.user()
    assert user.iss == key.public_key
    assert user.nats.issuer_account == world.sys.public_key


def test_strict_operator_without_system_signing_keys(world: World) -> None:
    world.edit_operator(lambda o: setattr(o.nats, "strict_signing_key_usage", True))
    with pytest.raises(PushError) as raised:
        world.user()
    assert raised.value.message == (
        'operator requires signing keys, system account "SYS" doesn\'t have signing keys'
    )
    world.add_signing_key(scoped=True)
    with pytest.raises(PushError) as raised:
        world.user()
    assert raised.value.message == (
        'system account "SYS" only has scoped signing keys, specify --system-user'
    )


def test_stored_system_user_by_name(world: World) -> None:
    pair = new_user(world.store, world.keystore, "SYS", "sys")
    found = system_user(world.store, world.keystore, account=system_account(world.store),
                        user="sys")  # fmt: skip
    assert (found.name, found.public_key, found.temporary) == ("sys", pair.public_key, False)
    with pytest.raises(NotFoundError):
        system_user(world.store, world.keystore, account=system_account(world.store), user="no")


def test_stored_user_without_seed_is_refused(world: World) -> None:
    new_user(world.store, world.keystore, "SYS", "sys", store_key=False)
    with pytest.raises(KeyStoreError) as raised:
        system_user(world.store, world.keystore, account=system_account(world.store),
                    user="sys")  # fmt: skip
    assert "is not in the keystore" in raised.value.message


def test_falls_back_to_a_stored_user_when_no_key_can_sign(world: World, tmp_path: Path) -> None:
    pair = new_user(world.store, world.keystore, "SYS", "sys")
    world.keystore.remove(world.sys.public_key)
    found = system_user(world.store, world.keystore, account=system_account(world.store))
    assert (found.public_key, found.temporary) == (pair.public_key, False)
    KeyStore(tmp_path).remove(pair.public_key)
    with pytest.raises(KeyStoreError) as raised:
        system_user(world.store, world.keystore, account=system_account(world.store))
    assert raised.value.message.startswith('no key to sign a system user of account "SYS"')


def test_system_account_override_and_missing(world: World) -> None:
    assert system_account(world.store, "A").name == "A"
    key = world.store.account("A").sub
    assert system_account(world.store, key).name == "A"
    world.edit_operator(lambda o: setattr(o.nats, "system_account", ""))
    with pytest.raises(PushError) as raised:
        system_account(world.store)
    assert raised.value.message == 'operator "O" has no system account'
