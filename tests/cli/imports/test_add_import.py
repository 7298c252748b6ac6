"""``pynsc add import``: every flag, public and private imports, nsc's behaviours §5.3 #18-#21,
the checks against a local exporter, and whole-account validation before writing."""

from __future__ import annotations

import time

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.store import ToolConfig, ops
from tests.cli.imports.conftest import Env, WebServer


@pytest.fixture
def env(env: Env) -> Env:
    """Exporter ``A`` and importer ``B``."""
    env.add_account("A")
    env.add_account("B")
    return env


def _imports(env: Env, account: str = "B") -> list[c.Import]:
    return env.account(account).nats.imports


def _key(env: Env, name: str) -> str:
    return env.accounts[name].public_key


# Choosing the mode (#19) --------------------------------------------------------------------------


def test_token_mixed_with_public_flags(env: Env) -> None:  # 5.3 #19
    message = env.fails("add", "import", "-a", "B", "--token", "/foo", "--remote-subject", "x",
                        exit_code=2)  # fmt: skip
    assert message.startswith("private imports require src-account")
    assert env.fails("add", "import", "-a", "B", "-u", "/foo", "--src-account", "A",
                     exit_code=2).startswith("private imports require")  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ("--remote-subject", "x"),
        ("--src-account", "A"),
        ("--src-account", "A", "--remote-subject", ""),
        (),
    ],
)
def test_public_needs_both(env: Env, args: tuple[str, ...]) -> None:  # 5.3 #19
    message = env.fails("add", "import", "-a", "B", *args, exit_code=2)
    assert message == "public imports require src-account, remote-subject"


# Public imports ---------------------------------------------------------------------------------


def test_public_stream_import(env: Env) -> None:  # 5.3 #20
    env.add_export("A", "foobar.>")
    lines = env.ok_lines("add", "import", "-a", "B", "--src-account", "A",
                         "--remote-subject", "foobar.>")  # fmt: skip
    assert lines == ['[ OK ] added stream import "foobar.>"']
    (imp,) = _imports(env)
    assert imp == c.Import(name="foobar.>", subject="foobar.>", account=_key(env, "A"),
                           type=c.STREAM)  # fmt: skip
    assert imp.local_subject == ""
    assert env.account("B").iss == env.operator.public_key


def test_public_import_by_public_key_name_and_local_subject(env: Env) -> None:
    env.add_export("A", "foobar.>")
    env.ok("add", "import", "--account", "B", "--src-account", _key(env, "A"),
           "--remote-subject", "foobar.x.>", "-n", "mine", "-s", "local.>", "--allow-trace")
    (imp,) = _imports(env)
    assert (imp.name, imp.subject, imp.local_subject) == ("mine", "foobar.x.>", "local.>")
    assert imp.account == _key(env, "A")
    assert imp.allow_trace is True
    assert imp.share is False


def test_public_service_import(env: Env) -> None:
    env.add_export("A", "svc.>", service=True)
    lines = env.ok_lines("add", "import", "-a", "B", "--src-account", "A",
                         "--remote-subject", "svc.q", "--service", "--share")  # fmt: skip
    assert lines == ['[ OK ] added service import "svc.q"']
    (imp,) = _imports(env)
    assert imp.type == c.SERVICE
    assert imp.local_subject == ""  # left out, as nsc leaves it (issue 10 item 3)
    assert "local_subject" not in c.peek(env.store.account_token("B"))["nats"]["imports"][0]
    assert imp.share is True
    assert imp.name == "svc.q"


def test_service_import_with_references(env: Env) -> None:
    env.add_export("A", "svc.*", service=True)
    env.ok("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", "svc.*",
           "--service", "--local-subject", "mine.$1")
    (imp,) = _imports(env)
    assert (imp.subject, imp.local_subject) == ("svc.*", "mine.$1")


def test_account_defaults_to_the_current_one(env: Env) -> None:
    env.add_export("A", "s")
    ToolConfig.update(env.home / "nsc.json", account="B")
    env.ok("add", "import", "--src-account", "A", "--remote-subject", "s")
    assert [i.subject for i in _imports(env)] == ["s"]


