"""Value checks as nats-io/jwt v2 and the Go standard library make them.

Subjects (``Subject.Validate``, ``HasWildCards``, ``IsContainedIn``, ``RenamingSubject``), Go
string quoting (``%q``), and the few Go parsers validation leans on: ``strconv.Atoi``,
``time.Parse("15:04:05")``, ``net.ParseCIDR``, ``time.LoadLocation`` and ``net/url.Parse``.
Subjects also get the rules of nats-server that Go's library leaves out (:func:`subject_error`,
:func:`mapping_destination_errors`): a subject the server can never use is refused here too.
Everything here is pure and linear in its input; the functions that report issues take a
:class:`ValidationResults`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from pynsc._model import dataclass

if TYPE_CHECKING:
    from pynsc.claims.validation import ValidationResults

__all__ = [
    "GoURL",
    "GoURLError",
    "count_token_wildcards",
    "go_atoi",
    "go_quote",
    "has_wildcards",
    "is_contained_in",
    "is_valid_cidr",
    "is_valid_time_zone",
    "mapping_destination_errors",
    "parse_go_time",
    "parse_go_url",
    "renaming_to_subject",
    "subject_error",
    "time_zone_error",
    "validate_renaming_subject",
    "validate_subject",
]


# Go quoting --------------------------------------------------------------------------------------

_SHORT_ESCAPES = {
    0x07: "\\a",
    0x08: "\\b",
    0x0C: "\\f",
    0x0A: "\\n",
    0x0D: "\\r",
    0x09: "\\t",
    0x0B: "\\v",
}
_SURROGATE = "[\ud800-\udfff]"


def _go_text(text: str) -> str:
    """``text`` as a Go string holds it: lone surrogates (not valid UTF-8) become U+FFFD."""
    return re.sub(_SURROGATE, "\ufffd", text)


def _is_go_print(char: str) -> bool:
    """Go's ``unicode.IsPrint``: letters, marks, numbers, punctuation, symbols and ASCII space."""
    import unicodedata

    return char == " " or unicodedata.category(char)[0] in "LMNPS"


