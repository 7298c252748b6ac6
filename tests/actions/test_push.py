"""Push and pull rules at the library level (no CLI involved): which modes go together, what is
pushed, and how the servers' answers become OK, WARN or ERR lines.

The rules are checked with fakes of :mod:`pynsc.push.operations` (the answers are made up), then
against a real HTTP account server and a real nats-server with a full resolver, the stores in
memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pynsc import claims, keys
from pynsc.actions import push as push_action
from pynsc.actions.push import PushOutcome, pull_jwts, push_jwts
from pynsc.actions.serverconfig import generate_config
from pynsc.errors import PushError, StoreError, UsageError
from pynsc.push.operations import (
    AccountPush,
    DiffResult,
    PruneResult,
    PushResult,
    ServerOptions,
    Target,
)
from pynsc.push.resolver import ServerAccounts, ServerReply
from pynsc.store.ops import save_account
from pynsc.store.report import Level
from tests.cli.account_server import AccountServer, serve_operator

from .builders import Deployment, deployment

NATS = Target(("nats://127.0.0.1:4222",), "nats")
HTTP = Target(("http://asu/jwt/v1",), "http")


def _reply(server: str, *, ok: bool = True, message: str = "jwt updated", code: int = 200,
           pending: bool = False) -> ServerReply:  # fmt: skip
    return ServerReply(server, server.upper(), ok, code, message, pending=pending)


class Fakes:
    """Stand-ins for the operations the actions call: each records its arguments and returns
    what the test set."""

    def __init__(self, d: Deployment) -> None:
        self.d = d
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.push_result: PushResult | None = None
        self.diff_result: DiffResult | None = None
        self.prune_result: PruneResult | None = None

    def push(self, store: Any, keystore: Any, names: list[str] | None, **kw: Any) -> PushResult:
        self.calls.append(("push", {"names": names, **kw}))
        if self.push_result is not None:
            return self.push_result
        chosen = store.account_names() if names is None else names
        accounts = [AccountPush(n, store.account(n).sub, [_reply("n1")]) for n in chosen]
        return PushResult(NATS, accounts, "SYS", "sys")

    def diff(self, store: Any, keystore: Any, **kw: Any) -> DiffResult:
        self.calls.append(("diff", kw))
        assert self.diff_result is not None
        return self.diff_result

    def prune(self, store: Any, keystore: Any, **kw: Any) -> PruneResult:
        self.calls.append(("prune", kw))
        assert self.prune_result is not None
        return self.prune_result

    def remove(self, store: Any, keystore: Any, accounts: list[str], **kw: Any) -> PruneResult:
        self.calls.append(("remove", {"accounts": accounts, **kw}))
        assert self.prune_result is not None
        return self.prune_result

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


@pytest.fixture
def d() -> Deployment:
    return deployment()


@pytest.fixture
def fakes(d: Deployment, monkeypatch: pytest.MonkeyPatch) -> Fakes:
    fake = Fakes(d)
    monkeypatch.setattr(push_action, "push_accounts", fake.push)
    monkeypatch.setattr(push_action, "diff_accounts", fake.diff)
    monkeypatch.setattr(push_action, "prune_accounts", fake.prune)
    monkeypatch.setattr(push_action, "remove_accounts", fake.remove)
    return fake


def _texts(outcome: PushOutcome) -> list[tuple[Level, str]]:
    return [(entry.status, entry.text) for _, entry in outcome.report.walk()]


# Modes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("modes", "message"),
    [
        ({"prune": True, "diff": True}, "--prune and --diff are mutually exclusive"),
        ({"diff": True, "removal": "A"}, "--diff and --account-removal are mutually exclusive"),
        ({"prune": True, "diff": True, "removal": "A"},
         "--prune and --diff and --account-removal are mutually exclusive"),
    ],
)  # fmt: skip
def test_push_modes_are_mutually_exclusive(
    d: Deployment, fakes: Fakes, modes: dict[str, Any], message: str
) -> None:
    with pytest.raises(UsageError) as raised:
        push_jwts(d.nsc, **modes)
    assert (raised.value.message, raised.value.exit_code, raised.value.hint) == (message, 2, None)
    assert fakes.calls == []


def test_push_all_and_named_accounts_are_exclusive(d: Deployment, fakes: Fakes) -> None:
    with pytest.raises(UsageError, match=r"^-A/--all and -a/--account are mutually exclusive$"):
        push_jwts(d.nsc, "A", all_accounts=True)
    with pytest.raises(UsageError, match=r"^-A/--all and -a/--account are mutually exclusive$"):
        pull_jwts(d.nsc, ["A"], all_accounts=True)
    assert fakes.calls == []


def test_push_without_accounts_pushes_the_current_one(d: Deployment, fakes: Fakes) -> None:
    outcome = push_jwts(d.nsc)
    assert fakes.calls == [("push", {"names": ["A"], "options": ServerOptions(), "force": False,
                                     "progress": None})]  # fmt: skip
    assert outcome.ok
    assert outcome.diff is None
    assert outcome.pruned is None
    assert list(outcome.report.data) == ["push"]


def test_push_names_keys_all_accounts(d: Deployment, fakes: Fakes) -> None:
    push_jwts(d.nsc, [d.system.public_key, "A"], force=True)
    push_jwts(d.nsc, all_accounts=True)
    assert [call["names"] for _, call in fakes.calls] == [["SYS", "A"], None]
    assert fakes.calls[0][1]["force"] is True


def test_push_of_an_unknown_account_sends_nothing(d: Deployment, fakes: Fakes) -> None:
    with pytest.raises(StoreError, match="NOPE"):
        push_jwts(d.nsc, "NOPE")
    assert fakes.calls == []


def test_a_mode_alone_pushes_nothing_with_accounts_it_follows_the_push(
    d: Deployment, fakes: Fakes
) -> None:
    fakes.diff_result = DiffResult(NATS, [ServerAccounts("n1", "N1", ())], {}, "")
    push_jwts(d.nsc, diff=True)
    assert fakes.names == ["diff"]
    push_jwts(d.nsc, "A", diff=True)
    push_jwts(d.nsc, all_accounts=True, diff=True)
    assert fakes.names == ["diff", "push", "diff", "push", "diff"]


# Push report: nats resolvers ------------------------------------------------------------------


def test_a_refusal_fails_an_account_only_when_no_server_took_it(
    d: Deployment, fakes: Fakes
) -> None:
    key = d.account.public_key
    fakes.push_result = PushResult(NATS, [
        AccountPush("A", key, [_reply("n1"), _reply("n2", ok=False, message="no")]),
        AccountPush("SYS", d.system.public_key, [_reply("n1", ok=False, message="bad jwt")]),
    ], "SYS", "sys")  # fmt: skip
    outcome = push_jwts(d.nsc, all_accounts=True)
    assert outcome.report.lines() == [
        '[ERR ] push to nats-server "nats://127.0.0.1:4222" using system account "SYS":',
        "       [WARN] push A to nats-server with nats account resolver:",
        '              [ OK ] pushed "A" to nats-server n1: jwt updated',
        '              [WARN] failed to push "A" to nats-server n2: no',
        "              [ OK ] pushed to a total of 1 nats-server",
        "       [ERR ] push SYS to nats-server with nats account resolver:",
        '              [ERR ] failed to push "SYS" to nats-server n1: bad jwt',
    ]
    assert not outcome.ok
    assert outcome.report.summary() == "all jobs failed"
    assert outcome.report.data == {"push": fakes.push_result.to_dict()}


def test_an_account_no_server_answered_for_is_an_error(d: Deployment, fakes: Fakes) -> None:
    fakes.push_result = PushResult(NATS, [
        AccountPush("A", d.account.public_key, [], "no nats-server answered within 1s"),
    ], "SYS", "sys")  # fmt: skip
    outcome = push_jwts(d.nsc)
    assert _texts(outcome)[-1] == (
        Level.ERR, 'failed to push account "A": no nats-server answered within 1s'
    )
    assert not outcome.ok


# Push report: account server -----------------------------------------------------------------


def test_account_server_answers_are_ok_warn_or_err(d: Deployment, fakes: Fakes) -> None:
    fakes.push_result = PushResult(HTTP, [
        AccountPush("A", "AK", [_reply("asu", message="")]),
        AccountPush("B", "BK", [_reply("asu", code=202, message="later", pending=True)]),
        AccountPush("C", "CK", [_reply("asu", ok=False, code=400, message="over plan")]),
        AccountPush("D", "DK", [], "connection refused"),
    ])  # fmt: skip
    outcome = push_jwts(d.nsc, all_accounts=True)
    assert outcome.report.lines() == [
        '[ERR ] push to account server "http://asu/jwt/v1":',
        "       [ OK ] push A to account server",
        "       [WARN] push B to account server:",
        "              [WARN] pushed account jwt was accepted by the account server:",
        "                     > later",
        "       [ERR ] push C to account server:",
        "              [ERR ] failed to push account jwt: 400:",
        "                     > over plan",
        "       [ERR ] push D to account server:",
        "              [ERR ] connection refused",
    ]


@pytest.fixture
def account_server(d: Deployment) -> Iterator[AccountServer]:
    server = serve_operator(d.operator, d.operator_jwt())
    try:
        yield server
    finally:
        server.stop()


def test_push_to_a_real_account_server_from_memory(
    d: Deployment, account_server: AccountServer
) -> None:
    options = ServerOptions(url=account_server.account_server_url)
    done: list[tuple[int, int]] = []
    outcome = push_jwts(d.nsc, all_accounts=True, options=options,
                        progress=lambda n, total: done.append((n, total)))  # fmt: skip
    assert outcome.ok
    assert sorted(account_server.posts) == sorted(
        (d.nsc.store().account(n).sub, d.account_jwt(n)) for n in ("A", "SYS")
    )
    assert done[-1] == (2, 2)
    assert outcome.pushed is not None
    assert [a.name for a in outcome.pushed.accounts] == ["A", "SYS"]

    account_server.post_status, account_server.post_message = 400, "refused"
    refused = push_jwts(d.nsc, "A", options=options)
    assert not refused.ok
    assert refused.report.summary() == "all jobs failed"


def test_pull_from_a_real_account_server_into_memory(
    d: Deployment, account_server: AccountServer
) -> None:
    options = ServerOptions(url=account_server.account_server_url)
    push_jwts(d.nsc, all_accounts=True, options=options)
    newer = claims.decode(d.account_jwt(), claims.AccountClaims)
    newer.nats.limits.conn = 5
    account_server.accounts[newer.sub] = claims.encode(newer, d.operator, iat=newer.iat + 10)

    outcome = pull_jwts(d.nsc, "A", options=options)
    assert outcome.ok
    assert outcome.report.lines() == [
        f'[ OK ] pull from account server "{account_server.account_server_url}":',
        '       [ OK ] stored account "A"',
    ]
    assert d.nsc.store().account("A").nats.limits.conn == 5
    assert outcome.report.data == outcome.pulled.to_dict()

    again = pull_jwts(d.nsc, all_accounts=True, options=options)
    assert 'account "A" is unchanged' in [e.text for _, e in again.report.walk()]


def test_pull_refusals_are_errors(d: Deployment, account_server: AccountServer) -> None:
    options = ServerOptions(url=account_server.account_server_url)
    stranger = keys.generate("operator")
    other = claims.decode(d.account_jwt(), claims.AccountClaims)
    account_server.accounts[other.sub] = claims.encode(other, stranger)
    outcome = pull_jwts(d.nsc, options=options)
    assert not outcome.ok
    [(_, line)] = [(depth, e) for depth, e in outcome.report.walk() if depth == 2]
    assert line.level is Level.ERR
    assert f"is issued by {stranger.public_key}" in line.text


# Prune and removal ---------------------------------------------------------------------------


def _diff(d: Deployment, *keys_on_servers: str) -> DiffResult:
    store = d.nsc.store()
    local = store.account_subjects()
    return DiffResult(NATS, [ServerAccounts("n1", "N1", keys_on_servers)], local,
                      d.system.public_key)  # fmt: skip


def test_nothing_to_prune_is_ok(d: Deployment, fakes: Fakes) -> None:
    diff = _diff(d, d.account.public_key)
    fakes.prune_result = PruneResult(NATS, [], [], diff, 1)
    outcome = push_jwts(d.nsc, prune=True)
    assert outcome.ok
    assert outcome.report.lines() == [
        "[ OK ] prune nats-server with nats account resolver:",
        "       [ OK ] list 1 accounts from nats-server n1:",
        f"              [ OK ] account {d.account.public_key} named A exists",
        "       [ OK ] listed accounts from a total of 1 nats-server",
        "       [ OK ] nothing to prune: every account on the nats-servers is in the store",
    ]


def test_prune_reports_each_server_and_missing_answers(d: Deployment, fakes: Fakes) -> None:
    gone = keys.generate("account").public_key
    diff = _diff(d, gone)
    fakes.prune_result = PruneResult(NATS, [gone], [_reply("n1", message="deleted 1")], diff, 2)
    outcome = push_jwts(d.nsc, prune=True)
    top = outcome.report.children[0]
    assert [(e.level, e.text) for e in top.children[1:]] == [
        (Level.OK, "listed accounts from a total of 1 nats-server"),
        (Level.OK, "pruned nats-server n1: deleted 1"),
        (Level.ERR, "1 of the 2 nats-servers that listed accounts answered the delete request"),
    ]
    fakes.prune_result = PruneResult(NATS, [gone], [], diff, 1)
    silent = push_jwts(d.nsc, prune=True, options=ServerOptions(timeout=3))
    assert silent.report.children[0].children[-1].text == (
        "no nats-server answered the delete request within 3s"
    )
    fakes.prune_result = PruneResult(NATS, [gone], [_reply("n1", ok=False, message="no")], diff)
    refused = push_jwts(d.nsc, prune=True)
    assert refused.report.children[0].children[-1].text == "server n1 responded with error: no"


def test_removal_does_not_list_and_signs_with_the_signer(d: Deployment, fakes: Fakes) -> None:
    fakes.prune_result = PruneResult(NATS, ["AK"], [_reply("n1", message="deleted")],
                                     _diff(d, "AK"), 1)  # fmt: skip
    outcome = push_jwts(d.nsc, removal="A", signer="OPERATOR_KEY")
    assert fakes.calls == [("remove", {"accounts": ["A"], "options": ServerOptions(),
                                       "private_key": "OPERATOR_KEY"})]  # fmt: skip
    assert outcome.report.lines() == [
        "[ OK ] prune nats-server with nats account resolver:",
        "       [ OK ] pruned nats-server n1: deleted",
    ]
    assert outcome.report.data == {"prune": fakes.prune_result.to_dict()}


def test_prune_signs_with_the_sessions_signer_by_default(d: Deployment, fakes: Fakes) -> None:
    fakes.prune_result = PruneResult(NATS, [], [], _diff(d), 1)
    d.nsc.signer = "SESSION_KEY"
    push_jwts(d.nsc, prune=True)
    assert fakes.calls[0][1]["private_key"] == "SESSION_KEY"


# A real nats-server with a full resolver -----------------------------------------------------


@pytest.mark.nats_server
def test_push_diff_and_prune_on_a_live_resolver(d: Deployment, tmp_path: Path) -> None:
    from tests.integration.configserver import config_servers

    config = tmp_path / "server.conf"
    generate_config(d.nsc, "nats-resolver", config_file=config)
    config.write_text(config.read_text().replace("allow_delete: false", "allow_delete: true"))
    extra = keys.generate("account")
    d.nsc.keystore.store(extra)
    save_account(d.nsc.store(), "X", claims.AccountClaims(sub=extra.public_key, name="X"),
                 d.operator)  # fmt: skip
    with config_servers(tmp_path / "servers") as start:
        server = start(config, name="full")
        options = ServerOptions(url=server.url)
        pushed = push_jwts(d.nsc, all_accounts=True, options=options)
        assert pushed.ok, pushed.report.lines()
        assert pushed.pushed is not None
        assert {a.name for a in pushed.pushed.accounts if a.ok} == {"A", "SYS", "X"}

        listed = push_jwts(d.nsc, diff=True, options=options)
        assert listed.diff is not None
        assert not listed.diff.only_on_servers

        d.nsc.store().delete_account("X")
        pruned = push_jwts(d.nsc, prune=True, options=options)
        assert pruned.ok, pruned.report.lines()
        assert pruned.pruned is not None
        assert pruned.pruned.requested == [extra.public_key]
        with pytest.raises(PushError, match="is the system account"):
            push_jwts(d.nsc, removal="SYS", options=options)
