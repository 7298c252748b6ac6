"""The one place where claims become bytes and bytes become claims.

* Go ``encoding/json`` output: compact, fields in declaration order, ``omitempty`` per field
  (structs are never omitted), map keys sorted, ``<``, ``>``, ``&``, U+2028 and U+2029 escaped.
* The JWT framing: the ``{"typ":"JWT","alg":"ed25519-nkey"}`` header, base64url without padding,
  Ed25519 over ``header.payload`` (v1: over the payload alone).
* ``jti``: base32 (no padding) of SHA-512/256 of the registered claims alone.

Claim models are slotted dataclasses whose attribute names are the JSON keys (or carry a ``json``
name in their field metadata). Their schema is read once per class from the type hints; for the
claim models it was read ahead of time, with the source of their ``to_dict``, into
:mod:`pynsc._compiled` (see :func:`schema`).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import sys
import types
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, Union

from pynsc import _json
from pynsc._base32 import b32encode
from pynsc.errors import ClaimsError, DecodeError

if TYPE_CHECKING:
    import hashlib

try:
    from pynsc._compiled import CODECS as _CODECS
except ImportError:  # being regenerated, or left out on purpose (the equivalence test)
    _CODECS = {}

T = TypeVar("T")

HEADER_JSON = b'{"typ":"JWT","alg":"ed25519-nkey"}'
HEADER_B64 = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ"
ALG_V2 = "ed25519-nkey"
ALG_V1 = "ed25519"
MAX_TOKEN_SIZE = 1024 * 1024

# Field helpers -----------------------------------------------------------------------------------


def opt(
    default: Any = dataclasses.MISSING, *, factory: Any = dataclasses.MISSING, **meta: Any
) -> Any:
    """A field written only when not empty (Go ``omitempty``)."""
    return _field(default, factory, omitempty=True, **meta)


def req(
    default: Any = dataclasses.MISSING, *, factory: Any = dataclasses.MISSING, **meta: Any
) -> Any:
    """A field always written (no ``omitempty``)."""
    return _field(default, factory, omitempty=False, **meta)


def _field(default: Any, factory: Any, **meta: Any) -> Any:
    if default is dataclasses.MISSING and factory is dataclasses.MISSING:
        raise TypeError("a claims field needs a default or a factory")
    if factory is not dataclasses.MISSING:
        return dataclasses.field(default_factory=factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


class FieldCodec:
    """A custom JSON form for one field (``codec=`` in the field metadata)."""

    def encode(self, value: Any) -> Any:
        raise NotImplementedError

    def decode(self, raw: Any, path: str) -> Any:
        raise NotImplementedError

    def zero(self) -> Any:
        raise NotImplementedError

    def is_empty(self, value: Any) -> bool:
        return not value


# Schema ------------------------------------------------------------------------------------------

_Enc = Callable[[Any], Any]
_Dec = Callable[[Any, str], Any]


class _Conv:
    """How one type goes to JSON and back."""

    __slots__ = ("dec", "defaults", "empty", "enc", "struct", "zero")

    def __init__(
        self,
        enc: _Enc,
        dec: _Dec,
        zero: Callable[[], Any],
        empty: Callable[[Any], bool],
        *,
        struct: bool = False,
        defaults: Callable[[Any, str], Any] | None = None,
    ) -> None:
        self.enc = enc
        self.dec = dec
        self.zero = zero
        self.empty = empty
        self.struct = struct
        # decode laid over the constructor defaults instead of the zero value
        self.defaults = defaults or dec


# How to_dict writes a field: plain scalars are inlined, the rest go through their converter.
_SCALAR_OMITEMPTY, _SCALAR, _STRUCT, _CONV_OMITEMPTY, _CONV = range(5)


class _Schema:
    __slots__ = ("cls", "encode", "fields", "plan", "precompiled")

    def __init__(
        self,
        cls: type,
        fields: list[tuple[str, str, bool, _Conv]],
        encode: Callable[[Any], dict[str, Any]] | None = None,
    ) -> None:
        self.cls = cls
        self.fields = fields  # (attribute, json key, omitempty, converter)
        self.plan = [(attr, key, _mode(omit, conv), conv) for attr, key, omit, conv in fields]
        self.precompiled = encode is not None
        self.encode = encode or _compile(cls, self.plan)


def _compile(cls: type, plan: list[tuple[str, str, int, _Conv]]) -> Callable[[Any], dict[str, Any]]:
    """``to_dict`` for one class as straight-line code (one statement per field, in order),
    made once per class on its first use: the same result as walking the plan, faster."""
    lines, names = _encode_source(plan)
    exec(compile("\n".join(lines), f"<to_dict of {cls.__name__}>", "exec"), names)
    encode: Callable[[Any], dict[str, Any]] = names["encode"]
    return encode


def _encode_source(plan: list[tuple[str, str, int, _Conv]]) -> tuple[list[str], dict[str, Any]]:
    """The lines of ``to_dict`` for ``plan`` and the names they use."""
    lines = ["def encode(obj):", "    out = {}"]
    names: dict[str, Any] = {"to_dict": to_dict, "SCHEMAS": _SCHEMAS}
    for index, (attr, key, mode, conv) in enumerate(plan):
        get = f"obj.{attr}"
        if mode == _SCALAR_OMITEMPTY:
            lines += [f"    value = {get}", "    if value:", f"        out[{key!r}] = value"]
        elif mode == _SCALAR:
            lines.append(f"    out[{key!r}] = {get}")
        elif mode == _STRUCT:  # to_dict inlined: one call less per nested object
            lines += [
                f"    value = {get}",
                "    found = SCHEMAS.get(type(value))",
                f"    out[{key!r}] = found.encode(value) if found else to_dict(value)",
            ]
        else:
            names[f"enc{index}"] = conv.enc
            if mode == _CONV_OMITEMPTY:
                names[f"empty{index}"] = conv.empty
                lines += [f"    value = {get}", f"    if not empty{index}(value):",
                          f"        out[{key!r}] = enc{index}(value)"]  # fmt: skip
            else:
                lines.append(f"    out[{key!r}] = enc{index}({get})")
    lines.append("    return out")
    return lines, names


def _mode(omitempty: bool, conv: _Conv) -> int:
    if conv.struct:
        return _STRUCT
    if conv.enc is _identity and conv.empty is _falsy:
        return _SCALAR_OMITEMPTY if omitempty else _SCALAR
    return _CONV_OMITEMPTY if omitempty else _CONV


_SCHEMAS: dict[type, _Schema] = {}


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", str(tp))


def _fail(path: str, expected: str, raw: Any) -> DecodeError:
    got = type(raw).__name__ if raw is not None else "null"
    return DecodeError(f"invalid JWT: {path or 'value'} should be {expected}, not {got}")


def _scalar(tp: type) -> _Conv:
    if tp is bool:

        def dec_bool(raw: Any, path: str) -> Any:
            if not isinstance(raw, bool):
                raise _fail(path, "a boolean", raw)
            return raw

        return _Conv(_identity, dec_bool, lambda: False, _falsy)
    if tp is int:

        def dec_int(raw: Any, path: str) -> Any:
            if isinstance(raw, bool) or not isinstance(raw, int):
                if isinstance(raw, float) and raw.is_integer():
                    return int(raw)
                raise _fail(path, "an integer", raw)
            return raw

        return _Conv(_identity, dec_int, lambda: 0, _falsy)
    if tp is str:

        def dec_str(raw: Any, path: str) -> Any:
            if not isinstance(raw, str):
                raise _fail(path, "a string", raw)
            return raw

        return _Conv(_identity, dec_str, str, _falsy)
    raise TypeError(f"unsupported claims type {tp!r}")


def _identity(value: Any) -> Any:
    return value


def _falsy(value: Any) -> bool:
    return not value


def _never_empty(value: Any) -> bool:
    return False


def _is_none(value: Any) -> bool:
    return value is None


def _plain_json(value: Any) -> Any:
    """Free-form JSON (generic claims): maps get sorted keys, as Go marshals ``map[string]any``."""
    if isinstance(value, dict):
        return {str(k): _plain_json(value[k]) for k in sorted(value)}
    if isinstance(value, (list, tuple)):
        return [_plain_json(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    return value


def _conv(tp: Any) -> _Conv:
    if tp is Any:
        return _Conv(_plain_json, lambda raw, path: raw, lambda: None, _is_none)
    if tp in (bool, int, str):
        return _scalar(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"unsupported union {tp!r}")
        item = _conv(inner[0])

        def enc_opt(value: Any) -> Any:
            return None if value is None else item.enc(value)

        def dec_opt(raw: Any, path: str) -> Any:
            return None if raw is None else item.dec(raw, path)

        def dflt_opt(raw: Any, path: str) -> Any:
            return None if raw is None else item.defaults(raw, path)

        return _Conv(enc_opt, dec_opt, lambda: None, _is_none, defaults=dflt_opt)
    if origin is list:
        elem = _conv(args[0])

        def enc_list(value: Any) -> Any:
            return [elem.enc(v) for v in value]

        def dec_list(raw: Any, path: str) -> Any:
            if raw is None:
                return []
            if not isinstance(raw, list):
                raise _fail(path, "an array", raw)
            return [elem.dec(v, f"{path}[{i}]") for i, v in enumerate(raw)]

        return _Conv(enc_list, dec_list, list, _falsy)
    if origin is dict:
        val = _conv(args[1])

        def enc_map(value: Any) -> Any:
            return {k: val.enc(value[k]) for k in sorted(value)}

        def dec_map(raw: Any, path: str) -> Any:
            if raw is None:
                return {}
            if not isinstance(raw, dict):
                raise _fail(path, "an object", raw)
            return {k: val.dec(v, f"{path}.{k}") for k, v in raw.items()}

        return _Conv(enc_map, dec_map, dict, _falsy)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        cls = tp

        def enc_struct(value: Any) -> Any:
            return to_dict(value)

        def dec_struct(raw: Any, path: str) -> Any:
            return from_dict(cls, raw, path=path)

        def dflt_struct(raw: Any, path: str) -> Any:
            return from_dict(cls, raw, path=path, defaults=True)

        return _Conv(
            enc_struct,
            dec_struct,
            lambda: from_dict(cls, {}),
            _never_empty,
            struct=True,
            defaults=dflt_struct,
        )
    raise TypeError(f"unsupported claims type {tp!r}")


def _custom(codec: FieldCodec) -> _Conv:
    return _Conv(codec.encode, codec.decode, codec.zero, codec.is_empty)


def schema(cls: type) -> _Schema:
    """How ``cls`` goes to JSON and back: read from the tables generated ahead of time when they
    fit the class as it is now (:func:`_precompiled`), else from its type hints."""
    found = _SCHEMAS.get(cls)
    if found is not None:
        return found
    found = _precompiled(cls) or _build(cls)
    _SCHEMAS[cls] = found
    return found


def _build(cls: type) -> _Schema:
    """The schema of ``cls`` from its type hints, with its ``to_dict`` compiled now."""
    hints = typing.get_type_hints(cls)
    entries = []
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        custom = f.metadata.get("codec")
        conv = _custom(custom) if custom is not None else _conv(hints[f.name])
        key = f.metadata.get("json", f.name)
        entries.append((f.name, key, bool(f.metadata.get("omitempty", True)), conv))
    return _Schema(cls, entries)


# The schemas generated ahead of time ---------------------------------------------------------
#
# For each claim model, :mod:`pynsc._compiled` holds (fingerprint, field types, to_dict
# modes, maker of to_dict). A field type is written as a small tree: "bool", "int", "str",
# "Any", ("opt", T), ("list", T), ("dict", K, V), ("struct", name) (a dataclass, looked up by
# ``name`` in the module of the class that declares the field, as typing.get_type_hints does)
# or "codec" (a FieldCodec in the field metadata). The fingerprint holds each field's name,
# annotation, JSON key, omitempty, codec or not, and declaring module: a class edited since
# is read from its type hints as before.

_SPEC_SCALARS: dict[str, Any] = {"bool": bool, "int": int, "str": str, "Any": Any}


def _owners(cls: type) -> dict[str, str]:
    """The module of the class declaring each annotated name of ``cls``."""
    owners: dict[str, str] = {}
    for base in reversed(cls.__mro__):
        for name in base.__dict__.get("__annotations__", ()):  # noqa: RUF063 (its own only)
            owners[name] = base.__module__
    return owners


def _fingerprint(fields: list[dataclasses.Field[Any]], owners: dict[str, str]) -> str:
    return ";".join(
        f"{f.name}:{f.type}:{f.metadata.get('json', f.name)}:"
        f"{bool(f.metadata.get('omitempty', True))}:{'codec' in f.metadata}@{owners.get(f.name)}"
        for f in fields
    )


def _spec_type(spec: Any, owner: str) -> Any:
    """The type ``spec`` stands for, or ``None`` when it no longer resolves to a dataclass."""
    if isinstance(spec, str):
        return _SPEC_SCALARS.get(spec)
    kind = spec[0]
    if kind == "struct":
        module = sys.modules.get(owner)
        found = getattr(module, spec[1], None)
        return found if isinstance(found, type) and dataclasses.is_dataclass(found) else None
    inner = [_spec_type(part, owner) for part in spec[1:]]
    if any(part is None for part in inner):
        return None
    if kind == "opt":
        return inner[0] | None
    if kind == "list":
        return list.__class_getitem__(inner[0])
    return dict.__class_getitem__((inner[0], inner[1]))


def _precompiled(cls: type) -> _Schema | None:
    entry = _CODECS.get(f"{cls.__module__}.{cls.__qualname__}")
    if entry is None:
        return None
    expected, specs, modes, maker = entry
    fields = [f for f in dataclasses.fields(cls) if f.init]
    owners = _owners(cls)
    if _fingerprint(fields, owners) != expected:
        return None
    entries = []
    for f, spec in zip(fields, specs, strict=True):
        custom = f.metadata.get("codec")
        if custom is not None:
            conv = _custom(custom)
        else:
            tp = _spec_type(spec, owners[f.name])
            if tp is None:
                return None
            conv = _conv(tp)
        key = f.metadata.get("json", f.name)
        entries.append((f.name, key, bool(f.metadata.get("omitempty", True)), conv))
    if tuple(_mode(omit, conv) for _, _, omit, conv in entries) != modes:
        return None
    convs = [conv for *_, conv in entries]
    return _Schema(cls, entries, maker(to_dict, _SCHEMAS, convs))


def _spec_of(tp: Any, owner: str) -> Any:
    """The spec of a resolved type (the inverse of :func:`_spec_type`)."""
    for name, value in _SPEC_SCALARS.items():
        if tp is value:
            return name
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (Union, types.UnionType) and len(args) == 2 and args[1] is type(None):
        return ("opt", _spec_of(args[0], owner))
    if origin is list:
        return ("list", _spec_of(args[0], owner))
    if origin is dict:
        return ("dict", _spec_of(args[0], owner), _spec_of(args[1], owner))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        name = tp.__name__
        if getattr(sys.modules.get(owner), name, None) is not tp:
            raise TypeError(f"{tp!r} is not found by its name in {owner}")
        return ("struct", name)
    raise TypeError(f"unsupported claims type {tp!r}")


def render_codec(index: int, cls: type) -> tuple[str, str] | None:
    """The maker of ``to_dict`` of ``cls`` and its entry in ``CODECS``, as source (for
    :func:`pynsc._model.render`); ``None`` for a class the tables cannot describe."""
    fields = [f for f in dataclasses.fields(cls) if f.init]
    if not fields or any("omitempty" not in f.metadata for f in fields):
        return None  # not a claims model (its fields are not opt() or req())
    try:
        built = _build(cls)
        hints = typing.get_type_hints(cls)
        owners = _owners(cls)
        specs = tuple(
            "codec" if "codec" in f.metadata else _spec_of(hints[f.name], owners[f.name])
            for f in fields
        )
    except TypeError:
        return None
    lines, _ = _encode_source(built.plan)
    body = ["    def encode(obj: Any) -> dict[str, Any]:", "        out: dict[str, Any] = {}"]
    body += [f"    {line}" for line in lines[2:]]
    signature = "to_dict: Any, SCHEMAS: Any, c: list[Any]"
    head = [f"def _codec{index}({signature}) -> Callable[[Any], dict[str, Any]]:"]
    for i, (_, _, mode, _) in enumerate(built.plan):
        if mode in (_CONV, _CONV_OMITEMPTY):
            head.append(f"    enc{i} = c[{i}].enc")
        if mode == _CONV_OMITEMPTY:
            head.append(f"    empty{i} = c[{i}].empty")
    source = "\n".join([*head, "", *body, "", "    return encode"])
    modes = tuple(mode for _, _, mode, _ in built.plan)
    entry = (
        f"    {cls.__module__ + '.' + cls.__qualname__!r}: (\n"
        f"        {_fingerprint(fields, owners)!r},\n"
        f"        {specs!r},\n"
        f"        {modes!r},\n"
        f"        _codec{index},\n"
        "    ),"
    )
    return source, entry


def to_dict(obj: Any) -> dict[str, Any]:
    """The JSON object Go would marshal for ``obj``, as an ordered dict."""
    found = _SCHEMAS.get(type(obj)) or schema(type(obj))
    return found.encode(obj)


def from_dict(cls: type[T], raw: Any, *, path: str = "", defaults: bool = False) -> T:
    """``cls`` from a decoded JSON object; missing fields get Go's zero value.

    With ``defaults=True`` missing fields keep the dataclass defaults instead (Go's unmarshal over a
    constructed value, used for scoped signing keys).
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise _fail(path, "an object", raw)
    kwargs: dict[str, Any] = {}
    for attr, key, _omitempty, conv in schema(cls).fields:
        sub = f"{path}.{key}" if path else key
        if key in raw:
            kwargs[attr] = (conv.defaults if defaults else conv.dec)(raw[key], sub)
        elif not defaults:
            kwargs[attr] = conv.zero()
    return cls(**kwargs)