def test_account_is_required_with_several(env: Env) -> None:
    env.add_export("A", "s")
    message = env.fails("add", "import", "--src-account", "A", "--remote-subject", "s")
    assert message == "an account is required"


def test_remote_account_not_in_this_operator(env: Env) -> None:
    """Nothing to check an account of another operator against: the import is written."""
    other = keys.generate("account").public_key
    env.ok("add", "import", "-a", "B", "--src-account", other, "--remote-subject", "x.>")
    (imp,) = _imports(env)
    assert imp.account == other


def test_unknown_source_account(env: Env) -> None:
    message = env.fails("add", "import", "-a", "B", "--src-account", "Z", "--remote-subject", "x")
    assert message == '"Z" is neither an account public key nor an account of operator "O"'


def test_self_import_public(env: Env) -> None:  # 5.3 #18
    env.add_export("A", "s")
    message = env.fails("add", "import", "-a", "A", "--src-account", "A", "--remote-subject", "s")
    assert message == "export issuer is this account"


def test_share_only_for_services(env: Env) -> None:
    env.add_export("A", "s")
    message = env.fails("add", "import", "-a", "B", "--src-account", "A",
                        "--remote-subject", "s", "--share", exit_code=2)  # fmt: skip
    assert message == "only services can set the share property"


def test_allow_trace_only_for_streams(env: Env) -> None:
    env.add_export("A", "s", service=True)
    message = env.fails("add", "import", "-a", "B", "--src-account", "A",
                        "--remote-subject", "s", "--service", "--allow-trace",
                        exit_code=2)  # fmt: skip
    assert message == "only streams can set the allow-trace property"


def test_duplicate(env: Env) -> None:
    env.add_export("A", "s")
    env.ok("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", "s")
    message = env.fails("add", "import", "-a", "B", "--src-account", "A", "--remote-subject",
                        "s", "-n", "again")  # fmt: skip
    assert message == f'account already imports stream "s" from {_key(env, "A")}'


def test_same_subject_as_stream_and_service(env: Env) -> None:
    env.add_export("A", "s")
    env.add_export("A", "s", service=True)
    env.ok("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", "s")
    env.ok("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", "s",
           "--service", "-s", "t")
    assert sorted(i.type for i in _imports(env)) == [c.SERVICE, c.STREAM]


# Checks against a local exporter ----------------------------------------------------------------


def test_exporter_without_exports(env: Env) -> None:
    message = env.fails("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", "s")
    assert message == 'account "A" doesn\'t have exports'


def test_subject_not_exported(env: Env) -> None:
    env.add_export("A", "foo.>")
    message = env.fails("add", "import", "-a", "B", "--src-account", "A", "--remote-subject",
                        "bar")  # fmt: skip
    assert message == 'a public stream export for "bar" was not found in account "A"'
    # foo is not in foo.>
    message = env.fails("add", "import", "-a", "B", "--src-account", "A", "--remote-subject",
                        "foo")  # fmt: skip
    assert message == 'a public stream export for "foo" was not found in account "A"'


def test_export_of_the_other_kind(env: Env) -> None:
    env.add_export("A", "svc", service=True)
    result = env.run("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", "svc")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        'Error: a public stream export for "svc" was not found in account "A"',
        'Hint: account "A" has a service export "svc": add --service',
    ]


def test_private_export_needs_a_token(env: Env) -> None:
    env.add_export("A", "p.>", private=True)
    message = env.fails("add", "import", "-a", "B", "--src-account", "A", "--remote-subject",
                        "p.x")  # fmt: skip
    assert message == (
        'stream export "p.>" of account "A" is private - an activation token is required'
    )


def test_account_token_position(env: Env) -> None:
    env.add_export("A", "req.*.>", service=True, token_position=2)
    message = env.fails("add", "import", "-a", "B", "--src-account", "A", "--remote-subject",
                        "req.*.>", "--service")  # fmt: skip
    assert message.startswith('service export "req.*.>" of account "A" requires the importing '
                              "account's public key as token 2")  # fmt: skip
    subject = f"req.{_key(env, 'B')}.>"
    env.ok("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", subject,
           "--service", "-s", "a.>")
    assert _imports(env)[0].subject == subject


