"""The claim schemas generated ahead of time (``CODECS`` in ``pynsc._compiled``) give
what the schemas read from the type hints at run time give: the same JSON bytes, the same
objects, the same error messages."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pynsc import _compiled, _model
from pynsc.claims import _codec

FIXTURES = Path(__file__).parents[1] / "fixtures"

# Every claim model over every payload of the fixtures, and over the same payloads with each
# member given a value of every JSON type: what decoding makes of them (or the error), and the
# JSON of what it made. argv: "tables" (the generated schemas) or "hints" (none generated).
_RUN = """
import base64, json, sys
from pathlib import Path
from pynsc import _model
from pynsc.claims import _codec
if sys.argv[1] == "hints":
    _codec._CODECS = {}
_model.load_all()
from pynsc._compiled import CODECS
classes = []
for name in sorted(CODECS):
    module, _, qualname = name.rpartition(".")
    classes.append(getattr(sys.modules[module], qualname))

def payloads():
    root = Path(sys.argv[2])
    tokens = [p.read_text().strip() for p in sorted((root / "go-jwt-2.3.0").glob("*.jwt"))]
    golden = json.loads((root / "golden-jwt-v2.8.2.json").read_text())
    vectors = golden["vectors"]
    tokens += [v["token"] for v in (vectors.values() if isinstance(vectors, dict) else vectors)]
    for token in tokens:
        part = token.split(".")[1]
        yield json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))

BAD = [None, True, 1.5, "<&>", [1, "a"], {"allow": ["a.>"]}]

def variants(payload):
    yield payload
    nats = payload.get("nats", {})
    for key in list(payload) + [f"nats.{k}" for k in nats]:
        for bad in BAD:
            copy = json.loads(json.dumps(payload))
            if key.startswith("nats."):
                copy["nats"][key[5:]] = bad
            else:
                copy[key] = bad
            yield copy

def attempt(cls, raw, defaults):
    try:
        obj = _codec.from_dict(cls, raw, defaults=defaults)
    except Exception as e:
        return f"{type(e).__name__}: {e}"
    try:
        return [repr(obj), _codec.go_json(_codec.to_dict(obj)).hex()]
    except Exception as e:
        return [repr(obj), f"{type(e).__name__}: {e}"]

out = []
for payload in payloads():
    for raw in variants(payload):
        for cls in classes:
            for part in (raw, raw.get("nats")):
                out.append(attempt(cls, part, False))
                out.append(attempt(cls, part, True))
made = sorted(
    f"{c.__module__}.{c.__qualname__}" for c, s in _codec._SCHEMAS.items() if s.precompiled
)
print(json.dumps({"out": out, "precompiled": made, "schemas": len(_codec._SCHEMAS)}))
"""


def _run(mode: str) -> dict[str, object]:
    text = subprocess.run(
        [sys.executable, "-c", _RUN, mode, str(FIXTURES)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    found: dict[str, object] = json.loads(text)
    return found


def test_generated_schemas_give_what_the_type_hints_give() -> None:
    tables, hints = _run("tables"), _run("hints")
    assert tables["out"] == hints["out"]
    assert len(tables["out"]) > 10_000  # type: ignore[arg-type]
    assert hints["precompiled"] == []
    assert tables["precompiled"] == sorted(_compiled.CODECS)
    assert tables["schemas"] == len(_compiled.CODECS)


def test_every_claim_model_has_a_generated_schema() -> None:
    _model.load_all()
    for name in ("pynsc.claims.account.AccountClaims", "pynsc.claims.user.UserClaims",
                 "pynsc.claims.types.UserPermissionLimits", "pynsc.claims.generic.GenericClaims",
                 "pynsc.claims.operator.OperatorClaims"):  # fmt: skip
        assert name in _compiled.CODECS


@dataclasses.dataclass(kw_only=True, slots=True)
class Permission:  # the name of a generated model, other module and fields
    allow: list[str] = _codec.opt(factory=list)
    other: int = _codec.opt(0)


def test_an_out_of_date_or_unknown_class_is_read_from_its_type_hints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pynsc.claims.types import TimeRange

    assert _codec.schema(Permission).precompiled is False
    assert _codec.to_dict(Permission(allow=["a"], other=2)) == {"allow": ["a"], "other": 2}
    name = "pynsc.claims.types.TimeRange"
    fingerprint, specs, modes, maker = _compiled.CODECS[name]
    monkeypatch.delitem(_codec._SCHEMAS, TimeRange, raising=False)
    monkeypatch.setitem(_codec._CODECS, name, ("start:int", specs, modes, maker))
    assert _codec.schema(TimeRange).precompiled is False
    monkeypatch.delitem(_codec._SCHEMAS, TimeRange)
    monkeypatch.setitem(_codec._CODECS, name, (fingerprint, specs, (9, 9), maker))
    assert _codec.schema(TimeRange).precompiled is False
    monkeypatch.delitem(_codec._SCHEMAS, TimeRange)
    monkeypatch.setitem(_codec._CODECS, name, (fingerprint, specs, modes, maker))
    assert _codec.schema(TimeRange).precompiled is True
    assert _codec.to_dict(TimeRange(start="01:00:00")) == {"start": "01:00:00"}


def test_a_struct_that_no_longer_resolves_is_read_from_the_type_hints() -> None:
    assert _codec._spec_type(("struct", "NoSuchClass"), "pynsc.claims.types") is None
    assert _codec._spec_type(("list", ("struct", "json")), "pynsc.claims._codec") is None
    assert _codec._spec_type(("opt", ("dict", "str", "int")), "x") == (dict[str, int] | None)
