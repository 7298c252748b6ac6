"""Importing accounts, users and keys made elsewhere, and exporting seeds, as nsc does.

The rules, all here and nowhere else:

* an imported JWT must decode as the right kind, and validate (blocking issues and time checks
  refuse it unless ``skip``, then they are warnings);
* an account is stored under its name: a stored account of that name is replaced only with
  ``overwrite`` and only when it is the same entity (key); one stored under another name is
  refused; a self-signed account (not for a managed operator) or, with ``force``, one issued by
  another operator is re-signed by this operator; one it already issued is stored byte for byte;
* a user goes into the stored account that issued it (by its identity or a signing key), under
  its name (``overwrite``: only the same user); the seed of a creds file must be the user's,
  and is stored with a new creds file;
* keys are imported from seed files (``*.nk``) all or nothing: every file must hold a seed and
  none may conflict with a stored key;
* keys are exported (the :class:`~pynsc.actions.listing.KeyQuery` selection of ``list keys``)
  as ``<public key>.nk``, optionally with the JWTs; keys without a stored seed are skipped with
  a warning; no existing file is overwritten unless ``force``, and then nothing is written at
  all; ``remove`` deletes the seeds from the keystore once exported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pynsc._fs import atomic_write, ensure_private_dir
from pynsc.actions.account_update import signer_text, store_account
from pynsc.actions.accounts import AccountResult
from pynsc.actions.listing import KeyQuery, collect_keys
from pynsc.actions.session import Nsc
from pynsc.claims import AccountClaims, UserClaims, decode, encode, validate
from pynsc.errors import (
    ClaimsError,
    ExistsError,
    KeyStoreError,
    NotFoundError,
    NscError,
    StoreError,
    UsageError,
)
from pynsc.keys import (
    KeyPair,
    format_creds,
    from_seed,
    parse,
    parse_decorated_jwt,
    parse_decorated_seed,
)
from pynsc.store import check_name, ops
from pynsc.store.report import Report
from pynsc.text import display_path

__all__ = [
    "ExportedFile",
    "ImportedAccount",
    "ImportedKeys",
    "ImportedUser",
    "KeysExportResult",
    "export_keys",
    "import_account",
    "import_keys",
    "import_user",
    "import_user_file",
    "read_user_file",
]


# Accounts ------------------------------------------------------------------------------------


ImportedAccount = AccountResult
"""What :func:`import_account` stored: the account's name, claims and JWT (the result of
``add account``)."""


def import_account(
    nsc: Nsc,
    jwt: str,
    *,
    overwrite: bool = False,
    skip: bool = False,
    force: bool = False,
    signer: str | KeyPair | None = None,
) -> ImportedAccount:
    """Store the account JWT ``jwt`` (raw or decorated) in the current operator.

    A self-signed account, or with ``force`` one issued by another operator, is re-signed by
    an operator key (``signer``, default ``nsc.signer``, else a stored one); one this operator
    issued is stored as it is. ``overwrite`` replaces a stored account of the same name and key;
    ``skip`` imports despite validation issues (then reported as warnings).
    """
    token = parse_decorated_jwt(jwt).strip()
    claims: AccountClaims = decode(token, AccountClaims)
    name = check_name(claims.name, "account")
    report = Report()
    for issue in validate(claims):
        if (issue.blocking or issue.time_check) and not skip:
            raise StoreError(
                f"account JWT has validation issues: {issue.description}",
                hint="fix the JWT, or pass --skip to import it anyway",
            )
        report.warn(issue.description)

    store = nsc.store()
    with store.lock():
        existing = store.account_named(name)
        if existing is not None:
            if not overwrite:
                raise ExistsError(
                    f'account "{existing}" already exists, overwrite with --overwrite'
                )
            current = store.account(existing)
            if current.sub != claims.sub:
                raise ExistsError(
                    "existing Account has a name collision only and does not reference the same "
                    f"entity (Subject is {current.sub} and differs from {claims.sub}). "
                    "This problem needs to be resolved manually."
                )
            name = existing
        else:
            for other, other_claims in store.accounts():
                if other_claims.sub == claims.sub:
                    raise ExistsError(f'account {claims.sub} is already stored as "{other}"')
        operator = store.operator()
        own_keys = {operator.sub, *operator.nats.signing_keys}
        self_signed = claims.iss == claims.sub
        if store.is_managed and self_signed:
            raise StoreError("only a non managed store can import a self signed account")
        if claims.iss not in own_keys and not self_signed and not force:
            raise StoreError(
                "can only import account signed by same operator. Possibly update your operator",
                hint="pass --force to re-sign it with this operator's key",
            )
        if self_signed or claims.iss not in own_keys:
            key = ops.operator_signer(
                store, nsc.keystore, operator, private_key=signer_text(signer or nsc.signer),
                account_key="" if self_signed else claims.sub,
            )  # fmt: skip
            # with skip, the issues reported above are kept as they are
            token = encode(claims, key) if skip else ops.sign_account(claims, key)
            report.ok(f're-signed account "{name}" with {key.public_key}')
        if existing is None:
            store.prepare_account(name)  # what a killed command left under the name
        token = store_account(store, name, token, report)
    report.ok(f"account {name} was successfully imported")
    report.data = {"name": name, "public_key": claims.sub, "jwt": token}
    return ImportedAccount(report, name, claims, token)


# Users ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class ImportedUser:
    """What :func:`import_user` stored: the user, its account, and its creds file (when its
    seed is stored)."""

    report: Report
    account: str
    name: str
    claims: UserClaims
    creds_path: Path | None

    @property
    def public_key(self) -> str:
        return self.claims.sub


def read_user_file(path: str | os.PathLike[str]) -> tuple[str, KeyPair | None]:
    """The user JWT of a ``.jwt`` file (decorated or not) or ``.creds`` file, and the seed a
    creds file holds."""
    target = Path(os.path.expanduser(path))
    if target.is_dir():
        raise StoreError(f"{display_path(target)} is a directory")
    if target.suffix not in (".jwt", ".creds"):
        raise UsageError("expected a .jwt or .creds file")
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(f"file {display_path(target)} does not exist") from None
    except (OSError, UnicodeDecodeError) as e:
        raise StoreError(f"cannot read {display_path(target)}: {e}") from e
    token = parse_decorated_jwt(text)
    if target.suffix == ".jwt":
        return token, None
    seed = parse_decorated_seed(text)
    if seed is None:
        raise StoreError(f"no user seed found in {display_path(target)}")
    return token, from_seed(seed)


def import_user(
    nsc: Nsc,
    jwt: str,
    *,
    key: str | KeyPair | None = None,
    overwrite: bool = False,
    skip: bool = False,
    source: str | None = None,
) -> ImportedUser:
    """Store the user JWT ``jwt`` in the account that issued it (by its identity or one of its
    signing keys), under the user's name.

    ``key`` is the user's seed (or pair): it must be the user's, is stored, and a creds file is
    written. ``overwrite`` replaces a stored user of the same name and key; ``skip`` imports
    despite validation issues. ``source`` names where the JWT came from, in messages.
    """
    where = source or "the user JWT"
    token = parse_decorated_jwt(jwt).strip()
    try:
        claims: UserClaims = decode(token, UserClaims)
    except NscError as e:
        raise StoreError(f"failed to decode {where}: {e}") from e
    pair = parse(key.strip()) if isinstance(key, str) else key
    if pair is not None and pair.public_key != claims.sub:
        raise StoreError(f"the seed in {where} is not the key of the user JWT")
    name = check_name(claims.name, "user")
    results = validate(claims)
    blocking = [i.description for i in results if i.blocking or i.time_check]
    if blocking and not skip:
        raise ClaimsError(
            f"validation is blocking: {'; '.join(blocking)}", hint="import anyway with --skip"
        )
    report = Report()
    for issue in results:
        report.warn(f"Validation resulted in: {issue.description}")
    store = nsc.store()
    keystore = nsc.keystore
    creds_path = None
    with store.lock():
        issuer_account = claims.issuer_account
        account_name = next(
            (n for n, a in store.accounts() if a.sub == issuer_account), None
        )
        if account_name is None:
            raise NotFoundError(f"referenced account {issuer_account} not found, import first")
        account = store.account(account_name)
        if not account.did_sign(claims):
            raise StoreError(
                "can only import a user signed by the account or one of its signing keys",
                hint=f"add {claims.iss} as a signing key of account {account_name!r} first",
            )
        if store.has_user(account_name, name):
            if not overwrite:
                raise ExistsError(
                    f'user "{name}" already exists in account "{account_name}"',
                    hint="replace it with --overwrite",
                )
            old = store.user(account_name, name)
            if old.sub != claims.sub:
                raise ExistsError(
                    f'the stored user "{name}" is another user ({old.sub}, not {claims.sub}): '
                    "resolve the name collision first"
                )
        # the seed, then the creds, then the JWT: the user exists once it is written
        if pair is not None and pair.seed is not None:
            report.ok(f"key stored {display_path(keystore.store(pair))}")
        stored = keystore.get(claims.sub)
        if stored is not None and stored.seed is not None:
            creds_path = keystore.write_creds(
                store.name, account_name, name, format_creds(token, stored.seed)
            )
        store.write_user(account_name, name, token)
        if creds_path is not None:
            report.ok(f"generated user creds file {display_path(creds_path)}")
    report.ok(f'user "{name}" was successfully imported into account "{account_name}"')
    report.data = {"account": account_name, "name": name, "public_key": claims.sub}
    return ImportedUser(report, account_name, name, claims, creds_path)


def import_user_file(
    nsc: Nsc, path: str | os.PathLike[str], *, overwrite: bool = False, skip: bool = False
) -> ImportedUser:
    """:func:`import_user` from a ``.jwt`` or ``.creds`` file (:func:`read_user_file`)."""
    token, pair = read_user_file(path)
    return import_user(
        nsc, token, key=pair, overwrite=overwrite, skip=skip,
        source=display_path(Path(os.path.expanduser(path))),
    )  # fmt: skip


# Keys ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class ImportedKeys:
    """What :func:`import_keys` stored: the public keys, in file order."""

    report: Report
    public_keys: list[str]


def _nk_files(directory: Path, recurse: bool) -> list[Path]:
    if recurse:
        found = [
            Path(root) / name
            for root, _dirs, files in os.walk(directory)
            for name in files
            if name.endswith(".nk")
        ]
    else:
        found = [p for p in directory.iterdir() if p.suffix == ".nk" and p.is_file()]
    return sorted(found)


def _read_seed(path: Path) -> KeyPair:
    try:
        pair = parse(path.read_text(encoding="ascii").strip())
    except (OSError, UnicodeDecodeError, NscError) as e:
        raise KeyStoreError(f"failed to import {display_path(path)}: {e}") from e
    if pair.seed is None:
        raise KeyStoreError(f"failed to import {display_path(path)}: it holds no seed")
    return pair


def import_keys(
    nsc: Nsc, directory: str | os.PathLike[str], *, recurse: bool = False
) -> ImportedKeys:
    """Store every seed file (``*.nk``) of ``directory`` (``recurse``: and its subdirectories).

    Every file is read and checked first: if any is not a seed, or conflicts with a stored key,
    nothing is imported.
    """
    root = Path(os.path.expanduser(directory)).absolute()
    if not root.exists():
        raise KeyStoreError(f"{display_path(root)} does not exist")
    if not root.is_dir():
        raise KeyStoreError(f"{display_path(root)} is not a directory")
    files = _nk_files(root, recurse)
    if not files:
        raise KeyStoreError("no nkey (.nk) files found")
    keystore = nsc.keystore
    pairs = [_read_seed(path) for path in files]
    for pair, path in zip(pairs, files, strict=True):
        stored = keystore.get(pair.public_key)
        if stored is not None and stored.seed != pair.seed:
            raise KeyStoreError(
                f"failed to import {display_path(path)}: key {pair.public_key} already exists "
                "and is different"
            )
    report = Report(summarize=True)
    unique = list(dict.fromkeys(pairs))
    for pair in unique:
        if keystore.has(pair.public_key):
            report.ok(f"{pair.public_key} is already in the keystore")
            continue
        keystore.store(pair)
        report.ok(f"{pair.public_key} was added to the keystore")
    report.data = [{"public_key": pair.public_key} for pair in unique]
    return ImportedKeys(report, [pair.public_key for pair in unique])


@dataclass(frozen=True, slots=True)
class ExportedFile:
    """One file :func:`export_keys` wrote: a seed (``public_key`` set) or a JWT."""

    description: str
    path: Path
    public_key: str = ""


@dataclass(slots=True)
class KeysExportResult:
    """What :func:`export_keys` wrote, and whether the seeds were removed from the keystore."""

    report: Report
    files: list[ExportedFile]
    removed: bool = False


def export_keys(
    nsc: Nsc,
    directory: str | os.PathLike[str],
    query: KeyQuery | None = None,
    *,
    force: bool = False,
    remove: bool = False,
    include_jwts: bool = False,
) -> KeysExportResult:
    """Write the seeds of the keys ``query`` selects (as ``list keys`` does) to
    ``directory/<public key>.nk`` (0600, in a 0700 directory).

    ``include_jwts`` also writes each entity's JWT as ``<public key>.jwt``. Keys whose seed is
    not stored are skipped with a warning. Existing files are not overwritten without
    ``force``: if any would be, nothing is written. ``remove`` deletes the exported seeds from
    the keystore.
    """
    keystore = nsc.keystore
    keys = collect_keys(nsc, query)
    if not keys:
        raise KeyStoreError("no keys found to export")
    target = Path(os.path.expanduser(directory)).absolute()
    report = Report()
    jobs: list[tuple[ExportedFile, str]] = []
    for entry in keys:
        seed = entry.seed(keystore)
        if seed is None:
            report.warn(f'skipped "{entry.pub}" - no seed available')
            continue
        jobs.append((ExportedFile(entry.pub, target / f"{entry.pub}.nk", entry.pub), seed))
    if include_jwts:
        for entry in keys:
            if entry.jwt:
                description = f"{entry.pub}.jwt ({entry.name})"
                jobs.append((ExportedFile(description, target / f"{entry.pub}.jwt"), entry.jwt))
    if not force:
        existing = [job.path for job, _ in jobs if job.path.exists()]
        if existing:
            raise KeyStoreError(
                f"{display_path(existing[0])} already exists - specify --force to overwrite"
            )
    ensure_private_dir(target)
    for job, content in jobs:
        atomic_write(job.path, content)
    for job, _ in jobs:
        if remove and job.public_key:
            keystore.remove(job.public_key)
            report.ok(f'moved "{job.description}"')
        else:
            report.ok(f'exported "{job.description}"')
    report.data = [{"description": job.description, "path": str(job.path)} for job, _ in jobs]
    return KeysExportResult(report, [job for job, _ in jobs], removed=remove)
