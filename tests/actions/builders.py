"""Stores for the library tests, built with the low-level layers only (keys, claims, Store).

:func:`deployment` makes an in-memory (or on-disk) operator ``O`` with a system account ``SYS``
and an account ``A`` that has a plain signing key and a scoped one (role ``web``), every seed in
the keystore. Nothing here goes through an action, so the actions under test build on ground
they did not lay themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pynsc import claims, keys
from pynsc.actions import Nsc
from pynsc.claims import Permission, UserPermissionLimits, UserScope
from pynsc.store import Store
from pynsc.store.ops import UserSigner, save_account, save_operator

SCOPED_TEMPLATE = UserPermissionLimits(
    pub=Permission(allow=["projects.{{tag(project)}}.>"]),
    sub=Permission(allow=["projects.{{tag(project)}}.>", "_INBOX.>"]),
)


@dataclass
class Deployment:
    nsc: Nsc
    operator: keys.KeyPair
    system: keys.KeyPair
    account: keys.KeyPair
    signing: keys.KeyPair
    scoped: keys.KeyPair

    def account_jwt(self, name: str = "A") -> str:
        return self.nsc.store().account_token(name)

    def operator_jwt(self) -> str:
        return self.nsc.store().operator_token()


def deployment(
    root: Path | None = None,
    *,
    strict: bool = False,
    disallow_bearer: bool = False,
    template: UserPermissionLimits | None = None,
) -> Deployment:
    """Operator ``O`` (``strict``: signing keys required), ``SYS`` and ``A``; in memory unless
    ``root`` is given (then ``root/stores`` and ``root/keys``, with ``root/config``)."""
    if root is None:
        nsc = Nsc.memory()
    else:
        nsc = Nsc.open(
            config_dir=root / "config", data_dir=root / "stores", keystore_dir=root / "keys"
        )
    operator, operator_sk = keys.generate("operator"), keys.generate("operator")
    system, account = keys.generate("account"), keys.generate("account")
    signing, scoped = keys.generate("account"), keys.generate("account")
    for pair in (operator, operator_sk, system, account, signing, scoped):
        nsc.keystore.store(pair)
    store = nsc.create_store("O")

    op = claims.OperatorClaims(sub=operator.public_key, name="O")
    op.nats.system_account = system.public_key
    op.nats.signing_keys = [operator_sk.public_key]
    op.nats.strict_signing_key_usage = strict
    save_operator(store, op, operator)
    account_signer = operator_sk if strict else operator

    sys_claims = claims.AccountClaims(sub=system.public_key, name="SYS")
    save_account(store, "SYS", sys_claims, account_signer)

    acc = claims.AccountClaims(sub=account.public_key, name="A")
    acc.nats.signing_keys = {
        signing.public_key: None,
        scoped.public_key: UserScope(
            key=scoped.public_key, role="web", template=template or SCOPED_TEMPLATE
        ),
    }
    acc.nats.limits.disallow_bearer = disallow_bearer
    save_account(store, "A", acc, account_signer)
    nsc.select(operator="O", account="A")
    return Deployment(nsc, operator, system, account, signing, scoped)


def save_user(
    store: Store,
    keystore: keys.KeyStore,
    account_name: str,
    account: claims.AccountClaims,
    user: claims.UserClaims,
    signer: UserSigner,
) -> str:
    """Sign ``user`` as it is (``issuer_account`` set for a signing key) and write it, with its
    creds when its seed is stored: a raw store writer for tests, which skips the actions'
    rules on purpose (fields are set as the test wants them)."""
    user.nats.issuer_account = account.sub if signer.key.public_key != account.sub else ""
    token = claims.encode(user, signer.key)
    store.write_user(account_name, user.name, token)
    pair = keystore.get(user.sub)
    if pair is not None and pair.seed is not None:
        keystore.write_creds(store.name, account_name, user.name,
                             keys.format_creds(token, pair.seed))  # fmt: skip
    return token
