"""Bad input across the store commands: one clear line, exit 1 (2 for usage), nothing changed.

Each case runs against the same small store and hashes store, keystore and nsc.json before and
after (the issue's acceptance #5, gathered in one table).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pynsc import keys
from tests.cli.conftest import Pynsc, assert_one_error
from tests.cli.user.conftest import Env, make_env

USER_SEED = keys.generate("user").require_seed()
USER_KEY = keys.generate("user").public_key
CLUSTER_KEY = keys.generate("cluster").public_key


@pytest.fixture
def store(tmp_path: Path, pynsc: Pynsc) -> Env:
    env = make_env(tmp_path / "nsc", pynsc)
    env.add_user("A", "u")
    return env


CASES = [
    # names
    (["add", "account", "a/b"], 1, "name cannot contain '/' or '\\'"),
    (["add", "user", "a\\b"], 1, "name cannot contain '/' or '\\'"),
    (["add", "user", "u"], 1, 'the user "u" already exists'),
    # wrong key kinds
    (["add", "user", "x", "-K", USER_SEED], 1, "is a user key; an account key is needed"),
    (["add", "account", "X", "--public-key", CLUSTER_KEY], 1, "not a valid account nkey"),
    (["edit", "account", "A", "--sk", USER_KEY], 1, ""),
    (["edit", "operator", "--sk", USER_KEY], 1, "invalid operator signing key"),
    # subjects
    (["add", "user", "x", "--allow-pub", "a b"], 2, "contains illegal space"),
    (["add", "user", "x", "--allow-sub", "a b c"], 2, "can at most contain one space"),
    (["add", "export", "-s", "a..b"], 1, "cannot contain consecutive"),
    (["add", "export", "-s", ".a"], 1, "cannot start or end with"),
    # subjects nats-server can never use: a usage error at every entry point, before the store
    (["add", "export", "-s", "a\tb"], 2, 'subject "a\\tb" cannot contain a tab ("\\t")'),
    (["add", "export", "-s", "a.>.b"], 2, 'subject "a.>.b" can have ">" only as its last token'),
    (["add", "export", "-s", "svc", "--service", "--latency", "lat\nx"], 2,
     'subject "lat\\nx" cannot contain a newline ("\\n")'),
    (["edit", "export", "-s", "svc", "--latency", ">.lat"], 2,
     'subject ">.lat" can have ">" only as its last token'),
    (["add", "mapping", "-f", "a\rb", "-t", "b"], 2,
     'subject "a\\rb" cannot contain a carriage return ("\\r")'),
    (["add", "mapping", "-f", "a", "-t", "a\nb"], 2,
     'subject "a\\nb" cannot contain a newline ("\\n")'),
    (["add", "mapping", "-f", "a", "-t", "b.>.c"], 2,
     'subject "b.>.c" can have ">" only as its last token'),
    (["add", "mapping", "-f", "src", "-t", ">"], 2,
     'Mapping "src" destination ">" can end in ">" only when its source does'),
    (["add", "mapping", "-f", "src", "-t", "*"], 2,
     'Mapping "src" destination "*" cannot contain the token "*"'),
    (["add", "mapping", "-f", "src", "-t", "*.*.>"], 2,
     'Mapping "src" destination "*.*.>" cannot contain the token "*"'),
    (["add", "mapping", "-f", "a.>", "-t", "b"], 2,
     'Mapping "a.>" destination "b" must end in ">" as its source does'),
    (["add", "user", "x", "--allow-pub", "a\rb"], 2,
     'publish permission subject "a\\rb" cannot contain a carriage return ("\\r")'),
    (["add", "user", "x", "--allow-sub", "a.>.b"], 2,
     'subscribe permission subject "a.>.b" can have ">" only as its last token'),
    (["edit", "user", "u", "--deny-pubsub", ">.a"], 2,
     'publish permission subject ">.a" can have ">" only as its last token'),
    (["edit", "user", "u", "--allow-sub", "a q\tx"], 2,
     'subscribe permission queue "q\\tx" cannot contain a tab ("\\t")'),
    (["edit", "signing-key", "--sk", "nope", "--allow-pub", "a\tb"], 2,
     'publish permission subject "a\\tb" cannot contain a tab ("\\t")'),
    (["add", "account", "X", "--deny-sub", "a\nb"], 2,
     'subscribe permission subject "a\\nb" cannot contain a newline ("\\n")'),
    (["edit", "account", "A", "--allow-pub", "a.>.b"], 2,
     'publish permission subject "a.>.b" can have ">" only as its last token'),
    (["edit", "account", "A", "--trace-context-subject", "tr\tx"], 2,
     'subject "tr\\tx" cannot contain a tab ("\\t")'),
    (["add", "import", "--src-account", "A", "--remote-subject", "a\tb"], 2,
     'subject "a\\tb" cannot contain a tab ("\\t")'),
    (["add", "import", "--src-account", "A", "--remote-subject", "x.>", "-s", ">.l"], 2,
     'subject ">.l" can have ">" only as its last token'),
    # CIDRs, times, numbers
    (["add", "user", "x", "--source-network", "10.0.0.300/8"], 2, "invalid cidr"),
    (["edit", "user", "u", "--time", "25:00:00-26:00:00"], 2, "25:00:00"),
    (["edit", "user", "u", "--locale", "Mars/Olympus"], 2, "Mars/Olympus"),
    (["edit", "account", "A", "--conns", "lots"], 2, "lots"),
    (["add", "user", "x", "--expiry", "1.5d"], 2, ""),
    # unknown entities
    (["add", "user", "-a", "NOPE", "x"], 1, '"NOPE" not in accounts for operator "O"'),
    (["describe", "user", "ghost"], 1, "ghost"),
    (["delete", "account", "NOPE"], 1, '"NOPE" not in accounts for operator "O"'),
    (["select", "account", "NO"], 1, '"NO" not in accounts for operator'),
    # sharing
    (["add", "mapping", "-f", "q", "-t", "qq", "--weight", "101"], 1, ""),
    (["revocations", "add-user", "-u", "*", "--at", "hello"], 2, "provided value \"hello\""),
]


def _case_id(value: object) -> str | None:
    # the command and its first flag: stable across xdist workers (keys are random)
    return " ".join(value[:3]) if isinstance(value, list) else ""


@pytest.mark.parametrize(("args", "code", "text"), CASES, ids=_case_id)
def test_bad_input_is_one_line_and_changes_nothing(
    store: Env, args: list[str], code: int, text: str
) -> None:
    before = store.digest()
    result = store.run(*args)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: "), lines
    assert len(lines) <= 2, lines
    assert all(line.startswith("Hint: ") for line in lines[1:]), lines
    assert text in lines[0], lines
    assert store.digest() == before, "a failed command changed the store, keystore or nsc.json"
    if code == 1:
        assert_one_error(result, contains=text)


# Sharing between accounts (the sharing issue's acceptance #4) ---------------------------------


@pytest.fixture
def sharing(store: Env, tmp_path: Path) -> tuple[Env, Path]:
    """A exports `priv.>` privately and `pub.>` publicly; B and C exist; tokens on disk."""
    store.add_account("B")
    store.add_account("C")
    store.ok("add", "export", "-a", "A", "-s", "priv.>", "--private")
    store.ok("add", "export", "-a", "A", "-s", "pub.>")
    store.ok("add", "export", "-a", "A", "-s", "tok.*", "--account-token-position", "2")
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    store.ok("generate", "activation", "-a", "A", "-s", "priv.>", "-t", "B",
             "-o", str(tokens / "for_b.jwt"))
    store.ok("generate", "activation", "-a", "A", "-s", "priv.>", "-t", "B",
             "--expiry", "-1h", "-o", str(tokens / "expired.jwt"))
    return store, tokens


SHARING_CASES = [
    (["add", "export", "-a", "A", "-s", "priv.x"], 1, "already exports"),
    (["add", "export", "-a", "A", "-s", "x.*", "--account-token-position", "1"], 1,
     "must match a *"),
    (["add", "export", "-a", "A", "-s", "y.*", "--account-token-position", "3"], 1,
     "exceeds length"),
    (["add", "import", "-a", "A", "--token", "{for_b}"], 1, ""),
    (["add", "import", "-a", "C", "--token", "{for_b}"], 1, ""),
    (["add", "import", "-a", "B", "--token", "{expired}"], 1, "expired"),
    (["add", "import", "-a", "A", "--src-account", "A", "--remote-subject", "pub.>"], 1,
     "export issuer is this account"),
    (["add", "mapping", "-a", "A", "-f", "q", "-t", "qq", "--weight", "100"], 0, ""),
]


@pytest.mark.parametrize(("args", "code", "text"), SHARING_CASES, ids=_case_id)
def test_bad_sharing_input_changes_nothing(
    sharing: tuple[Env, Path], args: list[str], code: int, text: str
) -> None:
    env, tokens = sharing
    args = [a.format(for_b=tokens / "for_b.jwt", expired=tokens / "expired.jwt") for a in args]
    if code == 0:  # set-up step of the next case: a mapping that fills 100%
        env.ok(*args)
        args = ["add", "mapping", "-a", "A", "-f", "q", "-t", "qqq", "--weight", "10"]
        text = 'Mapping "q" exceeds 100%'
        code = 1
    before = env.digest()
    result = env.run(*args)
    assert result.exit_code == code, (result.stdout, result.stderr)
    line = assert_one_error(result, exit_code=code, contains=text)
    assert line
    assert env.digest() == before, "a failed command changed the store, keystore or nsc.json"
