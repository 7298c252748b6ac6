"""The claim models' dataclass methods, generated ahead of time (``pynsc._model``)."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

import pynsc.claims as c
from pynsc import _model

# Every model class described by what a caller can see of it, as JSON text.
_DESCRIBE = """
import copy, dataclasses, inspect, json, pickle, sys
if sys.argv[1] == "standard":
    sys.modules["pynsc._compiled"] = None  # the standard decorator for every class
from pynsc import _model
_model.load_all()  # every class made by the decorator, in pynsc.claims and elsewhere
def show(value):
    if value is dataclasses.MISSING:
        return "MISSING"
    return getattr(value, "__qualname__", None) or repr(value)

def outcome(action):
    try:
        return repr(action())
    except Exception as e:
        return f"{type(e).__name__}: {e}"

def instance(cls):
    required = [f for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING
                and f.default_factory is dataclasses.MISSING]
    for value in ("x", 1, None):
        try:
            return cls(*[value] * len(required))
        except Exception:
            pass
    return None

def behaviour(cls):
    # what an instance does: equality, hash, assignment, deletion, pickling, replace, copy
    sample = instance(cls)
    if sample is None:
        return None
    name = dataclasses.fields(cls)[0].name if dataclasses.fields(cls) else "x"
    return {
        "repr": repr(sample),
        "eq": [sample == copy.copy(sample), sample == 1, sample != copy.copy(sample)],
        "hash": outcome(lambda: hash(sample) == hash(copy.copy(sample))),
        "set": outcome(lambda: setattr(sample, name, 1)),
        "set_other": outcome(lambda: setattr(sample, "not_a_field", 1)),
        "del": outcome(lambda: delattr(sample, name)),
        "del_other": outcome(lambda: delattr(sample, "not_a_field")),
        "pickle": outcome(lambda: pickle.loads(pickle.dumps(sample)) == sample),
        "replace": outcome(lambda: dataclasses.replace(sample) == sample),
        "deepcopy": outcome(lambda: copy.deepcopy(sample) == sample),
        "asdict": outcome(lambda: dataclasses.asdict(sample)),
        "after": outcome(lambda: repr(sample)),
    }

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
        "dunders": sorted(n for n in vars(cls) if n.startswith("__")),
        "qualnames": sorted(
            f"{n}={getattr(v, '__qualname__', '')}" for n, v in vars(cls).items() if callable(v)
        ),
        "behaviour": behaviour(cls),
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
        'run: python -c "import pynsc._model as m; m.write()"'
    )


def test_every_model_uses_the_generated_methods() -> None:
    assert _describe("generated")["fallbacks"] == []


def test_generated_classes_are_the_standard_dataclasses() -> None:
    generated = _describe("generated")["classes"]
    standard = _describe("standard")["classes"]
    assert generated == standard
    assert len(generated) >= 45  # type: ignore[arg-type]
    frozen = [v for v in generated.values() if "frozen=True" in v["params"]]  # type: ignore[attr-defined]
    assert len(frozen) >= 12
    tried = [v["behaviour"] for v in frozen if v["behaviour"] is not None]
    assert len(tried) >= 8
    assert all(b["set"].startswith("FrozenInstanceError: cannot assign") for b in tried)
    assert any(b["hash"] == "True" for b in tried)  # (a dict field makes some unhashable)


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


def test_frozen_classes_of_other_layers_use_the_generated_methods() -> None:
    from pynsc.actions.user_changes import UserChanges
    from pynsc.paths import Paths

    paths = Paths.resolve(env={"HOME": "/h"})
    changes = UserChanges()
    assert UserChanges.__setattr__.__module__ == "pynsc.actions.user_changes"
    assert "dataclasses" not in UserChanges.__init__.__code__.co_filename
    assert hash(changes) == hash(UserChanges())
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'perms'"):
        changes.perms = changes.perms  # type: ignore[misc]
    assert dataclasses.replace(changes) == changes
    assert dataclasses.replace(paths) == paths
    assert Paths.__hash__.__qualname__ == "Paths.__hash__"
