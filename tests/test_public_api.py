"""The public API: what ``import pynsc`` offers, and what it does not load."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pynsc

_ISSUE = """
import json, sys
import pynsc
from pynsc import keys
account = keys.generate("account")
creds = pynsc.Issuer.from_seed(account.seed).issue_user("u", bearer=True, allow_sub=["a.>"])
assert creds.text
nsc = pynsc.Nsc.memory()
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("click", "rich"))))
"""


def test_importing_and_issuing_load_neither_click_nor_rich() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _ISSUE], check=True, capture_output=True, text=True
    ).stdout
    assert json.loads(out) == []


def test_every_public_name_resolves() -> None:
    for name in pynsc.__all__:
        assert getattr(pynsc, name) is not None, name
    assert "Issuer" in dir(pynsc)


def test_the_package_is_typed() -> None:
    assert (Path(pynsc.__file__).parent / "py.typed").is_file()