def _quote_char(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not valid UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if char in ('"', "\\"):
        return "\\" + char
    if _is_go_print(char):
        return char
    if code in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[code]
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def go_quote(value: str | bytes) -> str:
    """``value`` as Go's ``strconv.Quote`` (and so ``%q``) writes it.

    Double quotes; ``"`` and ``\\`` escaped; printable runes, non-ASCII included, written raw (so
    ``<``, ``>`` and ``&`` stay as they are); ``\\n``-style short escapes; other control and
    non-printable runes as ``\\xNN``, ``\\uNNNN`` or ``\\UNNNNNNNN``; bytes that are not valid
    UTF-8 (only possible when ``value`` is ``bytes``) as ``\\xNN``.
    """
    text = value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else _go_text(value)
    if text.isascii():  # the common case, fast: only controls, quotes and backslashes change
        return '"' + re.sub(_ASCII_ESCAPED, _quote_match, text) + '"'
    return '"' + "".join(_quote_char(c) for c in text) + '"'


_ASCII_ESCAPED = r'[\x00-\x1f\x7f"\\]'


def _quote_match(match: re.Match[str]) -> str:
    return _quote_char(match.group())


# Go integers and times ---------------------------------------------------------------------------

_ATOI = r"[+-]?[0-9]+"
_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1


def go_atoi(text: str) -> int | None:
    """Go's ``strconv.Atoi`` on a 64-bit platform: the value, or ``None`` where Go errs."""
    if not re.fullmatch(_ATOI, text):
        return None
    digits = text.lstrip("+-").lstrip("0") or "0"
    if len(digits) > 19:
        return None  # it overflows; never converted (slow for thousands of digits)
    value = -int(digits) if text[0] == "-" else int(digits)
    return value if _INT64_MIN <= value <= _INT64_MAX else None


_CLOCK = r"([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:[.,][0-9]+)?"


def parse_go_time(hhmmss: str) -> bool:
    """Whether Go's ``time.Parse("15:04:05", hhmmss)`` accepts ``hhmmss``.

    The hour has one or two digits (0-23); minutes and seconds exactly two (00-59); a fraction
    of a second (``.5`` or ``,5``) may follow. Nothing else may.
    """
    match = re.fullmatch(_CLOCK, hhmmss)
    if match is None:
        return False
    hour, minute, second = (int(part) for part in match.groups())
    return hour < 24 and minute < 60 and second < 60


# CIDRs and time zones ----------------------------------------------------------------------------

_DIGITS = "[0-9]+"


def is_valid_cidr(text: str) -> bool:
    """Whether Go's ``net.ParseCIDR`` accepts ``text``.

    IPv4 or IPv6 address, ``/``, a decimal prefix length that fits the address; host bits may be
    set; no zone (``%eth0``), no netmask form, no surrounding spaces; IPv4 parts must not have
    leading zeros.
    """
    address, slash, prefix = text.partition("/")
    if not slash or not re.fullmatch(_DIGITS, prefix) or "%" in address:
        return False
    import ipaddress

    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    length = prefix.lstrip("0") or "0"  # Go's dtoi takes leading zeros
    return len(length) <= 3 and int(length) <= ip.max_prefixlen


def time_zone_error(name: str) -> str | None:
    """The error Go's ``time.LoadLocation(name)`` returns, or ``None`` when it loads.

    ``""``, ``UTC`` and ``Local`` always load; a name containing ``..`` or starting with a slash
    is ``time: invalid location name``; an IANA name the system lacks is ``unknown time zone …``.
    """
    if name in ("", "UTC", "Local"):
        return None
    if ".." in name or name[0] in "/\\":
        return "time: invalid location name"
    import zoneinfo  # only here: it reads the system's time zone paths when imported

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return f"unknown time zone {name}"
    return None


def is_valid_time_zone(name: str) -> bool:
    """Whether Go's ``time.LoadLocation`` loads ``name`` (``""``, ``UTC``, ``Local`` or IANA)."""
    return time_zone_error(name) is None


# Subjects ----------------------------------------------------------------------------------------


# The whitespace nats-server refuses in a subject (``isValidSubject``) besides the space, which
# Go's Subject.Validate reports itself; other control characters the server accepts.
_SERVER_WHITESPACE = "[\t\n\r\f]"
_WHITESPACE_NAMES = {
    "\t": "a tab",
    "\n": "a newline",
    "\r": "a carriage return",
    "\f": "a form feed",
}


def _server_subject_errors(subject: str, what: str, *, queue: bool) -> list[str]:
    """nats-server's rules that Go's ``Subject.Validate`` leaves out, in order."""
    errors = []
    found = re.search(_SERVER_WHITESPACE, subject)
    if found is not None:
        char = found.group()
        errors.append(
            f"{what} {go_quote(subject)} cannot contain {_WHITESPACE_NAMES[char]} "
            f"({go_quote(char)})"
        )
    if not queue and (subject.startswith(">.") or ".>." in subject):
        errors.append(f'{what} {go_quote(subject)} can have ">" only as its last token')
    return errors


def subject_error(subject: str, *, queue: bool = False) -> str | None:
    """The first rule of nats-server's that ``subject`` breaks and Go's ``Subject.Validate``
    does not check, else ``None``.

    The server refuses (``isValidSubject``) a subject with a tab, newline, carriage return or
    form feed (Go only looks for spaces), or with a ``>`` token that is not the last
    (``a.>.b``, ``>.a``). A queue name (``queue``) is only checked for the whitespace.
    Messages name the character, escaped (``"\\t"``), or the token. A subject that is not valid
    UTF-8 (lone surrogates: bytes a command line could not decode) is refused too: its JWT
    would hold U+FFFD, not the subject given.
    """
    what = "queue" if queue else "subject"
    if re.search(_SURROGATE, subject):  # undecodable bytes: the JWT would hold U+FFFD instead
        return f"{what} {go_quote(_raw_bytes(subject))} is not valid UTF-8"
    errors = _server_subject_errors(subject, what, queue=queue)
    return errors[0] if errors else None


def _raw_bytes(text: str) -> bytes:
    """The bytes a string with lone surrogates stands for (as ``os.fsencode`` gives them)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def validate_subject(subject: str, results: ValidationResults, *, queue: bool = False) -> None:
    """Go's ``Subject.Validate`` (not empty, no spaces, no leading, trailing or double dot),
    then nats-server's rules Go leaves out (:func:`subject_error`): no tab, newline, carriage
    return or form feed, and ``>`` only as the last token (not checked for a ``queue`` name).
    """
    if not subject:
        results.add_error("subject cannot be empty")
        return
    if " " in subject:
        results.add_error(f"subject {go_quote(subject)} cannot have spaces")
    if subject[0] == "." or subject[-1] == ".":
        results.add_error(f"subject {go_quote(subject)} cannot start or end with a `.`")
    if ".." in subject:
        results.add_error(f"subject {go_quote(subject)} cannot contain consecutive `.`")
    for error in _server_subject_errors(subject, "queue" if queue else "subject", queue=queue):
        results.add_error(error)


def has_wildcards(subject: str) -> bool:
    """Go's ``Subject.HasWildCards``: a ``*`` or ``>`` token where Go looks for one."""
    return (
        subject.endswith((".>", ".*"))
        or ".*." in subject
        or subject.startswith("*.")
        or subject in ("*", ">")
    )


def is_contained_in(subject: str, other: str) -> bool:
    """Go's ``Subject.IsContainedIn``: whether every subject ``subject`` matches ``other`` does.

    Token by token: a ``*`` in ``other`` matches one token, a final ``>`` one or more, so ``foo``
    is not in ``foo.>``. Wildcards in ``subject`` are plain tokens (``foo.*`` is not in
    ``foo.bar``).
    """
    mine = subject.split(".")
    theirs = other.split(".")
    if len(mine) > len(theirs) and theirs[-1] != ">":
        return False
    if len(mine) < len(theirs):
        return False
    last = len(theirs) - 1
    for index, token in enumerate(theirs):
        if index == last and token == ">":
            return True
        if token not in (mine[index], "*"):
            return False
    return True


def count_token_wildcards(subject: str) -> int:
    """How many ``*`` tokens ``subject`` has."""
    return subject.split(".").count("*")


def _reference(token: str) -> int | None:
    """The N of a ``$N`` token (as Go's ``Atoi`` reads it), else ``None``."""
    if len(token.encode("utf-8", "surrogatepass")) < 2 or token[0] != "$":
        return None
    return go_atoi(token[1:])


def renaming_to_subject(local_subject: str) -> str:
    """Go's ``RenamingSubject.ToSubject``: every ``$N`` token becomes ``*``."""
    if "$" not in local_subject:
        return local_subject
    tokens = local_subject.split(".")
    return ".".join("*" if _reference(token) is not None else token for token in tokens)


def _ends_in_full_wildcard(subject: str) -> bool:
    return subject == ">" or subject.endswith(".>")


def validate_renaming_subject(local_subject: str, subject: str, results: ValidationResults) -> None:
    """Go's ``RenamingSubject.Validate`` of an import's ``local_subject`` against its ``subject``.

    The subject rules (the space rule is reported twice, as Go does), then: both or neither end in
    ``>``; each ``$N`` refers to an existing ``*`` of ``subject``; ``*`` tokens plus valid
    references add up to the ``*`` tokens of ``subject``.
    """
    validate_subject(local_subject, results)
    if not subject:
        results.add_error("subject cannot be empty")
    if " " in local_subject:
        results.add_error(f"subject {go_quote(local_subject)} cannot have spaces")
    if _ends_in_full_wildcard(local_subject) != _ends_in_full_wildcard(subject):
        results.add_error("both, renaming subject and subject, need to end or not end in >")
    wildcards = count_token_wildcards(subject)
    references = 0
    for token in local_subject.split("."):
        if token == "*":
            references += 1
        index = _reference(token)
        if index is None:
            continue
        if index > wildcards:
            results.add_error(
                f"Reference ${index} in {go_quote(local_subject)} reference * in "
                f"{go_quote(subject)} that do not exist"
            )
        else:
            references += 1
    if references != wildcards:
        results.add_error("subject does not contain enough * or reference wildcards $[0-9]")


def mapping_destination_errors(source: str, destination: str) -> list[str]:
    """What nats-server's subject transform (``NewSubjectTransform``) refuses in a mapping
    from ``source`` to ``destination``, as to wildcards; an empty list when nothing.

    A destination has no ``*`` token (it refers to the source's wildcards with
    ``{{wildcard(N)}}`` or ``$N``), and ends in ``>`` exactly when the source does. The server
    drops a mapping that breaks these (nats-io/jwt v2.8 does not check them; 2.3 refused any
    wildcard in a destination, ``b.>`` from ``a.>`` included).
    """
    if not source or not destination:
        return []
    problems = []
    if "*" in destination and "*" in destination.split("."):
        problems.append(
            'cannot contain the token "*" (refer to a wildcard of the source with {{wildcard(N)}})'
        )
    into_rest = _ends_in_full_wildcard(destination)
    if into_rest != _ends_in_full_wildcard(source):
        if into_rest:
            problems.append('can end in ">" only when its source does')
        else:
            problems.append('must end in ">" as its source does')
    if not problems:
        return []
    mapping = f"Mapping {go_quote(source)} destination {go_quote(destination)}"
    return [f"{mapping} {problem}" for problem in problems]


# URLs --------------------------------------------------------------------------------------------


class GoURLError(ValueError):
    """A URL Go's ``url.Parse`` refuses; ``str()`` is Go's message, ``parse "<url>": <reason>``."""


class _Refused(Exception):
    """Internal: the reason ``url.Parse`` gives, before it is wrapped with the URL."""


@dataclass(frozen=True, slots=True)
class GoURL:
    """The parts of a URL as Go's ``url.Parse`` splits them (``path`` etc. unescaped).

    ``user`` is the raw userinfo, or ``None`` when the URL has no ``@`` in its authority.
    """

    scheme: str = ""
    opaque: str = ""
    user: str | None = None
    host: str = ""
    path: str = ""
    raw_query: str = ""
    fragment: str = ""

    def hostname(self) -> str:
        """Go's ``URL.Hostname``: ``host`` without a port and without IPv6 brackets."""
        host = self.host
        colon = host.rfind(":")
        if colon != -1 and _valid_optional_port(host[colon:]):
            host = host[:colon]
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        return host


_HOST_OK = frozenset("-_.~!$&'()*+,;=:[]<>\"")
_USERINFO_OK = frozenset("-._:~!$&'()*+,;=%@")
_HEX = frozenset("0123456789abcdefABCDEF")


def _is_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _valid_optional_port(port: str) -> bool:
    if not port:
        return True
    return port[0] == ":" and all("0" <= c <= "9" for c in port[1:])


def _escape_error(rest: str) -> _Refused:
    return _Refused(f"invalid URL escape {go_quote(rest.encode()[:3])}")


def _check_percent(text: str, index: int, mode: str) -> None:
    """A ``%`` at ``index``: two hex digits must follow; hosts allow only ``%25`` or non-ASCII."""
    triple = text[index : index + 3]
    if len(triple) < 3 or triple[1] not in _HEX or triple[2] not in _HEX:
        raise _escape_error(text[index:])
    if mode == "host" and int(triple[1], 16) < 8 and triple != "%25":
        raise _escape_error(triple)
    if mode == "zone":
        value = chr(int(triple[1:], 16))
        if triple != "%25" and value != " " and _should_escape_in_host(value):
            raise _escape_error(triple)


def _should_escape_in_host(char: str) -> bool:
    return not _is_alnum(char) and char not in _HOST_OK


def _bad_host_char(char: str) -> bool:
    return char < "\x80" and _should_escape_in_host(char)


def _unescape(text: str, mode: str) -> str:
    """Go's ``unescape``: ``%XX`` decoded; in a host (or zone) only host characters allowed."""
    out = bytearray()
    index = 0
    while index < len(text):
        char = text[index]
        if char == "%":
            _check_percent(text, index, mode)
            out.append(int(text[index + 1 : index + 3], 16))
            index += 3
            continue
        if mode in ("host", "zone") and _bad_host_char(char):
            raise _Refused(f"invalid character {go_quote(char)} in host name")
        out.extend(char.encode())
        index += 1
    return out.decode("utf-8", "surrogateescape")


def _split_scheme(raw: str) -> tuple[str, str]:
    """Go's ``getScheme``: letters, then letters, digits, ``+``, ``-`` or ``.``, then ``:``."""
    for index, char in enumerate(raw):
        if char.isascii() and char.isalpha():
            continue
        if "0" <= char <= "9" or char in "+-.":
            if index == 0:
                return "", raw
            continue
        if char == ":":
            if index == 0:
                raise _Refused("missing protocol scheme")
            return raw[:index], raw[index + 1 :]
        return "", raw
    return "", raw


def _parse_host(host: str) -> str:
    if host.startswith("["):
        close = host.rfind("]")
        if close < 0:
            raise _Refused("missing ']' in host")
        port = host[close + 1 :]
        if not _valid_optional_port(port):
            raise _Refused(f"invalid port {go_quote(port)} after host")
        zone = host[:close].find("%25")
        if zone >= 0:
            return (
                _unescape(host[:zone], "host")
                + _unescape(host[zone:close], "zone")
                + _unescape(host[close:], "host")
            )
    else:
        colon = host.rfind(":")
        if colon != -1 and not _valid_optional_port(host[colon:]):
            raise _Refused(f"invalid port {go_quote(host[colon:])} after host")
    return _unescape(host, "host")


def _parse_authority(authority: str) -> tuple[str | None, str]:
    at = authority.rfind("@")
    host = _parse_host(authority[at + 1 :])
    if at < 0:
        return None, host
    userinfo = authority[:at]
    if not all(_is_alnum(c) or c in _USERINFO_OK for c in userinfo):
        raise _Refused("net/url: invalid userinfo")
    for part in userinfo.split(":", 1):
        _unescape(part, "user")
    return userinfo, host


def _parse(raw: str) -> GoURL:
    if any(c < " " or c == "\x7f" for c in raw):
        raise _Refused("net/url: invalid control character in URL")
    if raw == "*":
        return GoURL(path="*")
    scheme, rest = _split_scheme(raw)
    scheme = scheme.lower()
    if rest.endswith("?") and rest.count("?") == 1:
        rest, query = rest[:-1], ""
    else:
        rest, _, query = rest.partition("?")
    if not rest.startswith("/"):
        if scheme:
            return GoURL(scheme=scheme, opaque=rest, raw_query=query)
        if ":" in rest.partition("/")[0]:
            raise _Refused("first path segment in URL cannot contain colon")
    user: str | None = None
    host = ""
    if rest.startswith("//") and (scheme or not rest.startswith("///")):
        authority, slash, tail = rest[2:].partition("/")
        rest = slash + tail
        user, host = _parse_authority(authority)
    path = _unescape(rest, "path")
    return GoURL(scheme=scheme, user=user, host=host, path=path, raw_query=query)


def parse_go_url(raw: str) -> GoURL:
    """``raw`` split as Go's ``url.Parse`` splits it; :class:`GoURLError` where Go errs.

    Go's lenient rules hold: ``localhost:9090`` has the scheme ``localhost``, ``nats:host`` is an
    opaque URL without host or path, and a missing scheme is not an error.
    """
    text = _go_text(raw)
    base, _, fragment = text.partition("#")
    try:
        url = _parse(base)
    except _Refused as reason:
        raise GoURLError(f"parse {go_quote(base)}: {reason}") from None
    if not fragment:
        return url
    try:
        decoded = _unescape(fragment, "fragment")
    except _Refused as reason:
        raise GoURLError(f"parse {go_quote(text)}: {reason}") from None
    return replace(url, fragment=decoded)
