"""Every command-line flag that takes a key reads it exactly (issue 9, defect 2).

Each case runs a command twice on a fresh copy of the same store: with a key one character too
long (or a seed with a flipped padding bit) it fails and changes nothing; with the exact key it
succeeds, so the failure is the key's. ``-K ''`` is an error, not "no key" (defect 7), and a bad
``-K`` value is never printed (issue 10, item 10).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pynsc import keys
from pynsc.keys import KeyPair
from tests.cli.conftest import Pynsc
from tests.cli.harness import StoreEnv, tree_digest


@pytest.fixture
def pynsc() -> Pynsc:
    return Pynsc()


def _twin(text: str) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    return text[:-1] + alphabet[alphabet.index(text[-1]) ^ 1]


@dataclass
class World:
    """Operator ``O`` (key stored), account ``A`` with a private export ``p.>``, user ``u``,
    account ``B``, a signing key of ``A`` and one of ``O``, all stored; and loose keys."""

    env: StoreEnv
    operator_sk: KeyPair
    account_sk: KeyPair
    loose_operator: KeyPair
    loose_account: KeyPair
    loose_user: KeyPair
    loose_curve: KeyPair
    user: KeyPair

    @property
    def home(self) -> Path:
        return self.env.home


def _world(tmp_path: Path, pynsc: Pynsc) -> World:
    home = tmp_path / "nsc"
    home.mkdir()
    env = StoreEnv.create(home, pynsc, accounts=("A", "B"))
    env.add_export("A", "p.>", private=True)
    user = env.add_user("A", "u")
    world = World(
        env=env,
        operator_sk=env.add_operator_signing_key(),
        account_sk=env.add_signing_key("A"),
        loose_operator=keys.generate("operator"),
        loose_account=keys.generate("account"),
        loose_user=keys.generate("user"),
        loose_curve=keys.generate("curve"),
        user=user,
    )
    env.select("A")
    return world


def _write(world: World, name: str, text: str) -> str:
    path = world.home.parent / name
    path.write_text(text)
    return str(path)


def _key_dir(world: World, seed: str) -> str:
    directory = world.home.parent / "import"
    directory.mkdir(exist_ok=True)
    (directory / "key.nk").write_text(seed + "\n")
    return str(directory)


def _creds_file(world: World, seed_of: Callable[[str], str]) -> str:
    user = world.env.store.user_token("A", "u")
    seed = world.user.require_seed()
    return _write(world, "u.creds", keys.format_creds(user, seed).replace(seed, seed_of(seed)))


# (id, args made from a World and a key transform: identity for the good run, the near miss
# for the bad run)
Args = Callable[[World, Callable[[str], str]], list[str]]

CASES: list[tuple[str, Args]] = [
    ("-K seed", lambda w, f: ["add", "user", "x", "-K", f(w.env.accounts["A"].require_seed())]),
    ("-K public key", lambda w, f: ["add", "user", "x", "-K", f(w.account_sk.public_key)]),
    ("-K file", lambda w, f: ["add", "user", "x", "-K",
                              _write(w, "k.nk", f(w.account_sk.require_seed()))]),
    ("add user -k public", lambda w, f: ["add", "user", "x", "-k", f(w.loose_user.public_key)]),
    ("add user -k seed", lambda w, f: ["add", "user", "x", "-k",
                                       f(w.loose_user.require_seed())]),
    ("add account --public-key", lambda w, f: ["add", "account", "X", "--public-key",
                                               f(w.loose_account.public_key)]),
    ("edit operator --sk", lambda w, f: ["edit", "operator", "--sk",
                                         f(w.loose_operator.public_key)]),
    ("edit operator --rm-sk", lambda w, f: ["edit", "operator", "--rm-sk",
                                            f(w.operator_sk.public_key)]),
    ("edit account --sk", lambda w, f: ["edit", "account", "A", "--sk",
                                        f(w.loose_account.public_key)]),
    ("edit account --rm-sk", lambda w, f: ["edit", "account", "A", "--rm-sk",
                                           f(w.account_sk.public_key)]),
    ("edit signing-key --sk", lambda w, f: ["edit", "signing-key", "-a", "A", "--sk",
                                            f(w.account_sk.public_key), "--role", "r"]),
    ("import keys", lambda w, f: ["import", "keys", "--dir",
                                  _key_dir(w, f(w.loose_user.require_seed()))]),
    ("import user --file", lambda w, f: ["import", "user", "--overwrite", "--file",
                                         _creds_file(w, f)]),
    ("revocations add-user -u", lambda w, f: ["revocations", "add-user", "-u",
                                              f(w.user.public_key)]),
    ("revocations add-activation -t", lambda w, f: ["revocations", "add-activation", "-s", "p.>",
                                                    "-t", f(w.loose_account.public_key)]),
    ("generate activation -t", lambda w, f: ["generate", "activation", "-s", "p.>", "-t",
                                             f(w.loose_account.public_key)]),
    ("edit authcallout --auth-user", lambda w, f: ["edit", "authcallout", "-a", "B",
                                                   "--auth-user", f(w.loose_user.public_key)]),
    ("edit authcallout --curve", lambda w, f: ["edit", "authcallout", "-a", "B", "--auth-user",
                                               w.loose_user.public_key, "--curve",
                                               f(w.loose_curve.public_key)]),
    ("select account KEY", lambda w, f: ["select", "account",
                                         f(w.env.accounts["B"].public_key)]),
    ("describe operator -n KEY", lambda w, f: ["describe", "operator", "-n",
                                               f(w.env.operator.public_key)]),
]  # fmt: skip


def _run(tmp_path: Path, pynsc: Pynsc, args: Args, transform: Callable[[str], str]) -> None:
    world = _world(tmp_path, pynsc)
    command = args(world, transform)
    before = tree_digest(world.home)
    result = world.env.run(*command)
    assert "Traceback" not in result.stderr
    if transform is _same:
        assert result.exit_code == 0, (command, result.stdout, result.stderr)
        return
    assert result.exit_code != 0, (command, result.stdout, result.stderr)
    assert tree_digest(world.home) == before, "a refused key changed the store"
    assert result.stderr.startswith("Error: "), result.stderr


def _same(key: str) -> str:
    return key


def _one_more(key: str) -> str:
    return key + "A"


@pytest.mark.parametrize(("case", "args"), CASES, ids=[c for c, _ in CASES])
def test_an_exact_key_works(tmp_path: Path, pynsc: Pynsc, case: str, args: Args) -> None:
    _run(tmp_path, pynsc, args, _same)


@pytest.mark.parametrize(("case", "args"), CASES, ids=[c for c, _ in CASES])
def test_a_key_with_a_character_more_is_refused(
    tmp_path: Path, pynsc: Pynsc, case: str, args: Args
) -> None:
    _run(tmp_path, pynsc, args, _one_more)


SEED_CASES = [(case, args) for case, args in CASES if "seed" in case or "file" in case
              or case == "import keys"]  # fmt: skip


@pytest.mark.parametrize(("case", "args"), SEED_CASES, ids=[c for c, _ in SEED_CASES])
def test_a_seed_with_a_flipped_padding_bit_is_refused(
    tmp_path: Path, pynsc: Pynsc, case: str, args: Args
) -> None:
    _run(tmp_path, pynsc, args, _twin)


# -K: empty, and never echoed ------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_private_key_is_a_usage_error(
    tmp_path: Path, pynsc: Pynsc, value: str
) -> None:
    world = _world(tmp_path, pynsc)
    before = tree_digest(world.home)
    result = world.env.run("add", "user", "x", "-K", value)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "empty value is not a key" in result.stderr
    assert tree_digest(world.home) == before


def test_a_bad_private_key_is_not_echoed(tmp_path: Path, pynsc: Pynsc) -> None:
    world = _world(tmp_path, pynsc)
    seed = world.env.accounts["A"].require_seed()
    for value in ("SAgarbage", seed + "A", seed[:30], seed[1:]):
        result = world.env.run("add", "user", "x", "-K", value)
        assert result.exit_code == 1, (result.stdout, result.stderr)
        lines = result.stderr.splitlines()
        assert lines[0].startswith("Error: invalid "), lines
        assert value[2:] not in result.stderr
        assert f"{value[:2]}\u2026" in lines[0]
        assert lines[1].startswith("Hint: expected a seed"), lines