# Go JSON -----------------------------------------------------------------------------------------

_GO_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)
# What _COMPACT.encode runs, made once instead of on every call (json's C encoder, when the
# Python build has it; its circular-reference markers are emptied after a failed encode).
_MARKERS: dict[int, Any] = {}
_C_ENCODER: Callable[[Any, int], Any] | None = None
_MAKE_ENCODER = getattr(json.encoder, "c_make_encoder", None)
_C_STRING = getattr(json.encoder, "c_encode_basestring", None)
if _MAKE_ENCODER is not None and _C_STRING is not None:
    _C_ENCODER = _MAKE_ENCODER(
        _MARKERS, _COMPACT.default, _C_STRING, None, ":", ",", False, False, False
    )


def go_json(value: Any) -> bytes:
    """Compact JSON with Go's HTML-safe escaping, UTF-8 encoded."""
    return _utf8(_go_text(value))


def _go_text(value: Any) -> str:
    if _C_ENCODER is None:
        text = _COMPACT.encode(value)
    else:
        try:
            text = "".join(_C_ENCODER(value, 0))
        except BaseException:
            _MARKERS.clear()
            raise
    if "<" in text or ">" in text or "&" in text or "\u2028" in text or "\u2029" in text:
        text = text.translate(_GO_ESCAPES)
    return text


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # lone surrogates: Go writes invalid UTF-8 as U+FFFD
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace").encode("utf-8")


