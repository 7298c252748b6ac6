"""The claim models' dataclass methods, generated ahead of time (``pynsc.claims._model``)."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pynsc.claims as c
from pynsc.claims import _model

# Every model class described by what a caller can see of it, as JSON text.
_DESCRIBE = """
import dataclasses, inspect, json, sys
if sys.argv[1] == "standard":
    sys.modules["pynsc.claims._compiled"] = None  # the standard decorator for every class
import importlib, pynsc.claims
for module in pynsc.claims._SUBMODULES:  # every model (pynsc.claims loads them on first use)
    importlib.import_module(f"pynsc.claims.{module}")
from pynsc.claims import _model
def show(value):
    if value is dataclasses.MISSING:
        return "MISSING"
    return getattr(value, "__qualname__", None) or repr(value)

out = {}
for cls, _ in _model._MADE:
    fields = cls.__dict__["__dataclass_fields__"]
    try:
        sample = repr(cls())
    except TypeError:
        sample = None
    out[f"{cls.__module__}.{cls.__qualname__}"] = {
        "doc": cls.__doc__,
        "signature": str(inspect.signature(cls)),
        "init_annotations": repr(cls.__init__.__annotations__),
        "init_qualname": cls.__init__.__qualname__,
        "slots": list(cls.__dict__.get("__slots__", ())),
        "match_args": list(cls.__match_args__),
        "hash": cls.__hash__ is None,
        "params": repr(cls.__dataclass_params__),
        "fields": [
            [f.name, str(f.type), show(f.default), show(f.default_factory), show(f.kw_only),
             repr(f._field_type),
             {k: type(v).__name__ if k == "codec" else v for k, v in f.metadata.items()}]
            for f in fields.values()
        ],
        "repr": sample,
        "names": sorted(n for n in vars(cls) if not n.startswith("__")),
    }
print(json.dumps({"classes": out, "fallbacks": _model.FALLBACKS}, sort_keys=True))
"""


def _describe(mode: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", _DESCRIBE, mode], check=True, capture_output=True, text=True
    ).stdout
    described: dict[str, object] = json.loads(out)
    return described


def test_the_generated_module_is_up_to_date() -> None:
    generated = Path(_model.__file__).with_name("_compiled.py").read_text(encoding="utf-8")
    assert _model.render() == generated, (
        'run: python -c "import pynsc.claims._model as m; m.write()"'
    )


def test_every_model_uses_the_generated_methods() -> None:
    assert _describe("generated")["fallbacks"] == []


def test_generated_classes_are_the_standard_dataclasses() -> None:
    generated = _describe("generated")["classes"]
    standard = _describe("standard")["classes"]
    assert generated == standard
    assert len(generated) >= 30  # type: ignore[arg-type]


def test_dataclass_functions_work_on_the_models() -> None:
    user = c.UserClaims(sub="U", name="n")
    user.nats.pub.allow.append("a.>")
    assert dataclasses.is_dataclass(user)
    assert [f.name for f in dataclasses.fields(c.TimeRange)] == ["start", "end"]
    assert dataclasses.replace(c.TimeRange(start="1"), end="2") == c.TimeRange(start="1", end="2")
    assert dataclasses.asdict(c.Permission(allow=["x"])) == {"allow": ["x"], "deny": []}
    clone = copy.deepcopy(user)
    assert clone == user
    assert clone.nats.pub.allow is not user.nats.pub.allow
    assert user != c.UserClaims(sub="U", name="other")
    assert c.UserClaims() != c.AccountClaims()
    assert not hasattr(user, "__dict__")
    assert c.User().tags is not c.User().tags  # a fresh list each time
    assert "sub" in inspect.signature(c.UserClaims).parameters


def test_an_out_of_date_class_gets_the_standard_decorator() -> None:
    @_model.dataclass(kw_only=True, slots=True)
    class Permission:  # same name as a generated model, other module and fields
        allow: list[str] = dataclasses.field(default_factory=list)
        extra: int = 3

    assert Permission(extra=4).extra == 4
    assert f"{__name__}.{Permission.__qualname__}" in _model.FALLBACKS
