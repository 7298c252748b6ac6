"""One user among very many: commands on one user never read the others' files.

The account holds a few real users beside thousands of files that are not JWTs at all; reading
any of them would fail the command. (nsc #423: revoking was slow with 10k users.)
"""

from __future__ import annotations

import pytest

from pynsc import claims as c
from tests.cli.user.conftest import Env

NOISE = 500


@pytest.fixture
def big(env: Env) -> Env:
    env.add_user("A", "alice")
    env.add_user("A", "bob")
    users = env.store.dir / "accounts" / "A" / "users"
    for n in range(NOISE):
        (users / f"noise{n:05d}.jwt").write_text("not a jwt")
    return env


@pytest.mark.parametrize(
    "args",
    [
        ("add", "user", "carol"),
        ("describe", "user", "alice"),
        ("describe", "user", "-n", "alice", "--json"),
        ("edit", "user", "alice", "--allow-pub", "x.>"),
        ("generate", "creds", "-n", "alice"),
        ("revocations", "add-user", "-n", "alice"),
        ("revocations", "delete-user", "-u", "*"),
        ("delete", "user", "bob", "--revoke"),
    ],
)
def test_one_user_commands_read_no_other_user(big: Env, args: tuple[str, ...]) -> None:
    if args[:2] == ("revocations", "delete-user"):
        big.ok("revocations", "add-user", "-u", "*")
    big.ok(*args)


def test_revoking_one_user_among_many_writes_only_the_account(big: Env) -> None:
    alice = big.store.user("A", "alice")
    big.ok("revocations", "add-user", "-n", "alice")
    account = big.store.account("A")
    assert account.is_revoked(alice.sub, alice.iat)
    assert isinstance(account, c.AccountClaims)