def pretty_json(value: Any, indent: int = 1) -> str:
    """Indented JSON without HTML escaping (nsc's ``describe --json``)."""
    return json.dumps(value, indent=indent, ensure_ascii=False)


def load_json(data: bytes | str, what: str = "JWT payload") -> Any:
    """JSON from a token; :class:`DecodeError` for anything malformed, nesting too deep
    included (never a ``RecursionError``)."""
    try:
        return _json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise DecodeError(f"invalid {what}: {e}") from e


# Framing -----------------------------------------------------------------------------------------


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def b64encode(raw: bytes) -> str:
    """base64url without padding (``base64.urlsafe_b64encode``, one call less)."""
    return binascii.b2a_base64(raw, newline=False).translate(_URLSAFE).rstrip(b"=").decode("ascii")


_B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def b64decode(text: str, what: str) -> bytes:
    text = text.replace("\r", "").replace("\n", "")
    if text.strip(_B64URL) or len(text) % 4 == 1:  # a character outside the alphabet
        raise DecodeError(f"invalid JWT: {what} is not base64url without padding")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as e:
        raise DecodeError(f"invalid JWT: {what} is not base64url: {e}") from e


def jti(registered: dict[str, Any]) -> str:
    """The ``jti`` of the registered claims ``registered`` (with ``jti`` already left out)."""
    return _hash_id(go_json(registered))