# Private imports (activation tokens) ------------------------------------------------------------


def test_private_import_from_file(env: Env) -> None:
    env.add_export("A", "p.>", private=True)
    token = env.activation("A", "B", "p.>")
    path = env.write("token.jwt", token)
    lines = env.ok_lines("add", "import", "-a", "B", "--token", path)
    assert lines == ['[ OK ] added stream import "p.>"']
    (imp,) = _imports(env)
    assert imp == c.Import(name="p.>", subject="p.>", account=_key(env, "A"), token=token,
                           type=c.STREAM)  # fmt: skip


def test_private_import_decorated_with_flags(env: Env) -> None:
    env.add_export("A", "svc.*", service=True, private=True)
    token = env.activation("A", "B", "svc.*", service=True, name="granted")
    path = env.write("token.txt", c.decorate(token))
    lines = env.ok_lines("add", "import", "-a", "B", "-u", path, "-s", "my.$1", "--share",
                         "--service")  # fmt: skip
    assert lines == ['[ OK ] added service import "svc.*"']
    (imp,) = _imports(env)
    assert imp.token == token
    assert (imp.name, imp.local_subject, imp.share) == ("granted", "my.$1", True)
    env.ok("delete", "import", "-a", "B")
    env.ok("add", "import", "-a", "B", "-u", path, "-n", "named")
    (imp,) = _imports(env)
    assert (imp.name, imp.local_subject) == ("named", "svc.*")


def test_private_import_from_url(env: Env, web: WebServer) -> None:  # 5.3 #21
    env.add_export("A", "p.>", private=True)
    token = env.activation("A", "B", "p.x")
    url = web.serve("/activation/1", c.decorate(token))
    env.ok("add", "import", "-a", "B", "--token", url)
    (imp,) = _imports(env)
    assert imp.token == token  # embedded, not the URL
    assert imp.subject == "p.x"


def test_url_that_fails(env: Env, web: WebServer) -> None:
    message = env.fails("add", "import", "-a", "B", "--token", web.base + "/missing")
    assert message.startswith(f"error loading `{web.base}/missing`: ")
    assert "404" in message


def test_missing_token_file(env: Env) -> None:
    message = env.fails("add", "import", "-a", "B", "--token", "/does/not/exist")
    assert message.startswith("error loading `/does/not/exist`: ")


def test_token_that_is_not_an_activation(env: Env) -> None:
    user = keys.generate("user")
    token = c.encode(c.UserClaims(sub=user.public_key, name="u"), env.accounts["A"])
    message = env.fails("add", "import", "-a", "B", "--token", env.write("u.jwt", token))
    assert message.endswith("expected an activation, got user claims")
    message = env.fails("add", "import", "-a", "B", "--token", env.write("bad.jwt", "garbage"))
    assert message.startswith("error loading `")


def test_self_import_by_token(env: Env) -> None:  # 5.3 #18
    env.add_export("A", "p", private=True)
    path = env.write("t.jwt", env.activation("A", "A", "p"))
    assert env.fails("add", "import", "-a", "A", "--token", path) == "export issuer is this account"


def test_activation_for_another_account(env: Env) -> None:
    env.add_account("C")
    env.add_export("A", "p", private=True)
    path = env.write("t.jwt", env.activation("A", "C", "p"))
    message = env.fails("add", "import", "-a", "B", "--token", path)
    assert message == (
        f'activation is not intended for this account - it is for "{_key(env, "C")}"'
    )


def test_expired_activation(env: Env) -> None:
    env.add_export("A", "p", private=True)
    past = int(time.time()) - 3600
    path = env.write("t.jwt", env.activation("A", "B", "p", exp=past, iat=past - 60))
    message = env.fails("add", "import", "-a", "B", "--token", path)
    assert message.startswith("the activation expired on ")


