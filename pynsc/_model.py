"""``@dataclass`` for pynsc's models (the claim models, the result types of the other layers),
without generating code at import time.

The standard decorator writes and compiles ``__init__``, ``__repr__`` and ``__eq__`` for every
class each time the module is imported: for the thirty-odd claim models that was most of the
cost of ``import pynsc.claims``. The same methods are written once, ahead of time, into
:mod:`pynsc._compiled` (a generated module, compiled to bytecode like any other), and
this decorator only puts them in place.

What comes out is a dataclass like any other (``dataclasses.fields``, ``replace``, ``asdict``,
``copy``, the same ``repr``, equality, signature and docstring), and mypy sees the standard
decorator. A class whose generated code is missing or out of date (its fields, types or
defaults differ from what the code was generated for), or that asks for what the generated code
does not do (custom ``__init__``, no slots and the like), gets the standard decorator: never
wrong, only slower. Frozen classes get what ``frozen=True`` adds too (``__setattr__`` and
``__delattr__`` raising ``FrozenInstanceError``, ``__hash__``, ``__init__`` through
``object.__setattr__``, the pickling state functions), which is why the frozen result types of
the store and actions layers use this decorator as well: the generated module holds only
functions keyed by qualified class name, so nothing here imports those layers.
``tests/claims/test_model.py`` checks that the generated module is up to date and that both
ways give the same classes. The same module holds the claim schemas of
:mod:`pynsc.claims._codec` (``tests/claims/test_codec_tables.py``). To regenerate it::

    python -c "import pynsc._model as m; m.write()"
"""

from __future__ import annotations

import dataclasses
import operator
import reprlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

__all__ = ["dataclass", "render", "write"]

T = TypeVar("T")

_Maker = Callable[[Any, dict[str, Any], dict[str, Any], type], tuple[Callable[..., Any], ...]]

try:
    from pynsc._compiled import CLASSES as _CLASSES
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
_GETSTATE = getattr(dataclasses, "_dataclass_getstate", None)
_SETSTATE = getattr(dataclasses, "_dataclass_setstate", None)
_OWN_METHODS = frozenset(
    {"__init__", "__repr__", "__eq__", "__hash__", "__slots__",
     "__setattr__", "__delattr__", "__match_args__"}
)  # fmt: skip
_MISSING = dataclasses.MISSING
_kind = operator.attrgetter("_field_type")  # a Field's kind: field, class variable, init var
_params: dict[bool, Any] = {}


def _dataclass(
    cls: type[T] | None = None, /, *, kw_only: bool = False, slots: bool = False,
    frozen: bool = False,
) -> Any:  # fmt: skip
    """``dataclasses.dataclass`` for the arguments the claim models use."""

    def wrap(klass: type[T]) -> type[T]:
        had_doc = klass.__dict__.get("__doc__") is not None
        made = _fast(klass, kw_only, frozen) if slots else None
        if made is None:
            FALLBACKS.append(_name(klass))
            made = dataclasses.dataclass(klass, kw_only=kw_only, slots=slots, frozen=frozen)
        _MADE.append((made, had_doc))
        return made

    return wrap if cls is None else wrap(cls)


if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
else:
    dataclass = _dataclass


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _own_annotations(cls: type) -> dict[str, Any]:
    """The annotations the class body declares (what ``inspect.get_annotations`` gives for a
    class, without its checks: these bodies always declare a dict, with
    ``from __future__ import annotations``)."""
    found = cls.__dict__.get("__annotations__")  # noqa: RUF063 (no checks needed)
    return found if isinstance(found, dict) else {}


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
    for name, annotation in _own_annotations(cls).items():
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


def fingerprint(
    fields: dict[str, dataclasses.Field[Any]], frozen: bool = False, post_init: bool = False
) -> str:
    """What the generated code of a class depends on: names, types, defaults, keyword-only,
    frozen or not, with ``__post_init__`` or not."""
    parts = (["frozen"] if frozen else []) + (["post_init"] if post_init else [])
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