_SHA512_256: hashlib._Hash | None = None  # made on first use: hashlib loads OpenSSL


def _hash_id(data: bytes) -> str:
    global _SHA512_256
    if _SHA512_256 is None:
        import hashlib

        _SHA512_256 = hashlib.new("sha512_256")
    hasher = _SHA512_256.copy()
    hasher.update(data)
    return b32encode(hasher.digest())


JTI_PLACEHOLDER = "J" * 52
_JTI_ENTRY = f'"jti":"{JTI_PLACEHOLDER}",'


def payload_with_jti(body: dict[str, Any]) -> tuple[bytes, str]:
    """The payload bytes and ``jti`` of ``body``, whose ``jti`` is :data:`JTI_PLACEHOLDER`.

    The registered claims come first in the payload, so their JSON (what ``jti`` hashes) is the
    payload up to ``,"nats":`` without the ``jti`` entry: one marshal serves both. Neither
    ``"jti":"`` nor ``,"nats":`` can occur inside a JSON string, where quotes are escaped.
    """
    text = _go_text(body)
    start = text.index(_JTI_ENTRY)
    rest = start + len(_JTI_ENTRY)
    nats = text.find(',"nats":', rest)
    end = nats if nats >= 0 else len(text) - 1
    registered = f"{text[:start]}{text[rest:end]}}}"
    ident = _hash_id(_utf8(registered))
    return _utf8(f'{text[:start]}"jti":"{ident}",{text[rest:]}'), ident


