"""pynsc: NATS operator, account and user security toolkit.

The library layers import nothing from the CLI:

* :mod:`pynsc.keys`: nkeys (generate, parse, sign, verify), the sharded keystore, creds files.
* :mod:`pynsc.claims`: JWT v2 claims, encode/decode/validate, byte-identical to nats-io/jwt v2.

Example::

    from pynsc import claims, keys

    operator = keys.generate("operator")
    account = keys.generate("account")
    user = keys.generate("user")
    acc = claims.AccountClaims(sub=account.public_key, name="A")
    account_jwt = claims.encode(acc, operator)
    usr = claims.UserClaims(sub=user.public_key, name="U")
    creds = keys.format_creds(claims.encode(usr, account), user.seed)
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