def _fast(cls: type[T], kw_only: bool, frozen: bool) -> type[T] | None:
    entry = _CLASSES.get(_name(cls))
    if entry is None or _OWN_METHODS.intersection(cls.__dict__):
        return None
    if frozen and ("__getstate__" in cls.__dict__ or "__setstate__" in cls.__dict__):
        return None
    for base in cls.__mro__[1:-1]:  # frozen and not frozen do not mix: the standard error
        base_params = base.__dict__.get("__dataclass_params__")
        if base_params is not None and base_params.frozen != frozen:
            return None
    expected, maker, doc = entry
    fields = _collect(cls, kw_only)
    if fields is None or fingerprint(fields, frozen, hasattr(cls, "__post_init__")) != expected:
        return None
    params = _dataclass_params(frozen)
    if params is None or (frozen and (_GETSTATE is None or _SETSTATE is None)):
        return None
    own = _own_annotations(cls)
    real = [f for f in fields.values() if _kind(f) is _FIELD]
    defaults = {f.name: f.default for f in real if f.default is not _MISSING}
    factories = {f.name: f.default_factory for f in real if f.default_factory is not _MISSING}
    methods = maker(_HAS_DEFAULT_FACTORY, defaults, factories, cls)
    init, rep, eq = methods[:3]
    init.__annotations__ = {f.name: f.type for f in real} | {"return": None}
    rep = reprlib.recursive_repr()(rep)
    for fn in (init, rep, *methods[2:]):
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
    if frozen:
        namespace["__setattr__"], namespace["__delattr__"] = methods[4], methods[5]
        namespace["__hash__"] = methods[3]
    else:
        namespace["__hash__"] = None
    namespace["__match_args__"] = tuple(f.name for f in real if not f.kw_only)
    if namespace.get("__doc__") is None:
        if doc is None:
            return None
        namespace["__doc__"] = doc
    metaclass: Any = type(cls)
    made: type[T] = metaclass(cls.__name__, cls.__bases__, namespace)
    made.__qualname__ = cls.__qualname__
    if frozen:  # what the standard decorator adds to a frozen class with slots, for pickling
        setattr(made, "__getstate__", _GETSTATE)  # noqa: B010 (as dataclasses does)
        setattr(made, "__setstate__", _SETSTATE)  # noqa: B010
    return made


def _dataclass_params(frozen: bool) -> Any:
    """The ``__dataclass_params__`` of a dataclass with slots (its constructor varies with the
    Python version: it is given the arguments it names)."""
    if frozen not in _params and _PARAMS_CLASS is not None:
        values = {"init": True, "repr": True, "eq": True, "order": False, "unsafe_hash": False,
                  "frozen": frozen, "match_args": True, "kw_only": False, "slots": True,
                  "weakref_slot": False}  # fmt: skip
        names = getattr(_PARAMS_CLASS, "__slots__", ())
        if names and all(name in values for name in names):
            _params[frozen] = _PARAMS_CLASS(*(values[name] for name in names))
    return _params.get(frozen)


# Generating pynsc/_compiled.py ------------------------------------------------------------

_HEADER = '''"""Generated by :func:`pynsc._model.write`: do not edit.

``__init__``, ``__repr__`` and ``__eq__`` (and for frozen classes ``__hash__``, ``__setattr__``
and ``__delattr__``) of the classes made by :func:`pynsc._model.dataclass`, as
``dataclasses`` would write them, for :mod:`pynsc._model` to put in place (see there);
then the ``to_dict`` of the claim models and their resolved field types, for
:mod:`pynsc.claims._codec` (see there).
"""

# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Callable
from dataclasses import FrozenInstanceError
from typing import Any

_Methods = tuple[Callable[..., Any], ...]
_OBJECT_SETATTR = object.__setattr__
'''


