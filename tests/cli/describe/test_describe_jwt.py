"""``pynsc describe jwt`` on every Go-made JWT and creds file."""

from __future__ import annotations

import base64
import http.server
import json
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from pynsc.keys import decorate_jwt, parse_decorated_jwt
from tests.cli.conftest import GOLDEN_DIR, Pynsc, assert_one_error
from tests.conftest import GO_FIXTURES

OPERATOR = "OCEXDK3EMLQXGDOJQVS43TOP36TRENUFLPUINSKVGT7WN5UNAO7QGL4B"
OP_SIGNING_KEY = "OD4CN6UXWBARYSSM4JXQVJODEAD43RATTO572UG5ORSSXUKWQE2JTMSV"
TOKEN_FILES = sorted(p.name for p in GO_FIXTURES.glob("*.jwt"))
CREDS_FILES = sorted(p.name for p in GO_FIXTURES.glob("*.creds"))


def _token(name: str) -> str:
    return parse_decorated_jwt((GO_FIXTURES / name).read_text())


def _payload(token: str) -> dict[str, Any]:
    """The payload, decoded independently of pynsc."""
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))  # type: ignore[no-any-return]


def test_fixture_set_is_complete() -> None:
    assert len(TOKEN_FILES) == 17
    assert len(CREDS_FILES) == 10


@pytest.mark.parametrize("name", TOKEN_FILES + CREDS_FILES)
def test_table_shows_name_and_subject(pynsc: Pynsc, name: str) -> None:
    payload = _payload(_token(name))
    result = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / name))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert payload["name"] in result.stdout
    assert payload["sub"] in result.stdout
    assert result.stdout.startswith("+-")
    assert result.stdout.endswith("-+\n")


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("op.jwt", "Operator Details"),
        ("acct_A.jwt", "Account Details"),
        ("user_A_basic.jwt", "User"),
        ("user_sys.creds", "User"),
        ("act_B_private_stream.jwt", "Activation"),
    ],
)
def test_table_title(pynsc: Pynsc, name: str, title: str) -> None:
    result = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / name))
    assert result.stdout.splitlines()[1].strip("| ") == title


@pytest.mark.parametrize(
    "name", ["user_A_perms", "acct_A", "acct_B", "op", "act_B_private_svc"]
)
def test_golden_table(pynsc: Pynsc, name: str) -> None:
    result = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / f"{name}.jwt"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (GOLDEN_DIR / f"describe_{name}.txt").read_text()


@pytest.mark.parametrize("name", TOKEN_FILES + CREDS_FILES)
def test_json_is_the_payload(pynsc: Pynsc, name: str) -> None:
    result = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / name), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == _payload(_token(name))
    assert result.stdout.startswith('{\n "')  # one-space indent


def test_json_does_not_escape_html(pynsc: Pynsc) -> None:
    result = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / "acct_A.jwt"), "-J")
    assert "<exports> & everything" in result.stdout


@pytest.mark.parametrize(
    ("name", "path", "expected"),
    [
        ("op.jwt", "sub", OPERATOR),
        ("op.jwt", "nats.signing_keys[0]", OP_SIGNING_KEY),
        ("op.jwt", "nats.operator_service_urls", ["nats://127.0.0.1:4222", "tls://localhost:4443"]),
        ("op.jwt", "iat", 1795396741),
        ("acct_A.jwt", "nats.limits.conn", 100),
        ("acct_A.jwt", "nats.exports[0].subject", "chunked.svc"),
        ("user_A_bearer.creds", "nats.bearer_token", True),
    ],
)
def test_field(pynsc: Pynsc, name: str, path: str, expected: Any) -> None:
    result = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / name), "--field", path)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == expected
    assert result.stdout.endswith("\n")


def test_field_string_is_quoted(pynsc: Pynsc) -> None:
    result = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / "acct_A.jwt"), "-F", "name")
    assert result.stdout == '"A"\n'


def test_field_is_compact_and_not_html_escaped(pynsc: Pynsc) -> None:
    source = str(GO_FIXTURES / "acct_A.jwt")
    result = pynsc("describe", "jwt", "-f", source, "-F", "nats.description")
    assert result.stdout == '"Account A <exports> & everything"\n'
    result = pynsc("describe", "jwt", "-f", source, "-F", "nats.tags")
    assert result.stdout == '["team:a","prod"]\n'