def go_text(value: Any) -> str:
    """Compact JSON with Go's HTML-safe escaping, as text (:func:`go_json` before UTF-8)."""
    return _go_text(value)


def fresh_token(
    *, exp: int, iat: int, iss: str, name: str, nbf: int, sub: str, rest: str,
    sign: Callable[[bytes], bytes],
) -> tuple[str, str]:  # fmt: skip
    """The token and ``jti`` of claims with no ``aud``: what :func:`payload_with_jti` and
    :func:`assemble` make of their whole object, written straight as text.

    ``iss`` and ``sub`` are nkeys (ASCII letters and digits, so nothing in them needs
    escaping; anything else is refused); ``exp``, ``iat`` and ``nbf`` are ``int``; ``rest`` is
    the Go JSON of the members after ``sub`` (``"nats":{…}``, or empty). Empty values are left
    out, as ``omitempty`` does.
    """
    keys = iss + sub
    if not (keys.isascii() and (keys.isalnum() or not keys)):
        raise ClaimsError("iss and sub must be nkeys")
    if iat and iss and name and sub and not exp and not nbf:  # what most users carry
        after = f'"iat":{iat},"iss":"{iss}","name":{_go_text(name)},"sub":"{sub}"'
        ident = _hash_id(_utf8(f"{{{after}}}"))
        payload = f'{{"jti":"{ident}",{after},{rest}}}' if rest else f'{{"jti":"{ident}",{after}}}'
    else:
        before = f'"exp":{exp},' if exp else ""  # the members Go writes before jti
        after = (
            (f'"iat":{iat},' if iat else "")
            + (f'"iss":"{iss}",' if iss else "")
            + (f'"name":{_go_text(name)},' if name else "")
            + (f'"nbf":{nbf},' if nbf else "")
            + (f'"sub":"{sub}",' if sub else "")
        )
        registered = f"{{{before}{after}"[:-1] + "}" if before or after else "{}"
        ident = _hash_id(_utf8(registered))
        payload = f'{{{before}"jti":"{ident}",{after}{rest}'.rstrip(",") + "}"
    signing_input = f"{HEADER_B64}.{b64encode(_utf8(payload))}"  # assemble, one call less
    signature = sign(signing_input.encode("ascii"))
    if len(signature) != 64:
        raise ClaimsError("signer returned a signature that is not 64 bytes")
    return f"{signing_input}.{b64encode(signature)}", ident


