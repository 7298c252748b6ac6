"""``pynsc generate config``: the text of each flavour, where it goes, and what it refuses."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import KeyKind
from pynsc.store import Store, ops

from .conftest import Env, fixed_key, golden

KINDS = ["mem-resolver", "nats-resolver", "nats-resolver-cache"]


# The text of each flavour --------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_each_flavour_matches_its_golden_text(env: Env, kind: str) -> None:
    result = env.ok("generate", "config", f"--{kind}")

    assert env.placeholders(result.stdout) == golden(f"{kind}.conf")
    assert result.stderr == ""


def test_mem_resolver_preloads_every_account_sorted_by_public_key(env: Env) -> None:
    text = env.ok("generate", "config", "--mem-resolver").stdout

    preloaded = [line.split(":")[0].strip() for line in text.splitlines() if line.startswith("  A")]
    assert preloaded == sorted(k.public_key for k in env.accounts.values())
    assert preloaded == [env.accounts[n].public_key for n in ("A", "SYS", "B")]


def test_mem_resolver_without_system_account_has_no_system_account_line(bare_env: Env) -> None:
    bare_env.add_account("A", fixed_key(KeyKind.ACCOUNT, 2))

    text = bare_env.ok("generate", "config", "--mem-resolver").stdout

    assert bare_env.placeholders(text) == (
        '// Operator "O"\noperator: <O.jwt>\n\nresolver: MEMORY\n\n'
        'resolver_preload: {\n  // Account "A"\n  <A>: <A.jwt>\n\n}\n'
    )


def test_nats_resolvers_preload_only_the_system_account(env: Env) -> None:
    for kind in ("nats-resolver", "nats-resolver-cache"):
        text = env.ok("generate", "config", f"--{kind}").stdout
        assert env.store.account_token("SYS") in text
        assert env.store.account_token("A") not in text
        assert env.store.account_token("B") not in text


def test_account_names_are_go_quoted_in_comments(env: Env) -> None:
    env.add_account('say "hi"', fixed_key(KeyKind.ACCOUNT, 4))

    text = env.ok("generate", "config", "--mem-resolver").stdout

    assert '  // Account "say \\"hi\\""\n' in text


# --sys-account -------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["name", "public key"])
def test_sys_account_may_name_the_operator_system_account(env: Env, how: str) -> None:
    value = "SYS" if how == "name" else env.accounts["SYS"].public_key
    for kind in KINDS:
        result = env.ok("generate", "config", f"--{kind}", "--sys-account", value)
        assert env.placeholders(result.stdout) == golden(f"{kind}.conf")


@pytest.mark.parametrize("how", ["name", "public key"])
def test_sys_account_other_than_the_operator_one_is_refused(env: Env, how: str) -> None:
    """nats-server exits with `system_account in config and operator JWT must be identical`."""
    value = "B" if how == "name" else env.accounts["B"].public_key

    message = env.fails("generate", "config", "--mem-resolver", "--sys-account", value)

    assert message == (
        'system account "B" is not the system account of operator "O" ("SYS"): '
        "nats-server requires the same one"
    )


def test_sys_account_sets_the_system_account_the_operator_lacks(bare_env: Env) -> None:
    bare_env.add_account("S", fixed_key(KeyKind.ACCOUNT, 1))
    bare_env.add_account("B", fixed_key(KeyKind.ACCOUNT, 3))

    for kind in KINDS:
        text = bare_env.ok("generate", "config", f"--{kind}", "--sys-account", "S").stdout
        assert "system_account: <S>\n" in bare_env.placeholders(text)
    text = bare_env.ok("generate", "config", "--nats-resolver", "--sys-account", "B").stdout
    assert bare_env.placeholders(text).startswith(
        "# Operator named O\noperator: <O.jwt>\n# System Account named B\nsystem_account: <B>\n"
    )
    assert bare_env.placeholders(text).endswith("resolver_preload: {\n\t<B>: <B.jwt>,\n}\n\n")


def test_unknown_sys_account_fails(env: Env) -> None:
    message = env.fails("generate", "config", "--mem-resolver", "--sys-account", "NOPE")

    assert message == f'"NOPE" not in accounts for operator "O" in `{env.store.root}`'


def test_unknown_sys_account_key_fails(env: Env) -> None:
    stranger = keys.generate("account").public_key

    message = env.fails("generate", "config", "--nats-resolver", "--sys-account", stranger)

    assert message.startswith(f'"{stranger}" not in accounts for operator "O"')


def test_nats_resolver_needs_a_system_account(bare_env: Env) -> None:
    bare_env.add_account("A")

    for kind in ("nats-resolver", "nats-resolver-cache"):
        assert bare_env.fails("generate", "config", f"--{kind}") == "system account is not set"


def test_operator_system_account_that_is_not_an_account_fails(env: Env) -> None:
    missing = keys.generate("account").public_key
    env.set_system_account(missing)

    for kind in KINDS:
        message = env.fails("generate", "config", f"--{kind}")
        assert message == (
            f'the system account {missing} of operator "O" is not one of its accounts'
        )


def test_operator_without_accounts_fails(bare_env: Env) -> None:
    for kind in KINDS:
        assert bare_env.fails("generate", "config", f"--{kind}") == 'operator "O" has no accounts'


def test_no_operator_fails(env: Env, tmp_path: Path) -> None:
    message = env.fails("--data-dir", str(tmp_path / "empty"), "generate", "config",
                        "--mem-resolver")  # fmt: skip
    assert message == "no stores available"


# Choosing the flavour ------------------------------------------------------------------------


def test_a_flavour_is_required(env: Env) -> None:
    assert env.fails("generate", "config", exit_code=2) == "specify a config type option"


@pytest.mark.parametrize(
    "flags",
    [
        ["--mem-resolver", "--nats-resolver"],
        ["--nats-resolver", "--nats-resolver-cache"],
        ["--mem-resolver", "--nkey"],
    ],
)
def test_only_one_flavour_per_call(env: Env, flags: list[str]) -> None:
    message = env.fails("generate", "config", *flags, exit_code=2)

    assert message == (
        "specify only one of --mem-resolver, --nats-resolver or --nats-resolver-cache"
    )


# --config-file and --force -------------------------------------------------------------------


def test_config_file_is_written_atomically_and_reported(env: Env, tmp_path: Path) -> None:
    target = tmp_path / "out" / "server.conf"

    result = env.ok("generate", "config", "--mem-resolver", "--config-file", str(target))

    assert result.stdout == ""
    assert result.stderr == f"[ OK ] wrote server configuration to `{target}`\n"
    assert env.placeholders(target.read_text()) == golden("mem-resolver.conf")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["server.conf"]  # no temporary left


def test_existing_config_file_is_refused_without_force(env: Env, tmp_path: Path) -> None:
    target = tmp_path / "server.conf"
    target.write_text("keep me\n")

    message = env.fails("generate", "config", "--nats-resolver", "--config-file", str(target))

    assert message == f"`{target}` already exists"
    assert target.read_text() == "keep me\n"


@pytest.mark.parametrize("force", ["--force", "-F"])
def test_force_overwrites_the_config_file(env: Env, tmp_path: Path, force: str) -> None:
    target = tmp_path / "server.conf"
    target.write_text("old\n")

    env.ok("generate", "config", "--nats-resolver", "--config-file", str(target), force)

    assert env.placeholders(target.read_text()) == golden("nats-resolver.conf")


def test_config_file_that_is_a_directory_is_refused(env: Env, tmp_path: Path) -> None:
    message = env.fails("generate", "config", "--mem-resolver", "--config-file", str(tmp_path),
                        "--force")  # fmt: skip
    assert message == f"`{tmp_path}` is a directory"


def test_dash_dash_config_file_is_stdout(env: Env) -> None:
    result = env.ok("generate", "config", "--mem-resolver", "--config-file", "--")

    assert env.placeholders(result.stdout) == golden("mem-resolver.conf")


def test_failed_generation_leaves_no_config_file(bare_env: Env, tmp_path: Path) -> None:
    target = tmp_path / "server.conf"

    bare_env.fails("generate", "config", "--mem-resolver", "--config-file", str(target))

    assert not target.exists()


# --dir ---------------------------------------------------------------------------------------


def test_dir_writes_the_jwts_and_a_config_referring_to_them(env: Env, tmp_path: Path) -> None:
    out = tmp_path / "server"

    result = env.ok("generate", "config", "--mem-resolver", "--dir", str(out))

    assert result.stderr == f"[ OK ] wrote server configuration to `{out / 'resolver.conf'}`\n"
    names = sorted(p.name for p in out.iterdir())
    accounts = sorted(f"{k.public_key}.jwt" for k in env.accounts.values())
    assert names == sorted(["O.jwt", "resolver.conf", *accounts])
    assert (out / "O.jwt").read_text() == env.store.operator_token() + "\n"
    for name, key in env.accounts.items():
        assert (out / f"{key.public_key}.jwt").read_text() == env.store.account_token(name) + "\n"
    text = (out / "resolver.conf").read_text()
    assert env.placeholders(text, DIR=str(out)) == golden("dir-resolver.conf")


def test_dir_alone_means_mem_resolver(env: Env, tmp_path: Path) -> None:
    env.ok("generate", "config", "--dir", str(tmp_path / "d"))

    assert (tmp_path / "d" / "resolver.conf").is_file()


def test_existing_dir_is_refused_without_force(env: Env, tmp_path: Path) -> None:
    out = tmp_path / "server"
    out.mkdir()

    assert env.fails("generate", "config", "--mem-resolver", "--dir", str(out)) == (
        f"`{out}` already exists"
    )
    assert list(out.iterdir()) == []

    env.ok("generate", "config", "--mem-resolver", "--dir", str(out), "--force")
    assert (out / "resolver.conf").is_file()


def test_dir_that_is_a_file_is_refused(env: Env, tmp_path: Path) -> None:
    out = tmp_path / "server"
    out.write_text("")

    message = env.fails("generate", "config", "--mem-resolver", "--dir", str(out), "--force")

    assert message == f"`{out}` already exists and is not a directory"


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--mem-resolver", "--config-file", "x.conf"], "--dir is exclusive of --config-file"),
        (["--nats-resolver"], "nats-resolver configurations don't support directory output"),
        (["--nats-resolver-cache"], "nats-resolver configurations don't support directory output"),
        (["--nkey"], "--dir is not valid with nkey configuration"),
    ],
)
def test_dir_usage_errors(env: Env, tmp_path: Path, flags: list[str], message: str) -> None:
    out = tmp_path / "d"

    assert env.fails("generate", "config", "--dir", str(out), *flags, exit_code=2) == message
    assert not out.exists()


# --json ----------------------------------------------------------------------------------------


def test_json_to_stdout_holds_the_config(env: Env) -> None:
    text = env.ok("generate", "config", "--nats-resolver").stdout

    payload = env.json("generate", "config", "--nats-resolver")

    assert payload == {
        "ok": True, "messages": [], "data": {"type": "nats-resolver", "config": text}
    }  # fmt: skip


def test_json_to_a_file_names_it(env: Env, tmp_path: Path) -> None:
    target = tmp_path / "s.conf"

    payload = env.json("generate", "config", "--mem-resolver", "--config-file", str(target))

    assert payload["data"] == {"type": "mem-resolver", "config_file": str(target)}
    assert payload["messages"] == [
        {"level": "ok", "text": f"wrote server configuration to `{target}`"}
    ]


def test_json_failure_is_a_json_object(bare_env: Env) -> None:
    result = bare_env.run("generate", "config", "--nats-resolver", "--json")

    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["messages"] == [{"level": "error", "text": 'operator "O" has no accounts'}]


# Many users: never read -------------------------------------------------------------------------


def test_user_files_are_never_read(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    users = env.store.dir / "accounts" / "A" / "users"
    users.mkdir(parents=True)
    for n in range(3000):  # not even JWTs: reading one would fail
        (users / f"u{n}.jwt").write_text("not a jwt")

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("generate config read a user")

    for method in ("user_names", "user_token", "user", "find_user"):
        monkeypatch.setattr(Store, method, forbidden)
    for kind in KINDS:
        result = env.ok("generate", "config", f"--{kind}")
        assert env.placeholders(result.stdout) == golden(f"{kind}.conf")


# --nkey (hidden) ----------------------------------------------------------------------------


def test_nkey_config_lists_users_exports_and_imports(bare_env: Env) -> None:
    env = bare_env
    a = env.add_account("A", fixed_key(KeyKind.ACCOUNT, 2))
    b = env.add_account("B", fixed_key(KeyKind.ACCOUNT, 3))
    claims = env.store.account("A")
    claims.nats.exports = [
        c.Export(subject="a.b.c.>", type=c.STREAM),
        c.Export(subject="help", type=c.SERVICE),
        c.Export(subject="private.>", type=c.STREAM, token_req=True),
    ]
    ops.save_account(env.store, "A", claims, env.operator)
    activation = c.ActivationClaims(sub=b.public_key, name="private.>")
    activation.nats.subject = "private.>"
    activation.nats.kind = c.STREAM
    token = c.encode(activation, a)
    claims = env.store.account("B")
    claims.nats.imports = [
        c.Import(subject="a.b.c.>", account=a.public_key, type=c.STREAM),
        c.Import(subject="help", account=a.public_key, type=c.SERVICE, local_subject="ask"),
        c.Import(subject="private.>", account=a.public_key, type=c.STREAM, token=token),
    ]
    ops.save_account(env.store, "B", claims, env.operator)
    env.ok("add", "user", "u", "-a", "A")
    user = env.store.user("A", "u").sub

    text = env.ok("generate", "config", "--nkey").stdout

    assert text == (
        "accounts: {\n"
        "  A: {\n"
        "    users: [\n"
        f"      {{ nkey: {user} }}\n"
        "    ]\n"
        "    exports: [\n"
        '      { stream: "a.b.c.>" }\n'
        "      { service: help }\n"
        '      { stream: "private.>", accounts: [B] }\n'
        "    ]\n"
        "  }\n"
        "  B: {\n"
        "    imports: [\n"
        '      { stream: { account: A, subject: "a.b.c.>" } }\n'
        "      { service: { account: A, subject: help }, to: ask }\n"
        '      { stream: { account: A, subject: "private.>" } }\n'
        "    ]\n"
        "  }\n"
        "}\n"
    )


def test_nkey_refuses_sys_account(env: Env) -> None:
    message = env.fails("generate", "config", "--nkey", "--sys-account", "SYS", exit_code=2)

    assert message == "nkey configurations don't support system account"


def test_help_hides_nkey_and_dir(env: Env) -> None:
    text = env.ok("generate", "config", "--help").stdout

    for flag in ("--mem-resolver", "--nats-resolver", "--nats-resolver-cache", "--config-file",
                 "--force", "--sys-account", "--json"):  # fmt: skip
        assert flag in text
    options = [line.split()[0] for line in text.splitlines() if line.startswith("  -")]
    assert "--nkey" not in options
    assert "--dir" not in options


def test_store_copy_keeps_working(env: Env, tmp_path: Path) -> None:
    """A store moved elsewhere (only operator and account JWTs matter) still generates."""
    copy = tmp_path / "copy"
    shutil.copytree(env.store.root, copy)

    result = env.ok("--data-dir", str(copy), "generate", "config", "--mem-resolver")

    assert env.placeholders(result.stdout) == golden("mem-resolver.conf")


def test_json_dir_lists_the_files(env: Env, tmp_path: Path) -> None:
    out = tmp_path / "server"

    payload = env.json("generate", "config", "--dir", str(out))

    accounts = sorted(f"{k.public_key}.jwt" for k in env.accounts.values())
    assert payload["data"] == {
        "type": "mem-resolver",
        "dir": str(out),
        "config_file": str(out / "resolver.conf"),
        "files": sorted(["O.jwt", *accounts]),
    }


def test_dir_operator_file_name_never_leaves_the_dir(bare_env: Env, tmp_path: Path) -> None:
    operator = bare_env.store.operator()
    operator.name = "../x/y"  # an imported operator JWT may carry any name
    ops.save_operator(bare_env.store, operator, bare_env.operator)
    bare_env.add_account("A", fixed_key(KeyKind.ACCOUNT, 2))
    out = tmp_path / "d"

    bare_env.ok("generate", "config", "--dir", str(out))

    assert not (tmp_path / "x").exists()
    assert sorted(p.name for p in out.iterdir()) == [
        ".._x_y.jwt", f"{bare_env.accounts['A'].public_key}.jwt", "resolver.conf"
    ]
    assert (out / ".._x_y.jwt").read_text() == bare_env.store.operator_token() + "\n"
    assert f'operator: "{out}/.._x_y.jwt"\n' in (out / "resolver.conf").read_text()


# What is checked of the account JWTs -----------------------------------------------------------


def test_an_account_jwt_that_does_not_decode_is_refused(env: Env) -> None:
    """Account JWTs are checked as they are read (their signatures are nats-server's to verify,
    as it loads them): one that is not an account JWT stops the command."""
    path = env.store.dir / "accounts" / "B" / "B.jwt"
    path.write_text(env.store.operator_token())  # operator claims where an account's should be
    message = env.fails("generate", "config", "--mem-resolver")
    assert message.startswith('the JWT of account "B" in `')
    assert message.endswith("is invalid: expected account claims, got operator claims")
    path.write_text("garbage")
    assert "is invalid: invalid JWT: expected 3 chunks" in env.fails(
        "generate", "config", "--mem-resolver"
    )


def test_an_account_jwt_with_a_bad_signature_is_left_to_nats_server(env: Env) -> None:
    path = env.store.dir / "accounts" / "B" / "B.jwt"
    head, _, signature = path.read_text().rpartition(".")
    forged = f"{head}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    path.write_text(forged)
    assert forged in env.ok("generate", "config", "--mem-resolver").stdout