def test_field_object_matches_payload(pynsc: Pynsc) -> None:
    result = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / "acct_A.jwt"), "-F", "nats.limits")
    assert json.loads(result.stdout) == _payload(_token("acct_A.jwt"))["nats"]["limits"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("nats.signing_keys[3]", "out of bounds"),
        ("nats.signing_keys[x]", "not a number"),
        ("nats.signing_keys[0", "unterminated"),
        ("nats.nope", "not found"),
        ("name.first", "it is a string"),
        ("nats[0]", "it is an object"),
        ("nats..type", "empty key"),
    ],
)
def test_bad_field(pynsc: Pynsc, path: str, message: str) -> None:
    result = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / "op.jwt"), "-F", path)
    assert_one_error(result, contains=message)


@pytest.mark.parametrize("name", ["op.jwt", "user_A_basic.creds"])
def test_raw_prints_the_token(pynsc: Pynsc, name: str) -> None:
    result = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / name), "--raw")
    assert result.stdout == _token(name) + "\n"


def test_describe_flags_before_the_subcommand(pynsc: Pynsc) -> None:
    before = pynsc("describe", "-R", "jwt", "-f", str(GO_FIXTURES / "op.jwt"))
    after = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / "op.jwt"), "-R")
    assert before.exit_code == 0, before.stderr
    assert before.stdout == after.stdout == _token("op.jwt") + "\n"


def test_output_file_table(pynsc: Pynsc, tmp_path: Path) -> None:
    target = tmp_path / "out" / "user.txt"
    source = str(GO_FIXTURES / "user_A_perms.jwt")
    result = pynsc("describe", "jwt", "-f", source, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert target.read_text() == (GOLDEN_DIR / "describe_user_A_perms.txt").read_text()
    assert "wrote user description to" in result.stderr
    assert target.stat().st_mode & 0o777 == 0o600


def test_output_file_raw_is_decorated(pynsc: Pynsc, tmp_path: Path) -> None:
    target = tmp_path / "acct.jwt"
    source = str(GO_FIXTURES / "acct_A.jwt")
    result = pynsc("describe", "jwt", "-f", source, "-R", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    text = target.read_text()
    assert text.startswith("-----BEGIN NATS ACCOUNT JWT-----\ney")
    assert text == decorate_jwt(_token("acct_A.jwt"), "account")
    assert result.stderr.strip() == f"[ OK ] wrote account jwt to `{target}`"


def test_output_file_json(pynsc: Pynsc, tmp_path: Path) -> None:
    target = tmp_path / "op.json"
    result = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / "op.jwt"), "-J", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert json.loads(target.read_text()) == _payload(_token("op.jwt"))


def test_output_file_dashes_is_stdout(pynsc: Pynsc) -> None:
    result = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / "op.jwt"), "-R", "-o", "--")
    assert result.stdout == _token("op.jwt") + "\n"


def test_decorated_jwt_file(pynsc: Pynsc, tmp_path: Path) -> None:
    source = tmp_path / "op.jwt"
    source.write_text(decorate_jwt(_token("op.jwt"), "operator"))
    result = pynsc("describe", "jwt", "-f", str(source), "-R")
    assert result.stdout == _token("op.jwt") + "\n"


def test_stdin(pynsc: Pynsc) -> None:
    text = (GO_FIXTURES / "user_A_basic.creds").read_text()
    result = pynsc("describe", "jwt", "-f", "-", "-F", "name", input=text)
    assert result.stdout == '"A_basic"\n'