def _maker_source(index: int, cls: type) -> str:
    fields = [f for f in dataclasses.fields(cls)]
    frozen = _frozen(cls)
    params = []
    positional = [f for f in fields if not f.kw_only]
    keyword = [f for f in fields if f.kw_only]
    signature = "FACTORY: Any, d: dict[str, Any], f: dict[str, Any], cls: Any"
    lines = [f"def _make{index}({signature}) -> _Methods:"]
    for field in fields:
        factory = field.default_factory
        if factory is not _MISSING and factory not in (list, dict):
            lines.append(f'    f_{field.name} = f["{field.name}"]')
    for group in (positional, keyword):
        if group is keyword and keyword:
            params.append("*")
        for field in group:
            if field.default_factory is not _MISSING:
                params.append(f"{field.name}: Any = FACTORY")
            elif field.default is not _MISSING:
                params.append(f'{field.name}: Any = d["{field.name}"]')
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
        if frozen:
            lines.append(f"        _OBJECT_SETATTR(self, {name!r}, {value})")
        else:
            lines.append(f"        self.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        lines.append("        self.__post_init__()")
    elif not fields:
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
    ]
    if not frozen:
        lines.append("    return __init__, __repr__, __eq__")
        return "\n".join(lines)
    names = "(" + "".join(f"{f.name!r}," for f in fields) + ")"
    lines += [
        "    def __hash__(self: Any) -> Any:",
        f"        return hash({_tuple('self', fields)})",
        "",
        "    def __setattr__(self: Any, name: Any, value: Any) -> Any:",
        f"        if type(self) is cls or name in {names}:",
        '            raise FrozenInstanceError(f"cannot assign to field {name!r}")',
        "        super(cls, self).__setattr__(name, value)",
        "",
        "    def __delattr__(self: Any, name: Any) -> Any:",
        f"        if type(self) is cls or name in {names}:",
        '            raise FrozenInstanceError(f"cannot delete field {name!r}")',
        "        super(cls, self).__delattr__(name)",
        "",
        "    return __init__, __repr__, __eq__, __hash__, __setattr__, __delattr__",
    ]
    return "\n".join(lines)


def _tuple(name: str, fields: list[dataclasses.Field[Any]]) -> str:
    items = ", ".join(f"{name}.{f.name}" for f in fields)
    return f"({items},)" if len(fields) == 1 else f"({items})"


_USES = "from pynsc._model import dataclass"


def load_all() -> list[str]:
    """Import every module of pynsc that uses this decorator (the claim models, loaded lazily
    by :mod:`pynsc.claims`, and the frozen result types of the other layers); their names."""
    import importlib
    from pathlib import Path

    root = Path(__file__).parent
    names = []
    for path in sorted(root.rglob("*.py")):
        if _USES in path.read_text(encoding="utf-8"):
            parts = path.relative_to(root.parent).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    for name in names:
        importlib.import_module(name)
    return names


def render() -> str:
    """The source of :mod:`pynsc._compiled` for the classes as defined now."""
    load_all()
    chunks = [_HEADER]
    entries = []

    made = sorted(_MADE, key=lambda item: _name(item[0]))
    for index, (cls, had_doc) in enumerate(made):
        chunks.append(f"\n\n# {_name(cls)}\n{_maker_source(index, cls)}\n")
        doc = None if had_doc else cls.__doc__
        entries.append(
            f"    {_name(cls)!r}: (\n"
            f"        {fingerprint(_fields_of(cls), _frozen(cls), _post_init(cls))!r},\n"
            f"        _make{index},\n"
            f"        {doc!r},\n"
            "    ),"
        )
    codecs = []
    from pynsc.claims import _codec

    for index, (cls, _) in enumerate(made):
        found = _codec.render_codec(index, cls)
        if found is not None:
            chunks.append(f"\n\n# to_dict of {_name(cls)}\n{found[0]}\n")
            codecs.append(found[1])
    chunks.append(
        "\n\n#: qualified class name: (fingerprint, field types, to_dict modes, maker of to_dict)\n"
        "CODECS: dict[str, tuple[str, tuple[Any, ...], tuple[int, ...], Callable[..., Any]]] = {\n"
        + "\n".join(codecs)
        + "\n}\n"
    )
    chunks.append(
        "\n\n#: qualified class name: (fingerprint, maker of the methods, docstring or None)\n"
        "CLASSES: dict[str, tuple[str, Callable[..., _Methods], str | None]] = {\n"
        + "\n".join(entries)
        + "\n}\n"
    )
    return "".join(chunks)


def _post_init(cls: type) -> bool:
    return hasattr(cls, "__post_init__")


def _frozen(cls: type) -> bool:
    return bool(cls.__dict__["__dataclass_params__"].frozen)


def _fields_of(cls: type) -> dict[str, dataclasses.Field[Any]]:
    found: dict[str, dataclasses.Field[Any]] = cls.__dict__["__dataclass_fields__"]
    return found


def write() -> None:
    """Write :mod:`pynsc._compiled` afresh."""
    import subprocess
    from pathlib import Path

    # rendered where the module being replaced is not loaded: it may no longer fit the classes
    script = (
        "import sys\n"
        "sys.modules['pynsc._compiled'] = None\n"
        "import pynsc._model as m\n"
        "sys.stdout.write(m.render())\n"
    )
    text = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    target = Path(__file__).with_name("_compiled.py")
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)  # noqa: T201
