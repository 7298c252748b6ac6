"""``pynsc.claims`` loads each public name from its submodule on first use (issue 11)."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap

import pytest

import pynsc.claims
from tests.conftest import GO_FIXTURES, ROOT


def test_every_public_name_is_listed_once_with_its_submodule() -> None:
    listed = [name for names in pynsc.claims._SUBMODULES.values() for name in names]
    assert sorted(listed) == sorted(pynsc.claims.__all__)
    assert len(set(listed)) == len(listed)


@pytest.mark.parametrize("name", pynsc.claims.__all__)
def test_each_name_is_its_submodules_object(name: str) -> None:
    module = importlib.import_module(f"pynsc.claims.{pynsc.claims._WHERE[name]}")
    assert getattr(pynsc.claims, name) is getattr(module, name)
    assert name in dir(pynsc.claims)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        pynsc.claims.Nope  # noqa: B018
    assert not hasattr(pynsc.claims, "Nope")


def _fresh(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_star_import_gives_every_name() -> None:
    out = _fresh(
        """
        from pynsc.claims import *
        import pynsc.claims
        print(sorted(n for n in pynsc.claims.__all__ if n not in globals()))
        """
    )
    assert out == "[]\n"


_CLAIM_MODULES = ("account", "activation", "authorization", "operator", "user", "validation")


def _loaded_after(code: str) -> set[str]:
    """The claim modules of ``_CLAIM_MODULES`` loaded after running ``code`` in a fresh process."""
    out = _fresh(
        code
        + f"""
import sys
print(" ".join(m for m in {_CLAIM_MODULES!r} if "pynsc.claims." + m in sys.modules))
"""
    )
    return set(out.split())


def test_importing_the_package_loads_no_claim_type() -> None:
    assert _loaded_after("import pynsc.claims") == set()


@pytest.mark.parametrize(
    ("name", "loaded"),
    [
        ("user_A_basic.jwt", {"user"}),
        ("user_sys.creds", {"user"}),
        ("acct_A.jwt", {"account"}),
        ("op.jwt", {"operator"}),
        ("act_B_private_stream.jwt", {"activation"}),
    ],
)
def test_decoding_loads_only_the_tokens_claim_type(name: str, loaded: set[str]) -> None:
    code = f"""
from pynsc.claims import decode_token
from pynsc.keys import parse_decorated_jwt
decode_token(parse_decorated_jwt(open({str(GO_FIXTURES / name)!r}).read()))
"""
    assert _loaded_after(code) == loaded


def test_decode_with_expected_type_and_creds_still_check_the_type() -> None:
    from pynsc.claims import AccountClaims, UserClaims, decode, decode_creds
    from pynsc.errors import CredsError, DecodeError
    from pynsc.keys import parse_decorated_jwt

    user = parse_decorated_jwt((GO_FIXTURES / "user_A_basic.jwt").read_text())
    assert isinstance(decode(user, UserClaims), UserClaims)
    with pytest.raises(DecodeError, match="expected account claims, got user claims"):
        decode(user, AccountClaims)
    claims, _pair = decode_creds((GO_FIXTURES / "user_sys.creds").read_text())
    assert isinstance(claims, UserClaims)
    account = (GO_FIXTURES / "acct_A.jwt").read_text()
    fake_creds = (GO_FIXTURES / "user_sys.creds").read_text()
    jwt = parse_decorated_jwt(fake_creds)
    with pytest.raises(CredsError, match="holds account claims, not user claims"):
        decode_creds(fake_creds.replace(jwt, parse_decorated_jwt(account)))