def test_activation_not_yet_valid_warns(env: Env) -> None:
    env.add_export("A", "p", private=True)
    path = env.write("t.jwt", env.activation("A", "B", "p", nbf=int(time.time()) + 3600))
    lines = env.ok_lines("add", "import", "-a", "B", "--token", path)
    assert lines[0].startswith("[WARN] the activation is not valid until ")
    assert lines[1] == '[ OK ] added stream import "p"'


def test_service_flag_must_match_the_activation(env: Env) -> None:
    env.add_export("A", "p", private=True)
    path = env.write("t.jwt", env.activation("A", "B", "p"))
    message = env.fails("add", "import", "-a", "B", "--token", path, "--service", exit_code=2)
    assert message == (
        "the activation is for a stream import, not a service: --service does not apply"
    )


def test_activation_signed_by_a_signing_key(env: Env) -> None:
    env.add_export("A", "p", private=True)
    sk = env.add_signing_key("A")
    path = env.write("t.jwt", env.activation("A", "B", "p", signer=sk,
                                             issuer_account=_key(env, "A")))  # fmt: skip
    env.ok("add", "import", "-a", "B", "--token", path)
    assert _imports(env)[0].account == _key(env, "A")


def test_activation_not_signed_by_the_exporter(env: Env) -> None:
    env.add_export("A", "p", private=True)
    stranger = keys.generate("account")
    path = env.write("t.jwt", env.activation("A", "B", "p", signer=stranger,
                                             issuer_account=_key(env, "A")))  # fmt: skip
    message = env.fails("add", "import", "-a", "B", "--token", path)
    assert message == (
        f'the activation is signed by {stranger.public_key}, which is neither account "A" nor '
        "one of its signing keys"
    )


def test_activation_for_a_subject_not_exported(env: Env) -> None:
    env.add_export("A", "p", private=True)
    path = env.write("t.jwt", env.activation("A", "B", "q"))
    message = env.fails("add", "import", "-a", "B", "--token", path)
    assert message == 'a stream export for "q" was not found in account "A"'


def test_revoked_activation(env: Env) -> None:
    now = int(time.time())
    env.add_export("A", "p", private=True, revocations={"*": now})
    path = env.write("t.jwt", env.activation("A", "B", "p", iat=now - 10))
    message = env.fails("add", "import", "-a", "B", "--token", path)
    assert message == 'the activation was revoked by account "A" (stream export "p")'


def test_activation_from_another_operator(env: Env) -> None:
    """An exporter that is not in this store: the activation alone is checked."""
    exporter = keys.generate("account")
    path = env.write("t.jwt", env.activation("X", "B", "x.>", signer=exporter))
    env.ok("add", "import", "-a", "B", "--token", path)
    assert _imports(env)[0].account == exporter.public_key


# Whole-account validation (jwt-spec §3.2) --------------------------------------------------------


def test_overlapping_service_imports(env: Env) -> None:
    env.add_export("A", "svc.>", service=True)
    env.ok("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", "svc.a",
           "--service")
    message = env.fails("add", "import", "-a", "B", "--src-account", "A", "--remote-subject",
                        "svc.*", "--service")  # fmt: skip
    assert message == (
        f'overlapping subject namespace for "svc.*" and "svc.a" in same account '
        f'"{_key(env, "A")}"'
    )


@pytest.mark.parametrize(
    ("remote", "local", "service", "expected"),
    [
        ("svc.*", "my.$2", True,
         'Reference $2 in "my.$2" reference * in "svc.*" that do not exist'),
        ("svc.*", "my.x", True, "subject does not contain enough * or reference wildcards $[0-9]"),
        ("foo.>", "bar", False, "both, renaming subject and subject, need to end or not end in >"),
        ("foo.>", "a b.>", False, 'subject "a b.>" cannot have spaces'),
        ("foo.>", "a..>", False, "subject \"a..>\" cannot contain consecutive `.`"),
    ],
)
def test_bad_local_subjects(
    env: Env, remote: str, local: str, service: bool, expected: str
) -> None:
    env.add_export("A", remote, service=service)
    args = ["add", "import", "-a", "B", "--src-account", "A", "--remote-subject", remote,
            "-s", local]  # fmt: skip
    if service:
        args.append("--service")
    assert env.fails(*args) == expected


