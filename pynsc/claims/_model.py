"""``@dataclass`` for the claim models, without generating code at import time.

The standard decorator writes and compiles ``__init__``, ``__repr__`` and ``__eq__`` for every
class each time the module is imported: for the thirty-odd claim models that was most of the
cost of ``import pynsc.claims``. The same methods are written once, ahead of time, into
:mod:`pynsc.claims._compiled` (a generated module, compiled to bytecode like any other), and
this decorator only puts them in place.

What comes out is a dataclass like any other (``dataclasses.fields``, ``replace``, ``asdict``,
``copy``, the same ``repr``, equality, signature and docstring), and mypy sees the standard
decorator. A class whose generated code is missing or out of date (its fields, types or
defaults differ from what the code was generated for), or that asks for what the generated code
does not do (``frozen``, custom ``__init__`` and the like), gets the standard decorator: never
wrong, only slower. ``tests/claims/test_model.py`` checks that the generated module is up to
date and that both ways give the same classes. To regenerate it::

    python -c "import pynsc.claims._model as m; m.write()"
"""

from __future__ import annotations

import dataclasses
import inspect
import operator
import reprlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

__all__ = ["dataclass", "render", "write"]

T = TypeVar("T")

_Maker = Callable[[Any, dict[str, Any], dict[str, Any]], tuple[Callable[..., Any], ...]]

try:
    from pynsc.claims._compiled import CLASSES as _CLASSES
except ImportError:  # being regenerated, or left out on purpose (the equivalence test)
    _CLASSES = {}

#: every class this decorator made, with whether it had its own docstring (for :func:`render`)
_MADE: list[tuple[type, bool]] = []
#: the classes that got the standard decorator, by qualified name
FALLBACKS: list[str] = []

_FIELD = getattr(dataclasses, "_FIELD", None)
_FIELD_CLASSVAR = getattr(dataclasses, "_FIELD_CLASSVAR", None)
_HAS_DEFAULT_FACTORY = getattr(dataclasses, "_HAS_DEFAULT_FACTORY", None)
_PARAMS_CLASS = getattr(dataclasses, "_DataclassParams", None)
_OWN_METHODS = frozenset(
    {"__init__", "__repr__", "__eq__", "__hash__", "__post_init__", "__slots__",
     "__setattr__", "__delattr__", "__match_args__"}
)  # fmt: skip
_MISSING = dataclasses.MISSING
_kind = operator.attrgetter("_field_type")  # a Field's kind: field, class variable, init var
_params: Any = None


def _dataclass(
    cls: type[T] | None = None, /, *, kw_only: bool = False, slots: bool = False,
    frozen: bool = False,
) -> Any:  # fmt: skip
    """``dataclasses.dataclass`` for the arguments the claim models use."""

    def wrap(klass: type[T]) -> type[T]:
        had_doc = klass.__dict__.get("__doc__") is not None
        made = _fast(klass, kw_only) if slots and not frozen else None
        if made is None:
            FALLBACKS.append(_name(klass))
            made = dataclasses.dataclass(klass, kw_only=kw_only, slots=slots, frozen=frozen)
        if not frozen:
            _MADE.append((made, had_doc))
        return made

    return wrap if cls is None else wrap(cls)


if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
else:
    dataclass = _dataclass


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_classvar(annotation: Any) -> bool:
    text = annotation if isinstance(annotation, str) else ""
    return text == "ClassVar" or text.startswith(("ClassVar[", "typing.ClassVar["))


def _collect(cls: type, kw_only: bool) -> dict[str, dataclasses.Field[Any]] | None:
    """The fields the standard decorator would find, or ``None`` for anything unusual."""
    if _FIELD is None or _FIELD_CLASSVAR is None:
        return None
    fields: dict[str, dataclasses.Field[Any]] = {}
    for base in cls.__mro__[-1:0:-1]:
        found = base.__dict__.get("__dataclass_fields__")
        if found is not None:
            fields.update(found)
    for name, annotation in inspect.get_annotations(cls).items():
        if not isinstance(annotation, str) or "InitVar" in annotation or "KW_ONLY" in annotation:
            return None
        default = cls.__dict__.get(name, _MISSING)
        if isinstance(default, dataclasses.Field):
            field = default
        elif name in fields and default is _MISSING:
            return None  # a base field declared again without a default: not ours
        else:
            field = dataclasses.field(default=default)
        field.name = name
        field.type = annotation
        if _is_classvar(annotation):
            object.__setattr__(field, "_field_type", _FIELD_CLASSVAR)
            if field.default_factory is not _MISSING:
                return None
        else:
            object.__setattr__(field, "_field_type", _FIELD)
            if field.kw_only is _MISSING:
                field.kw_only = kw_only
            if not (field.init and field.repr and field.compare and field.hash is None):
                return None
            if field.default is not _MISSING and field.default.__class__.__hash__ is None:
                return None  # the standard decorator refuses a mutable default
        fields[name] = field
    return fields