class Parts:
    """A token split into its three chunks, with header and payload decoded."""

    __slots__ = ("header", "payload", "payload_b64", "signature", "signed")

    def __init__(
        self,
        header: dict[str, Any],
        payload: dict[str, Any],
        payload_b64: str,
        signed: bytes,
        signature: bytes,
    ) -> None:
        self.header = header
        self.payload = payload
        self.payload_b64 = payload_b64
        self.signed = signed
        self.signature = signature

    @property
    def alg(self) -> str:
        return str(self.header.get("alg", "")).lower()


_FROM_BASE64URL = bytes.maketrans(b"-_+/=", b"+/!!!")
"""base64url to standard base64; ``+``, ``/`` and ``=`` to a byte strict decoding refuses."""

_JSON_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
"""What ``json.loads`` runs on a text that is one JSON value, nothing around it."""


def quick_parts(token: str) -> tuple[dict[str, Any], bytes] | None:
    """The payload object and the signature of a v2 JWT with the standard header, exactly as
    :func:`split` and :func:`b64decode` would give them; ``None`` for anything they might treat
    otherwise (another header, padding, line breaks, non-ASCII, a payload that is not one JSON
    object, nesting near the limit, a v1 payload), which the caller then decodes in full. For
    readers of thousands of store files: no header decode, no exceptions on the common path."""
    chunks = token.split(".")
    if len(chunks) != 3 or chunks[0] != HEADER_B64 or len(token) > MAX_TOKEN_SIZE:
        return None
    body, signature = chunks[1], chunks[2]
    # strict decoding refuses what b64decode would not decode the same way: padding, "+" or "/"
    # (made invalid by the translation), line breaks, non-ASCII
    try:
        text = binascii.a2b_base64(
            body.encode("ascii").translate(_FROM_BASE64URL) + b"=" * (-len(body) % 4),
            strict_mode=True,
        ).decode("utf-8")
        raw_signature = binascii.a2b_base64(
            signature.encode("ascii").translate(_FROM_BASE64URL) + b"=" * (-len(signature) % 4),
            strict_mode=True,
        )
        if text[:1] != "{" or text.count("{") + text.count("[") > _json.MAX_DEPTH:
            return None  # what json.loads might take apart differently, or too deep
        payload, end = _JSON_SCAN(text, 0)
    except (ValueError, UnicodeError, StopIteration, RecursionError):
        return None
    if end != len(text) or "type" in payload:
        return None  # not one JSON object alone, or a v1 JWT
    return payload, raw_signature