@pytest.fixture
def http_dir(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server over a temp dir: (base URL, dir)."""
    handler = partial(_QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_url(pynsc: Pynsc, http_dir: tuple[str, Path]) -> None:
    base, root = http_dir
    (root / "op.jwt").write_text(_token("op.jwt"))
    result = pynsc("describe", "jwt", "-f", f"{base}/op.jwt", "-F", "name")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == '"O"\n'


def test_url_not_found(pynsc: Pynsc, http_dir: tuple[str, Path]) -> None:
    base, _ = http_dir
    assert_one_error(pynsc("describe", "jwt", "-f", f"{base}/missing.jwt"), contains="404")


# Failures ----------------------------------------------------------------------------------------


def test_missing_file(pynsc: Pynsc, tmp_path: Path) -> None:
    result = pynsc("describe", "jwt", "-f", str(tmp_path / "nope.jwt"))
    assert_one_error(result, contains="does not exist")


def test_directory(pynsc: Pynsc, tmp_path: Path) -> None:
    assert_one_error(pynsc("describe", "jwt", "-f", str(tmp_path)), contains="directory")


@pytest.mark.parametrize(
    "content", ["garbage\n", "", "a.b.c", "-----BEGIN X-----\nfoo\n------END X------\n"]
)
def test_garbage_file(pynsc: Pynsc, tmp_path: Path, content: str) -> None:
    source = tmp_path / "bad.jwt"
    source.write_text(content)
    assert_one_error(pynsc("describe", "jwt", "-f", str(source)), contains="JWT")


def test_tampered_payload(pynsc: Pynsc, tmp_path: Path) -> None:
    header, _body, signature = _token("user_A_basic.jwt").split(".")
    payload = _payload(_token("user_A_basic.jwt"))
    payload["name"] = "mallory"
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    source = tmp_path / "forged.jwt"
    source.write_text(f"{header}.{forged}.{signature}")
    assert_one_error(pynsc("describe", "jwt", "-f", str(source)), contains="signature")


def test_tampered_signature(pynsc: Pynsc, tmp_path: Path) -> None:
    header, body, signature = _token("op.jwt").split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    source = tmp_path / "flipped.jwt"
    source.write_text(f"{header}.{body}.{flipped}")
    assert_one_error(pynsc("describe", "jwt", "-f", str(source)), contains="signature")


def test_file_is_required(pynsc: Pynsc) -> None:
    result = pynsc("describe", "jwt")
    assert result.exit_code == 2
    assert "file is required" in result.stderr


def test_views_are_exclusive(pynsc: Pynsc) -> None:
    result = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / "op.jwt"), "--json", "--raw")
    assert result.exit_code == 2
    assert "mutually exclusive" in result.stderr


def test_unknown_flag(pynsc: Pynsc) -> None:
    result = pynsc("describe", "jwt", "--bogus")
    assert result.exit_code == 2
    assert "No such option" in result.stderr
    assert "Traceback" not in result.stderr


def test_long_ids_accepted(pynsc: Pynsc) -> None:
    plain = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / "acct_B.jwt"))
    wide = pynsc("describe", "jwt", "-f", str(GO_FIXTURES / "acct_B.jwt"), "-W")
    assert wide.exit_code == 0, wide.stderr
    assert wide.stdout == plain.stdout


# Short options: pynsc's parser goes to click's short-option parsing directly (issue 11)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-x"], "No such option '-x'."),
        (["-Jq"], "No such option '-q'."),
        (
            ["-f", "x", "--fiel"],
            "No such option '--fiel'. (Did you mean one of: '--field', '--file', '--help'?)",
        ),
        (["--jsn", "-f", "x"], "No such option '--jsn'. Did you mean '--json'?"),
    ],
)
def test_unknown_options_read_as_clicks(pynsc: Pynsc, args: list[str], message: str) -> None:
    result = pynsc("describe", "jwt", *args)
    assert_one_error(result, exit_code=2, contains=message)


@pytest.mark.parametrize(
    "args",
    [
        ["-f{path}", "-JW"],
        ["-JWf", "{path}"],
        ["-Jf{path}"],
        ["--file={path}", "-J"],
        ["-W", "--file", "{path}", "--json"],
    ],
)
def test_short_option_forms(pynsc: Pynsc, args: list[str]) -> None:
    path = str(GO_FIXTURES / "user_A_basic.jwt")
    expected = pynsc("describe", "jwt", "-f", path, "--json")
    result = pynsc("describe", "jwt", *(arg.format(path=path) for arg in args))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected.stdout


def test_short_option_with_equals_takes_the_rest_as_its_value(pynsc: Pynsc) -> None:
    """``-f=PATH`` is click's: the value is ``=PATH``."""
    result = pynsc("describe", "jwt", f"-f={GO_FIXTURES / 'user_A_basic.jwt'}")
    assert_one_error(result, contains=f"'={GO_FIXTURES / 'user_A_basic.jwt'}'")