def test_import_limit(env: Env) -> None:
    env.add_export("A", "s")

    def limit(claims: c.AccountClaims) -> None:
        claims.nats.limits.imports = 0

    env.edit_account("B", limit)
    message = env.fails("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", "s")
    assert message == "the account contains more imports than allowed by the operator"


def test_no_operator_key(env: Env) -> None:
    env.add_export("A", "s")
    env.keystore.remove(env.operator.public_key)
    message = env.fails("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", "s")
    assert message.startswith("unable to resolve any of the following signing keys")


def test_signed_with_an_operator_signing_key(env: Env) -> None:
    env.add_export("A", "s")
    sk = keys.generate("operator")
    operator = env.store.operator()
    operator.nats.signing_keys.append(sk.public_key)
    ops.save_operator(env.store, operator, env.operator)
    env.ok("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", "s", "-K",
           sk.seed or "")
    assert env.account("B").iss == sk.public_key


def test_keeps_other_fields(env: Env) -> None:
    env.add_export("A", "s")
    env.add_export("A", "t")

    def change(claims: c.AccountClaims) -> None:
        claims.nats.tags = ["x"]
        claims.nats.limits.conn = 5
        claims.nats.mappings["m"] = [c.WeightedMapping(subject="n")]

    env.edit_account("B", change)
    env.ok("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", "s")
    env.ok("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", "t")
    claims = env.account("B")
    assert claims.nats.tags == ["x"]
    assert claims.nats.limits.conn == 5
    assert list(claims.nats.mappings) == ["m"]
    assert [i.subject for i in claims.nats.imports] == ["s", "t"]


# JSON ---------------------------------------------------------------------------------------------


def test_json(env: Env) -> None:
    env.add_export("A", "s")
    payload = env.json("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", "s")
    assert payload["messages"] == [{"level": "ok", "text": 'added stream import "s"'}]
    assert payload["data"] == {
        "account": "B",
        "import": {"name": "s", "subject": "s", "account": _key(env, "A"), "type": "stream"},
    }


def test_json_failure(env: Env) -> None:
    import json

    before = env.digest()
    result = env.run("add", "import", "-a", "B", "--src-account", "A", "--remote-subject", "s",
                     "--json")  # fmt: skip
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["messages"] == [
        {"level": "error", "text": 'account "A" doesn\'t have exports'}
    ]
    assert env.digest() == before


def test_signing_key_is_not_an_exporter(env: Env) -> None:
    env.add_export("A", "s")
    sk = env.add_signing_key("A")
    message = env.fails("add", "import", "-a", "B", "--src-account", sk.public_key,
                        "--remote-subject", "s")  # fmt: skip
    assert message == f'{sk.public_key} is a signing key of account "A", not the account'
    env.add_export("A", "p", private=True)
    # signed by the signing key, but without issuer_account: the exporter would be the key
    path = env.write("t.jwt", env.activation("A", "B", "p", signer=sk))
    message = env.fails("add", "import", "-a", "B", "--token", path)
    assert message == f'{sk.public_key} is a signing key of account "A", not the account'


# Startup -----------------------------------------------------------------------------------------


def test_file_token_does_not_import_requests(env: Env) -> None:
    """``requests`` is imported only to fetch a URL."""
    import subprocess
    import sys
    import textwrap

    env.add_export("A", "p", private=True)
    path = env.write("t.jwt", env.activation("A", "B", "p"))
    code = textwrap.dedent(
        f"""
        import sys
        import pynsc.cli
        code = pynsc.cli.cli.main(
            ["-H", {str(env.home)!r}, "add", "import", "-a", "B", "--token", {path!r}],
            prog_name="pynsc", standalone_mode=False,
        )
        assert code in (0, None), code
        heavy = sorted(m for m in ("requests", "nats", "asyncio", "yaml") if m in sys.modules)
        assert not heavy, heavy
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [i.subject for i in _imports(env)] == ["p"]
