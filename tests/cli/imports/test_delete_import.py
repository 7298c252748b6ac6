"""``pynsc delete import``: by subject, auto-selected, disambiguated by ``--src-account``
(nsc's behaviour §5.3 #38)."""

from __future__ import annotations

import json

import pytest

from pynsc import claims as c
from pynsc import keys
from tests.cli.imports.conftest import Env


@pytest.fixture
def env(env: Env) -> Env:
    """Exporters ``A`` and ``C`` (both export stream ``s`` and service ``q``), importer ``B``."""
    for name in ("A", "C", "B"):
        env.add_account(name)
    for exporter in ("A", "C"):
        env.add_export(exporter, "s")
        env.add_export(exporter, "q", service=True)
    return env


def _import(env: Env, exporter: str, subject: str, *, service: bool = False) -> c.Import:
    imp = c.Import(
        name=subject,
        subject=subject,
        account=env.accounts[exporter].public_key,
        type=c.SERVICE if service else c.STREAM,
        local_subject=f"{exporter.lower()}.{subject}" if service else "",
    )
    env.add_import("B", imp)
    return imp


def _subjects(env: Env) -> list[tuple[str, str]]:
    names = {kp.public_key: name for name, kp in env.accounts.items()}
    return [(i.subject, names[i.account]) for i in env.account("B").nats.imports]


def test_no_imports(env: Env) -> None:  # 5.3 #38
    expected = 'account "B" doesn\'t have imports'
    assert env.fails("delete", "import", "-a", "B", "-s", "s") == expected
    assert env.fails("delete", "import", "-a", "B") == expected


def test_single_import_needs_no_subject(env: Env) -> None:
    _import(env, "A", "q", service=True)
    lines = env.ok_lines("delete", "import", "-a", "B")
    assert lines == ['[ OK ] deleted service import "q"']
    assert env.account("B").nats.imports == []


def test_by_subject(env: Env) -> None:
    _import(env, "A", "s")
    _import(env, "A", "q", service=True)
    assert env.fails("delete", "import", "-a", "B", exit_code=2) == "subject is required"
    assert env.ok_lines("delete", "import", "-a", "B", "--subject", "s") == [
        '[ OK ] deleted stream import "s"'
    ]
    assert _subjects(env) == [("q", "A")]


def test_no_match(env: Env) -> None:
    _import(env, "A", "s")
    assert env.fails("delete", "import", "-a", "B", "-s", "x") == 'no import matching "x" found'
    message = env.fails("delete", "import", "-a", "B", "-s", "s", "--src-account", "C")
    assert message == 'no import matching "s" found from account C'


def test_ambiguous_subject_needs_src_account(env: Env) -> None:  # 5.3 #38
    _import(env, "A", "s")
    _import(env, "C", "s")
    message = env.fails("delete", "import", "-a", "B", "-s", "s")
    a, c_ = env.accounts["A"].public_key, env.accounts["C"].public_key
    assert message == (
        f'more than one import "s" found - specify --src-account with one of {a}, {c_}'
    )
    env.ok("delete", "import", "-a", "B", "-s", "s", "--src-account", "C")
    assert _subjects(env) == [("s", "A")]


def test_src_account_by_public_key(env: Env) -> None:
    _import(env, "A", "s")
    _import(env, "C", "s")
    env.ok("delete", "import", "-a", "B", "-s", "s", "--src-account", env.accounts["A"].public_key)
    assert _subjects(env) == [("s", "C")]


def test_src_account_must_match_even_when_unique(env: Env) -> None:
    """nsc deleted the only import of the subject whatever --src-account said."""
    _import(env, "A", "s")
    other = keys.generate("account").public_key
    message = env.fails("delete", "import", "-a", "B", "-s", "s", "--src-account", other)
    assert message == f'no import matching "s" found from account {other}'


def test_keeps_other_fields(env: Env) -> None:
    _import(env, "A", "s")
    _import(env, "C", "q", service=True)

    def change(claims: c.AccountClaims) -> None:
        claims.nats.tags = ["x"]
        claims.nats.limits.subs = 7

    env.edit_account("B", change)
    env.ok("delete", "import", "-a", "B", "-s", "q")
    claims = env.account("B")
    assert (claims.nats.tags, claims.nats.limits.subs) == (["x"], 7)
    assert _subjects(env) == [("s", "A")]


def test_no_operator_key(env: Env) -> None:
    _import(env, "A", "s")
    env.keystore.remove(env.operator.public_key)
    message = env.fails("delete", "import", "-a", "B")
    assert message.startswith("unable to resolve any of the following signing keys")


def test_unknown_account(env: Env) -> None:
    message = env.fails("delete", "import", "-a", "Z", "-s", "s")
    assert message.startswith('"Z" not in accounts for operator "O"')


def test_json(env: Env) -> None:
    _import(env, "A", "s")
    payload = env.json("delete", "import", "-a", "B", "-s", "s")
    assert payload["messages"] == [{"level": "ok", "text": 'deleted stream import "s"'}]
    assert payload["data"] == {
        "account": "B",
        "import": {
            "name": "s",
            "subject": "s",
            "account": env.accounts["A"].public_key,
            "type": "stream",
        },
    }


def test_json_failure(env: Env) -> None:
    before = env.digest()
    result = env.run("delete", "import", "-a", "B", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["messages"] == [
        {"level": "error", "text": 'account "B" doesn\'t have imports'}
    ]
    assert env.digest() == before
