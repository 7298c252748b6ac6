"""An account's signing keys: adding and removing them, scoping them, finding one by role.

A signing key signs the account's users (and activations) in place of the account's identity
key. A *scoped* one carries a :class:`~pynsc.claims.UserScope`: a role, a description and a
user template (permissions and limits) that every user it signs gets instead of its own.

The rules, all here and nowhere else:

* a signing key is an account key (``A…``), never the account's own identity key;
* ``generate`` (:data:`GENERATE`) makes a new key, whose seed is stored with the account;
* a key added again is left as it is (a scoped key keeps its scope); removing a key the account
  does not have is only a warning;
* a key is named by its public key, seed, a file holding one, or its role; a role belongs to
  one key only;
* a scope's template takes permissions and limits, not tags or validity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pynsc.actions.account_update import update_account
from pynsc.actions.session import Nsc
from pynsc.actions.user_changes import UserChanges, apply_user_limits
from pynsc.claims import NO_LIMIT, Account, AccountClaims, UserPermissionLimits, UserScope
from pynsc.claims.subjects import go_quote
from pynsc.errors import ExistsError, InvalidKeyError, NotFoundError, UsageError
from pynsc.keys import KeyKind, KeyPair, KeyStore, generate
from pynsc.store.report import Report
from pynsc.store.signers import load_key, shown_key

__all__ = [
    "GENERATE",
    "SigningKeyResult",
    "add_signing_key",
    "apply_signing_keys",
    "edit_signing_key",
    "find_signing_key",
    "key_by_role",
    "remove_signing_key",
    "resolve_signing_keys",
    "scoped_key",
]

GENERATE = "generate"
"""The value that asks for a new signing key."""


@dataclass(slots=True)
class SigningKeyResult:
    """What a signing-key action did: the report, the account, the key and its scope."""

    report: Report
    account: str
    public_key: str
    scope: UserScope | None
    jwt: str
    generated: KeyPair | None = None
    """The new key (with its seed) when one was generated."""

    @property
    def role(self) -> str:
        return self.scope.role if self.scope is not None else ""


# Keys ----------------------------------------------------------------------------------------


def resolve_signing_keys(
    values: Iterable[str | KeyPair], keystore: KeyStore, account_key: str
) -> list[KeyPair]:
    """The keys ``values`` name: :data:`GENERATE` makes a new one; otherwise a key pair, a
    public key, a seed or a file holding one, which must be an account key other than the
    account's own (``account_key``)."""
    pairs = []
    for value in values:
        if isinstance(value, str) and value.strip() == GENERATE:
            pairs.append(generate(KeyKind.ACCOUNT))
            continue
        pair = value if isinstance(value, KeyPair) else load_key(value, keystore)
        if pair.kind is not KeyKind.ACCOUNT:
            raise InvalidKeyError(f"{pair.public_key} is not a valid account signing key")
        if pair.public_key == account_key:
            raise InvalidKeyError(
                f"{pair.public_key} is the account's identity key, not a signing key"
            )
        pairs.append(pair)
    return pairs


def apply_signing_keys(
    account: Account,
    added: Iterable[KeyPair],
    removed: Iterable[str],
    keystore: KeyStore,
) -> tuple[list[str], list[str]]:
    """Add and remove signing keys (``removed``: public keys, seeds or files); the report's
    (lines, warnings)."""
    lines, warnings = [], []
    for pair in added:
        if pair.public_key not in account.signing_keys:
            account.signing_keys[pair.public_key] = None
            lines.append(f'added signing key "{pair.public_key}"')
    for value in removed:
        key = load_key(value, keystore).public_key
        if key in account.signing_keys:
            del account.signing_keys[key]
            lines.append(f'removed signing key "{key}"')
        else:
            warnings.append(f'"{key}" is not a signing key of the account')
    return lines, warnings


def key_by_role(claims: AccountClaims, role: str) -> str | None:
    """The signing key of ``claims`` whose scope has ``role``, or ``None``."""
    for key, scope in claims.nats.signing_keys.items():
        if scope is not None and scope.role == role:
            return key
    return None


def scoped_key(nsc: Nsc, account: str | None, role: str) -> tuple[str, UserScope]:
    """The scoped signing key of ``account`` (default: the current one) with ``role``: its
    public key and scope. A :class:`NotFoundError` when no key has that role."""
    name = nsc.require_account(account)
    claims = nsc.store().account(name)
    key = key_by_role(claims, role)
    scope = None if key is None else claims.nats.signing_keys[key]
    if key is None or scope is None:
        raise NotFoundError(
            f"account {name!r} has no signing key with role {role!r}",
            hint=f"scope one with 'pynsc edit signing-key -a {name} --sk KEY --role {role}'",
        )
    return key, scope


