"""Where nsc keeps things inside a store root: pure path functions and name rules.

::

    <root>/<Op>/.nsc                                  {"managed":…,"name":…,"kind":"operator",…}
    <root>/<Op>/<Op>.jwt                              the operator JWT (raw token, no newline)
    <root>/<Op>/accounts/<Acct>/<Acct>.jwt            an account JWT
    <root>/<Op>/accounts/<Acct>/users/<User>.jwt      a user JWT
"""

from __future__ import annotations

from pathlib import Path

from pynsc.errors import StoreError

__all__ = [
    "INFO_FILE",
    "MAX_NAME_BYTES",
    "account_dir",
    "account_jwt",
    "check_name",
    "operator_dir",
    "operator_jwt",
    "user_jwt",
    "users_dir",
]

INFO_FILE = ".nsc"
#: The longest name, in UTF-8 bytes: it becomes a file name (``<name>.creds`` and a temporary
#: ``.<name>.creds.<random>.tmp``), and file systems take at most 255 bytes.
MAX_NAME_BYTES = 200
LOCK_FILE = ".pynsc.lock"


class InvalidNameError(StoreError):
    exit_code = 1


def check_name(name: str, what: str) -> str:
    """``name`` trimmed, or a :class:`StoreError` for an empty one, one with ``/``, ``\\`` or
    NUL, one longer than :data:`MAX_NAME_BYTES`, or one that is not valid UTF-8 (lone
    surrogates: bytes a command line or ``os.fsdecode`` could not decode, which the JWT would
    hold as U+FFFD but the file name as the raw bytes)."""
    value = name.strip()
    if not value:
        raise InvalidNameError(f"{what} name is required")
    if "/" in value or "\\" in value:
        raise InvalidNameError("name cannot contain '/' or '\\'")
    if "\0" in value:
        raise InvalidNameError(f"{what} name cannot contain a NUL character")
    try:
        size = len(value.encode("utf-8"))
    except UnicodeEncodeError:  # a lone surrogate
        from pynsc.claims.subjects import _raw_bytes, go_quote

        raise InvalidNameError(
            f"{what} name {go_quote(_raw_bytes(value))} is not valid UTF-8",
            hint="use a name your terminal encodes as UTF-8",
        ) from None
    if value in (".", ".."):
        raise InvalidNameError(f"{value!r} is not a valid {what} name")
    if size > MAX_NAME_BYTES:
        raise InvalidNameError(
            f"{what} name is too long: {size} bytes in UTF-8, at most {MAX_NAME_BYTES}",
            hint="the name is a file name: file systems take 255 bytes, with its suffixes",
        )
    return value


def operator_dir(root: Path, operator: str) -> Path:
    return root / operator


def operator_jwt(root: Path, operator: str) -> Path:
    return root / operator / f"{operator}.jwt"


def account_dir(root: Path, operator: str, account: str) -> Path:
    return root / operator / "accounts" / account


def account_jwt(root: Path, operator: str, account: str) -> Path:
    return account_dir(root, operator, account) / f"{account}.jwt"


def users_dir(root: Path, operator: str, account: str) -> Path:
    return account_dir(root, operator, account) / "users"


def user_jwt(root: Path, operator: str, account: str, user: str) -> Path:
    return users_dir(root, operator, account) / f"{user}.jwt"
