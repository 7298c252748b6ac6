"""``generate_config`` rules at the library level (no CLI involved): one kind per call, what an
output directory goes with, existing files and directories, what is written and returned."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from pynsc import claims, keys
from pynsc.actions import Nsc
from pynsc.actions.serverconfig import ConfigKind, config_kind, generate_config
from pynsc.errors import ExistsError, StoreError, UsageError
from pynsc.store.ops import save_operator
from pynsc.store.serverconfig import RESOLVER_CONF, WebsocketConfig, websocket_config

from .builders import Deployment, deployment


@pytest.fixture
def d() -> Deployment:
    return deployment()


# One kind ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (ConfigKind.FULL, ConfigKind.FULL),
        ("mem-resolver", ConfigKind.MEMORY),
        ("--nats-resolver-cache", ConfigKind.CACHE),
        (["nkey"], ConfigKind.NKEY),
        ([ConfigKind.FULL, "nats-resolver"], ConfigKind.FULL),
    ],
)
def test_config_kind_takes_a_kind_its_flag_name_or_one_chosen(
    kind: ConfigKind | str | list[ConfigKind | str], expected: ConfigKind
) -> None:
    assert config_kind(kind) is expected


@pytest.mark.parametrize("kinds", [["mem-resolver", "nats-resolver"], [ConfigKind.FULL,
                                   ConfigKind.CACHE], ["mem-resolver", "nkey"]])  # fmt: skip
def test_only_one_kind_per_call(d: Deployment, kinds: list[ConfigKind | str]) -> None:
    with pytest.raises(UsageError) as raised:
        generate_config(d.nsc, kinds)
    assert raised.value.message == (
        "specify only one of --mem-resolver, --nats-resolver or --nats-resolver-cache"
    )
    assert raised.value.exit_code == 2


def test_a_kind_is_required_unless_a_directory_implies_memory(
    d: Deployment, tmp_path: Path
) -> None:
    nothing: list[str] | None
    for nothing in (None, []):
        with pytest.raises(UsageError, match=r"^specify a config type option$"):
            generate_config(d.nsc, nothing)
    result = generate_config(d.nsc, directory=tmp_path / "out")
    assert result.kind is ConfigKind.MEMORY


def test_an_unknown_kind_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="'memory' is not a kind of configuration"):
        config_kind("memory")


# What goes together --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "config_file", "message"),
    [
        ("mem-resolver", "x.conf", "--dir is exclusive of --config-file"),
        ("nats-resolver", None, "nats-resolver configurations don't support directory output"),
        ("nats-resolver-cache", None,
         "nats-resolver configurations don't support directory output"),
        ("nkey", None, "--dir is not valid with nkey configuration"),
    ],
)  # fmt: skip
def test_directory_output_rules(
    d: Deployment, tmp_path: Path, kind: str, config_file: str | None, message: str
) -> None:
    out = tmp_path / "d"
    with pytest.raises(UsageError) as raised:
        generate_config(d.nsc, kind, directory=out, config_file=config_file)
    assert raised.value.message == message
    assert not out.exists()


def test_a_directory_with_stdout_as_config_file_is_fine(d: Deployment, tmp_path: Path) -> None:
    result = generate_config(d.nsc, "mem-resolver", directory=tmp_path / "d", config_file="--")
    assert result.directory == tmp_path / "d"


def test_nkey_configurations_have_no_system_account(d: Deployment) -> None:
    with pytest.raises(UsageError, match=r"^nkey configurations don't support system account$"):
        generate_config(d.nsc, ConfigKind.NKEY, sys_account="SYS")


# Existing files ------------------------------------------------------------------------------


def test_an_existing_config_file_is_replaced_only_when_forced(
    d: Deployment, tmp_path: Path
) -> None:
    target = tmp_path / "server.conf"
    target.write_text("keep me\n")
    with pytest.raises(ExistsError) as raised:
        generate_config(d.nsc, "nats-resolver", config_file=target)
    assert (raised.value.message, raised.value.hint) == (
        f"`{target}` already exists", "pass --force to overwrite it"
    )
    assert target.read_text() == "keep me\n"

    result = generate_config(d.nsc, "nats-resolver", config_file=target, force=True)
    assert target.read_text() == result.text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_config_file_that_is_a_directory_is_refused(d: Deployment, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=f"^`{tmp_path}` is a directory$"):
        generate_config(d.nsc, "mem-resolver", config_file=tmp_path, force=True)


def test_an_existing_directory_is_written_into_only_when_forced(
    d: Deployment, tmp_path: Path
) -> None:
    out = tmp_path / "server"
    out.mkdir()
    with pytest.raises(ExistsError, match="already exists") as raised:
        generate_config(d.nsc, "mem-resolver", directory=out)
    assert raised.value.hint == "pass --force to write into it"
    assert list(out.iterdir()) == []
    generate_config(d.nsc, "mem-resolver", directory=out, force=True)
    assert (out / RESOLVER_CONF).is_file()

    a_file = tmp_path / "file"
    a_file.write_text("")
    with pytest.raises(StoreError, match="already exists and is not a directory"):
        generate_config(d.nsc, "mem-resolver", directory=a_file, force=True)


# What is made --------------------------------------------------------------------------------


def test_without_a_file_the_text_is_returned_and_nothing_written(
    d: Deployment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    for stdout in (None, "--", "-"):
        result = generate_config(d.nsc, "nats-resolver", config_file=stdout)
        assert not result.written
        assert result.config_file is None
        assert result.report.lines() == []
        assert result.report.data == {"type": "nats-resolver", "config": result.text}
        assert "resolver_preload" in result.text
        assert d.operator_jwt() in result.text
    assert list(cwd.iterdir()) == []


def test_a_config_file_is_written_and_reported(d: Deployment, tmp_path: Path) -> None:
    target = tmp_path / "out" / "server.conf"
    result = generate_config(d.nsc, ConfigKind.MEMORY, config_file=str(target))
    assert result.written
    assert result.config_file == target
    assert target.read_text() == result.text
    assert result.report.lines() == [f"[ OK ] wrote server configuration to `{target}`"]
    assert result.report.data == {"type": "mem-resolver", "config_file": str(target)}


def test_a_directory_holds_every_jwt_and_resolver_conf(d: Deployment, tmp_path: Path) -> None:
    out = tmp_path / "server"
    result = generate_config(d.nsc, "mem-resolver", directory=out)
    store = d.nsc.store()
    jwts = sorted(f"{store.account(n).sub}.jwt" for n in store.account_names())
    assert result.files == sorted(["O.jwt", *jwts])
    assert sorted(p.name for p in out.iterdir()) == sorted([RESOLVER_CONF, *result.files])
    assert (out / "O.jwt").read_text() == d.operator_jwt() + "\n"
    assert (out / RESOLVER_CONF).read_text() == result.text
    assert result.config_file == out / RESOLVER_CONF
    assert result.report.data == {
        "type": "mem-resolver", "dir": str(out), "config_file": str(out / RESOLVER_CONF),
        "files": result.files,
    }  # fmt: skip


def test_a_websocket_listener_ends_the_configuration(d: Deployment) -> None:
    websocket = WebsocketConfig(port=8080, host="127.0.0.1", jwt_cookie="jwt", no_tls=True)
    plain = generate_config(d.nsc, "nats-resolver").text
    result = generate_config(d.nsc, "nats-resolver", websocket=websocket)
    assert result.text == plain.rstrip("\n") + "\n\n" + websocket_config(websocket)
    assert result.report.data["websocket"] == "ws://127.0.0.1:8080"


def test_the_system_account_must_be_the_operators(d: Deployment) -> None:
    with pytest.raises(StoreError, match='system account "A" is not the system account'):
        generate_config(d.nsc, "nats-resolver", sys_account="A")
    result = generate_config(d.nsc, "nats-resolver", sys_account=d.system.public_key)
    assert f"system_account: {d.system.public_key}" in result.text


def test_an_operator_without_accounts_has_no_configuration(tmp_path: Path) -> None:
    nsc = Nsc.memory()
    operator = keys.generate("operator")
    save_operator(nsc.create_store("O"), claims.OperatorClaims(sub=operator.public_key,
                                                               name="O"), operator)  # fmt: skip
    nsc.select(operator="O")
    target = tmp_path / "server.conf"
    with pytest.raises(StoreError, match=r'^operator "O" has no accounts$'):
        generate_config(nsc, "mem-resolver", config_file=target)
    assert not target.exists()


def test_the_nkey_kind_lists_users(d: Deployment) -> None:
    from pynsc.actions import add_user

    user = add_user(d.nsc, "u", account="A", signer=d.account.public_key)
    result = generate_config(d.nsc, "nkey")
    assert f"nkey: {user.creds.claims.sub}" in result.text


def test_on_disk_relative_paths_are_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = deployment(tmp_path / "home")
    monkeypatch.chdir(tmp_path)
    result = generate_config(d.nsc, "nats-resolver", config_file="rel.conf")
    assert result.config_file == tmp_path / "rel.conf"
    assert (tmp_path / "rel.conf").read_text() == result.text