def find_signing_key(
    claims: AccountClaims, value: str | KeyPair | None, role: str | None, keystore: KeyStore
) -> tuple[str, KeyPair | None]:
    """The signing key ``value`` names (a key, a role, or :data:`GENERATE`), else the one with
    ``role``; with the new key pair when one is generated."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if not role:
            raise UsageError("signing key is required (--sk KEY|ROLE|generate)")
        found = key_by_role(claims, role)
        if found is None:
            raise NotFoundError("signing-key not found", hint=f"no signing key has role {role!r}")
        return found, None
    if isinstance(value, KeyPair):
        key = value.public_key
    else:
        text = value.strip()
        if text == GENERATE:
            pair = generate(KeyKind.ACCOUNT)
            return pair.public_key, pair
        found = key_by_role(claims, text)
        if found is not None:
            return found, None
        try:
            key = load_key(text, keystore).public_key
        except InvalidKeyError:
            raise NotFoundError(
                "signing-key not found",
                hint=f"{shown_key(text)!r} is neither a key nor a role of the account",
            ) from None
    if key not in claims.nats.signing_keys:
        raise NotFoundError(
            "signing-key not found", hint=f"add it first with 'pynsc edit account --sk {key}'"
        )
    return key, None


# Actions -------------------------------------------------------------------------------------


def add_signing_key(
    nsc: Nsc,
    account: str | None = None,
    *,
    key: str | KeyPair = GENERATE,
    signer: str | KeyPair | None = None,
) -> SigningKeyResult:
    """Add a signing key to ``account`` (default: the current one): ``key`` (a key pair, public
    key, seed or file) or a new one; a seed is stored. ``signer`` picks the operator key."""
    report = Report()
    with update_account(nsc, account, report, signer=signer) as update:
        claims = update.claims
        (pair,) = resolve_signing_keys([key], nsc.keystore, claims.sub)
        update.signer()
        lines, _ = apply_signing_keys(claims.nats, [pair], (), nsc.keystore)
        if pair.seed is not None:
            update.store_key(pair)
    for line in lines:
        report.ok(line)
    report.ok(f'edited account "{update.name}"')
    generated = pair if isinstance(key, str) and key.strip() == GENERATE else None
    scope = claims.nats.signing_keys.get(pair.public_key)
    _data(report, update.name, pair.public_key, scope, update.token)
    return SigningKeyResult(report, update.name, pair.public_key, scope, update.token, generated)


def remove_signing_key(
    nsc: Nsc,
    key: str,
    account: str | None = None,
    *,
    signer: str | KeyPair | None = None,
) -> SigningKeyResult:
    """Remove signing key ``key`` (a public key, seed, file or role) from ``account``; its seed
    stays in the keystore. A :class:`NotFoundError` when the account does not have it."""
    report = Report()
    with update_account(nsc, account, report, signer=signer) as update:
        claims = update.claims
        public_key, _ = find_signing_key(claims, key, None, nsc.keystore)
        update.signer()
        lines, _ = apply_signing_keys(claims.nats, (), [public_key], nsc.keystore)
    for line in lines:
        report.ok(line)
    report.ok(f'edited account "{update.name}"')
    _data(report, update.name, public_key, None, update.token)
    return SigningKeyResult(report, update.name, public_key, None, update.token)


def edit_signing_key(
    nsc: Nsc,
    key: str | KeyPair | None = None,
    *,
    account: str | None = None,
    role: str | None = None,
    description: str | None = None,
    template: UserChanges | None = None,
    signer: str | KeyPair | None = None,
) -> SigningKeyResult:
    """Make a signing key of ``account`` scoped, or edit its scope: ``role``, ``description``
    and the ``template`` (permissions and limits) of the users it signs.

    ``key`` is a public key, seed, file, a role, or :data:`GENERATE` for a new key (added and
    stored); without it the key with ``role`` is edited. ``signer`` picks the operator key.
    """
    template = template or UserChanges()
    if template != template.limits_only():
        raise UsageError("a signing key's template takes permissions and limits only",
                         hint="tags and validity are set on each user")  # fmt: skip
    report = Report()
    with update_account(nsc, account, report, signer=signer) as update:
        claims = update.claims
        public_key, generated = find_signing_key(claims, key, role, nsc.keystore)
        if role:
            other = key_by_role(claims, role)
            if other is not None and other != public_key:
                raise ExistsError(f'role "{role}" is already the role of signing key {other}')
        scope = claims.nats.signing_keys.get(public_key)
        lines = []
        if generated is not None:
            lines.append(f'added signing key "{public_key}"')
        if scope is None:
            # as nsc: a new scope's template is empty (no subs/data/payload written) until a
            # permission or limit is set; then the limits not set become -1 (unlimited)
            scope = UserScope(
                key=public_key, template=UserPermissionLimits(subs=0, data=0, payload=0)
            )
            claims.nats.signing_keys[public_key] = scope
            lines.append(f'made signing key "{public_key}" scoped')
        if role is not None:
            scope.role = role
            lines.append(f"changed role to {go_quote(role)}")
        if description is not None:
            scope.description = description
            lines.append(f"changed description to {go_quote(description)}")
        if template.sets_limits():
            _unlimited_when_unset(scope.template)
        lines += apply_user_limits(scope.template, template)
        if generated is not None:
            update.store_key(generated)
    for line in lines:
        report.ok(line)
    report.ok(f'edited signing key "{public_key}"')
    report.data = {"account": update.name, "key": public_key, "role": scope.role,
                   "jwt": update.token}  # fmt: skip
    return SigningKeyResult(report, update.name, public_key, scope, update.token, generated)


def _unlimited_when_unset(limits: UserPermissionLimits) -> None:
    """nsc's edit of a template: a subs/data/payload limit still 0 (never set) becomes -1."""
    for name in ("subs", "data", "payload"):
        if getattr(limits, name) == 0:
            setattr(limits, name, NO_LIMIT)


def _data(
    report: Report, account: str, key: str, scope: UserScope | None, token: str
) -> None:
    report.data = {"account": account, "key": key, "role": scope.role if scope else "",
                   "jwt": token}  # fmt: skip