def split(token: str) -> Parts:
    """Check the framing and header of ``token``; decode header and payload (not verified)."""
    if len(token) > MAX_TOKEN_SIZE:
        raise DecodeError(f"invalid JWT: token is larger than {MAX_TOKEN_SIZE} bytes")
    chunks = token.split(".")
    if len(chunks) != 3:
        raise DecodeError("invalid JWT: expected 3 chunks separated by '.'")
    header = load_json(b64decode(chunks[0], "header"), "JWT header")
    if not isinstance(header, dict):
        raise DecodeError("invalid JWT: header is not an object")
    typ = header.get("typ")
    if not isinstance(typ, str) or typ.upper() != "JWT":
        raise DecodeError(f"not supported type {json.dumps(typ if typ is not None else '')}")
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() not in (ALG_V1, ALG_V2):
        raise DecodeError(f"unexpected {json.dumps(alg if alg is not None else '')} algorithm")
    payload = load_json(b64decode(chunks[1], "payload"))
    if not isinstance(payload, dict):
        raise DecodeError("invalid JWT: payload is not an object")
    signature = b64decode(chunks[2], "signature")
    signed = f"{chunks[0]}.{chunks[1]}".encode("ascii")
    return Parts(header, payload, chunks[1], signed, signature)


def assemble(payload: bytes, sign: Callable[[bytes], bytes]) -> str:
    """``header.payload.signature`` for ``payload``, signed by ``sign``."""
    signing_input = f"{HEADER_B64}.{b64encode(payload)}"
    signature = sign(signing_input.encode("ascii"))
    if len(signature) != 64:
        raise ClaimsError("signer returned a signature that is not 64 bytes")
    return f"{signing_input}.{b64encode(signature)}"
