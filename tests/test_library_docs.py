"""Every Python snippet of docs/library.md and of the README runs, in order, as written.

The snippets of one document share a namespace (a later one uses what an earlier one made).
The isolated home of every test (tests/conftest.py) keeps ``Nsc.open()`` off the real stores;
the push snippet gets a free loopback ``port`` for the nats-server it starts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pynsc import keys
from tests.actions.builders import deployment
from tests.conftest import ROOT
from tests.integration.natsserver import free_port

_BLOCK = re.compile(r"^```python\n(.*?)^```", re.M | re.S)


def snippets(path: Path) -> list[str]:
    return _BLOCK.findall(path.read_text(encoding="utf-8"))


@pytest.mark.nats_server
def test_every_library_doc_snippet_runs(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = snippets(ROOT / "docs" / "library.md")
    assert len(blocks) >= 8
    namespace: dict[str, object] = {"port": free_port()}
    for number, block in enumerate(blocks, start=1):
        try:
            exec(compile(block, f"docs/library.md snippet {number}", "exec"), namespace)
        except Exception as error:
            raise AssertionError(f"snippet {number} failed:\n{block}") from error
    out = capsys.readouterr().out
    assert "scoped users require no permissions or limits set" in out
    assert "HttpOnly; Secure; SameSite=Strict" in out
    assert "the user \"svc\" already exists" in out


def test_the_readme_library_snippet_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    d = deployment()
    monkeypatch.setenv("ACCOUNT_SIGNING_SEED", d.signing.seed or "")
    monkeypatch.setenv("ACCOUNT_JWT", d.account_jwt())
    (block,) = [b for b in snippets(ROOT / "README.md") if "Issuer" in b]
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    creds = namespace["creds"]
    assert isinstance(creds, __import__("pynsc").Creds)
    assert creds.claims.nats.issuer_account == d.account.public_key
    assert creds.claims.iss == keys.from_seed(d.signing.seed or "").public_key
