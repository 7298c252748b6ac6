"""``pynsc tool``: the command tree, the flags, and every failure found before a server is
reached (live runs are in tests/integration/test_tool_live.py); the library's results and its
Ctrl-C handling."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest
from click.testing import Result

import pynsc.cli.tool as tool_package
from pynsc.cli.base import NscCommand
from pynsc.push.tool import Message, Received, run
from tests.cli.conftest import Pynsc, assert_one_error

LEAVES = ("pub", "reply", "req", "rtt", "sub")


@pytest.fixture
def home(tmp_path: Path, pynsc: Pynsc) -> Path:
    """Operator ``O`` (no service URLs) with account ``B`` and its users ``x`` and ``y``, and
    account ``EMPTY`` with none."""
    home = tmp_path / "nsc"
    for args in (("add", "operator", "-n", "O", "--sys"), ("add", "account", "B"),
                 ("add", "user", "-a", "B", "x"), ("add", "user", "-a", "B", "y"),
                 ("add", "account", "EMPTY")):  # fmt: skip
        result = pynsc("-H", str(home), *args)
        assert result.exit_code == 0, result.stderr
    return home


def run_in(pynsc: Pynsc, home: Path, *args: str) -> Result:
    return pynsc("-H", str(home), *args)


# The tree ---------------------------------------------------------------------------------------


def test_tool_lists_its_commands(pynsc: Pynsc) -> None:
    result = pynsc("tool", "--help")

    assert result.exit_code == 0
    listed = result.stdout.split("Commands:", 1)[1].split()
    assert [word for word in listed if word in LEAVES] == list(LEAVES)
    for flag in ("--nats", "--tls-first", "--ca-cert", "--client-cert", "--client-key"):
        assert flag in result.stdout


def test_root_aliases_are_hidden_copies(pynsc: Pynsc) -> None:
    result = pynsc("--help")

    assert result.exit_code == 0, result.stderr
    commands = [line.split()[0] for line in result.stdout.split("Commands:", 1)[1].splitlines()
                if line.strip()]  # fmt: skip
    assert "tool" in commands
    assert not set(LEAVES) & set(commands)
    for leaf in LEAVES:
        alias = getattr(tool_package, f"{leaf}_alias")
        assert isinstance(alias, NscCommand)
        assert alias.hidden
        assert alias.name == leaf
        assert not tool_package.tool_group.get_command(None, leaf).hidden  # type: ignore[arg-type,union-attr]
        assert getattr(tool_package, f"{leaf}_alias") is alias


def test_an_unknown_alias_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        tool_package.nope_alias  # noqa: B018


@pytest.mark.parametrize("leaf", LEAVES)
def test_alias_help_names_the_root_command(pynsc: Pynsc, leaf: str) -> None:
    result = pynsc(leaf, "--help")

    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: pynsc {leaf} [OPTIONS]")


# Failures before connecting ---------------------------------------------------------------------


@pytest.mark.parametrize("command", ["sub", "reply"])
def test_max_messages_zero_is_a_usage_error(pynsc: Pynsc, home: Path, command: str) -> None:
    result = run_in(pynsc, home, "tool", command, "s", "--max-messages", "0")

    assert_one_error(result, exit_code=2, contains="must be greater than zero")


def test_without_service_urls_nats_is_needed(pynsc: Pynsc, home: Path) -> None:
    result = run_in(pynsc, home, "tool", "rtt", "-a", "B", "-u", "x")

    line = assert_one_error(result)
    assert line == 'Error: operator "O" has no service urls'
    assert "pass --nats nats://host:port" in result.stderr


def test_a_missing_creds_file_is_named(pynsc: Pynsc, home: Path) -> None:
    creds = home / "creds" / "O" / "B" / "x.creds"
    creds.unlink()

    result = run_in(pynsc, home, "tool", "pub", "-a", "B", "-u", "x", "--nats",
                    "nats://127.0.0.1:1", "foo")  # fmt: skip

    line = assert_one_error(result)
    assert line == f'Error: no creds file for user "x" of account "B": `{creds}` does not exist'
    assert f"Hint: write it with 'pynsc generate creds -a B -n x -o {creds}'" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-a", "B"), 'account "B" has 2 users: a user is required'),
        (("-a", "EMPTY"), 'account "EMPTY" has no users'),
        (("-a", "B", "-u", "zed"), 'user "zed" not found in account "B"'),
        (("-a", "NOPE", "-u", "x"), "NOPE"),
    ],
)
def test_the_user_must_be_known(
    pynsc: Pynsc, home: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_in(pynsc, home, "tool", "req", *args, "--nats", "nats://127.0.0.1:1", "s")

    assert_one_error(result, contains=message)


def test_a_bad_url_is_named(pynsc: Pynsc, home: Path) -> None:
    result = run_in(pynsc, home, "tool", "--nats", "http://x", "rtt", "-a", "B", "-u", "x")

    assert assert_one_error(result) == "Error: 'http://x' is not a nats-server url"


@pytest.mark.parametrize("command", ["pub", "req"])
def test_wildcards_are_only_for_subscriptions(pynsc: Pynsc, home: Path, command: str) -> None:
    result = run_in(pynsc, home, "tool", command, "-a", "B", "-u", "x", "--nats",
                    "nats://127.0.0.1:1", "a.*.c")  # fmt: skip

    assert_one_error(result, contains='"a.*.c": wildcards are only for subscriptions')


def test_json_failure_of_a_listener_is_one_line(pynsc: Pynsc, home: Path) -> None:
    result = run_in(pynsc, home, "tool", "sub", "-a", "EMPTY", "s", "--json")

    assert result.exit_code == 1
    assert result.stdout == ('{"ok": false, "messages": [{"level": "error", "text": '
                             '"account \\"EMPTY\\" has no users"}], "data": null}\n')  # fmt: skip


# The library ------------------------------------------------------------------------------------


def test_message_as_json() -> None:
    text = Message(subject="a", data="café".encode(), reply="r", headers={"k": "v"})
    binary = Message(subject="a", data=b"\xff\x00")

    assert text.to_dict() == {"subject": "a", "reply": "r", "data": "café", "size": 5,
                              "headers": {"k": "v"}}  # fmt: skip
    assert binary.to_dict() == {"subject": "a", "reply": "", "data_base64": "/wA=", "size": 2}
    assert binary.text == "\ufffd\x00"
    assert Received(2, text, b"ok").to_dict()["answer"] == {"data": "ok", "size": 2}
    assert "answer" not in Received(1, text).to_dict()


def test_sigint_sets_the_stop_event() -> None:
    stop = asyncio.Event()

    async def main() -> str:
        os.kill(os.getpid(), signal.SIGINT)
        await asyncio.wait_for(stop.wait(), 5)
        return "stopped"

    assert run(main(), stop=stop) == "stopped"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_sigint_without_a_stop_event_is_keyboard_interrupt() -> None:
    async def main() -> None:
        os.kill(os.getpid(), signal.SIGINT)
        await asyncio.sleep(5)

    with pytest.raises(KeyboardInterrupt):
        run(main())
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parametrize(
    "args",
    [
        ("tool", "--ca-cert", "/no/ca.pem", "rtt"),
        ("tool", "rtt", "--ca-cert", "/no/ca.pem"),
        ("rtt", "--ca-cert", "/no/ca.pem"),
    ],
)
def test_tls_flags_reach_the_connection(pynsc: Pynsc, home: Path, args: tuple[str, ...]) -> None:
    result = run_in(pynsc, home, *args, "-a", "B", "-u", "x", "--nats", "nats://127.0.0.1:1")

    assert assert_one_error(result) == "Error: TLS file '/no/ca.pem' does not exist"


def test_tls_ca_from_the_environment(
    pynsc: Pynsc, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NATS_CA", "/no/env-ca.pem")

    result = run_in(pynsc, home, "tool", "rtt", "-a", "B", "-u", "x", "--nats", "nats://h:1")

    assert assert_one_error(result) == "Error: TLS file '/no/env-ca.pem' does not exist"