def fingerprint(fields: dict[str, dataclasses.Field[Any]]) -> str:
    """What the generated code of a class depends on: names, types, defaults, keyword-only."""
    parts = []
    for f in fields.values():
        if _kind(f) is _FIELD_CLASSVAR:
            parts.append(f"{f.name}:{f.type}:classvar")
            continue
        if f.default_factory is not _MISSING:
            default = f"<{getattr(f.default_factory, '__qualname__', '?')}>"
        elif f.default is not _MISSING:
            default = f"={f.default!r}"
        else:
            default = ""
        parts.append(f"{f.name}:{f.type}{default}{':kw' if f.kw_only else ''}")
    return ";".join(parts)


def _fast(cls: type[T], kw_only: bool) -> type[T] | None:
    entry = _CLASSES.get(_name(cls))
    if entry is None or _OWN_METHODS.intersection(cls.__dict__):
        return None
    expected, maker, doc = entry
    fields = _collect(cls, kw_only)
    if fields is None or fingerprint(fields) != expected:
        return None
    params = _dataclass_params()
    if params is None:
        return None
    own = inspect.get_annotations(cls)
    real = [f for f in fields.values() if _kind(f) is _FIELD]
    defaults = {f.name: f.default for f in real if f.default is not _MISSING}
    factories = {f.name: f.default_factory for f in real if f.default_factory is not _MISSING}
    init, rep, eq = maker(_HAS_DEFAULT_FACTORY, defaults, factories)
    init.__annotations__ = {f.name: f.type for f in real} | {"return": None}
    rep = reprlib.recursive_repr()(rep)
    for fn in (init, rep, eq):
        fn.__qualname__ = f"{cls.__qualname__}.{fn.__name__}"
        fn.__module__ = cls.__module__
    namespace = dict(cls.__dict__)
    for name in own:
        if name in namespace and isinstance(namespace[name], dataclasses.Field):
            del namespace[name]
    inherited = {slot for base in cls.__mro__[1:-1] for slot in base.__dict__.get("__slots__", ())}
    names = [f.name for f in real]
    for name in names:
        namespace.pop(name, None)
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    namespace["__slots__"] = tuple(name for name in names if name not in inherited)
    namespace["__dataclass_params__"] = params
    namespace["__dataclass_fields__"] = fields
    namespace["__init__"] = init
    namespace["__repr__"] = rep
    namespace["__eq__"] = eq
    namespace["__hash__"] = None
    namespace["__match_args__"] = tuple(f.name for f in real if not f.kw_only)
    if namespace.get("__doc__") is None:
        if doc is None:
            return None
        namespace["__doc__"] = doc
    metaclass: Any = type(cls)
    made: type[T] = metaclass(cls.__name__, cls.__bases__, namespace)
    made.__qualname__ = cls.__qualname__
    return made


def _dataclass_params() -> Any:
    """The ``__dataclass_params__`` of a non-frozen dataclass (its constructor varies with the
    Python version: it is given the arguments it names)."""
    global _params
    if _params is None and _PARAMS_CLASS is not None:
        values = {"init": True, "repr": True, "eq": True, "order": False, "unsafe_hash": False,
                  "frozen": False, "match_args": True, "kw_only": False, "slots": True,
                  "weakref_slot": False}  # fmt: skip
        names = getattr(_PARAMS_CLASS, "__slots__", ())
        if names and all(name in values for name in names):
            _params = _PARAMS_CLASS(*(values[name] for name in names))
    return _params


# Generating pynsc/claims/_compiled.py ------------------------------------------------------------

_HEADER = '''"""Generated by :func:`pynsc.claims._model.write`: do not edit.

``__init__``, ``__repr__`` and ``__eq__`` of the claim models, as ``dataclasses`` would write
them, for :mod:`pynsc.claims._model` to put in place (see there).
"""

# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_Methods = tuple[Callable[..., Any], ...]
'''


def _maker_source(index: int, cls: type) -> str:
    fields = [f for f in dataclasses.fields(cls)]
    params = []
    positional = [f for f in fields if not f.kw_only]
    keyword = [f for f in fields if f.kw_only]
    lines = [f"def _make{index}(FACTORY: Any, d: dict[str, Any], f: dict[str, Any]) -> _Methods:"]
    for field in fields:
        factory = field.default_factory
        if factory is not _MISSING and factory not in (list, dict):
            lines.append(f"    f_{field.name} = f[\"{field.name}\"]")
    for group in (positional, keyword):
        if group is keyword and keyword:
            params.append("*")
        for field in group:
            if field.default_factory is not _MISSING:
                params.append(f"{field.name}: Any = FACTORY")
            elif field.default is not _MISSING:
                params.append(f"{field.name}: Any = d[\"{field.name}\"]")
            else:
                params.append(f"{field.name}: Any")
    lines.append("")
    lines.append(f"    def __init__(self: Any, {', '.join(params)}) -> None:")
    for field in fields:
        name = field.name
        factory = field.default_factory
        if factory is _MISSING:
            value = name
        else:
            made = "[]" if factory is list else "{}" if factory is dict else f"f_{name}()"
            value = f"{made} if {name} is FACTORY else {name}"
        lines.append(f"        self.{name} = {value}")
    if not fields:
        lines.append("        pass")
    shown = ", ".join(f"{f.name}={{self.{f.name}!r}}" for f in fields)
    mine = _tuple("self", fields)
    theirs = _tuple("other", fields)
    lines += [
        "",
        "    def __repr__(self: Any) -> Any:",
        f'        return self.__class__.__qualname__ + f"({shown})"',
        "",
        "    def __eq__(self: Any, other: Any) -> Any:",
        "        if other.__class__ is self.__class__:",
        f"            return {mine} == {theirs}",
        "        return NotImplemented",
        "",
        "    return __init__, __repr__, __eq__",
    ]
    return "\n".join(lines)


def _tuple(name: str, fields: list[dataclasses.Field[Any]]) -> str:
    items = ", ".join(f"{name}.{f.name}" for f in fields)
    return f"({items},)" if len(fields) == 1 else f"({items})"


def render() -> str:
    """The source of :mod:`pynsc.claims._compiled` for the claim models as defined now."""
    import importlib

    import pynsc.claims

    for module in pynsc.claims._SUBMODULES:  # loaded lazily by pynsc.claims: load every model
        importlib.import_module(f"pynsc.claims.{module}")
    chunks = [_HEADER]
    entries = []

    made = sorted(_MADE, key=lambda item: _name(item[0]))
    for index, (cls, had_doc) in enumerate(made):
        chunks.append(f"\n\n# {_name(cls)}\n{_maker_source(index, cls)}\n")
        doc = None if had_doc else cls.__doc__
        entries.append(
            f"    {_name(cls)!r}: (\n"
            f"        {fingerprint(_fields_of(cls))!r},\n"
            f"        _make{index},\n"
            f"        {doc!r},\n"
            "    ),"
        )
    chunks.append(
        "\n\n#: qualified class name: (fingerprint, maker of the methods, docstring or None)\n"
        "CLASSES: dict[str, tuple[str, Callable[..., _Methods], str | None]] = {\n"
        + "\n".join(entries)
        + "\n}\n"
    )
    return "".join(chunks)


def _fields_of(cls: type) -> dict[str, dataclasses.Field[Any]]:
    found: dict[str, dataclasses.Field[Any]] = cls.__dict__["__dataclass_fields__"]
    return found


def write() -> None:
    """Write :mod:`pynsc.claims._compiled` afresh."""
    from pathlib import Path

    target = Path(__file__).with_name("_compiled.py")
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)  # noqa: T201
