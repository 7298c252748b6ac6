"""Issuer.issue writes the JWT payload straight as text: the same token, byte for byte, and
the same claims as the general path (new_user_claims, sign_user, claims.encode)."""

from __future__ import annotations

import itertools
import json
import random

import pytest

from pynsc import keys
from pynsc.actions import Issuer, UserChanges
from pynsc.actions.issuer import _PLAIN_NATS
from pynsc.actions.user_changes import NO_CHANGES, PermissionChanges
from pynsc.actions.users import new_user_claims, sign_user
from pynsc.claims import UserClaims, encode
from pynsc.claims._codec import b64decode, fresh_token, go_text, to_dict
from pynsc.errors import ClaimsError
from pynsc.store.ops import UserSigner

from .builders import deployment

NOW = 1_800_000_000

NAMES = [
    "u", "user-42", "a<b>&c", "<script>", "x\u2028y\u2029z", "émile", "名前", "😀 smile",
    'quo"te', "tab\there", "new\nline", "ctl\x01\x1f\x7f", "<nats>", "&amp;",
    "a" * 200,
]  # fmt: skip

PERMS = [
    PermissionChanges(),
    PermissionChanges(allow_pub=("a.>", "b.<c>"), deny_sub=("x.*",)),
    PermissionChanges(allow_pubsub=("p.&",), allow_pub_response=3, response_ttl=5_000_000_000),
    PermissionChanges(allow_sub=("q queue",), deny_pubsub=("z",)),
]


def _changes(rng: random.Random) -> UserChanges:
    perms = rng.choice(PERMS)
    return UserChanges(
        perms=perms,
        times=rng.choice([(), (("08:00:00", "17:00:00"),)]),
        locale=rng.choice([None, "Europe/Paris"]),
        source_networks=rng.choice([(), ("10.0.0.0/8", "192.168.1.1/32", "10.0.0.0/8")]),
        conn_types=rng.choice([(), ("WEBSOCKET", "standard")]),
        subs=rng.choice([None, -1, 0, 10]),
        data=rng.choice([None, 1024]),
        payload=rng.choice([None, -1, 512]),
        bearer=rng.choice([None, True, False]),
        tags=rng.choice([(), ("Project:42", "a<b>", "é")]),
        start=rng.choice([None, 0, NOW - 10, NOW + 3600]),
        expiry=rng.choice([None, NOW + 60, NOW + 86400]),
    )


def _scoped_safe(changes: UserChanges) -> UserChanges:
    return UserChanges(tags=changes.tags, start=changes.start, expiry=changes.expiry)


def _reference(issuer: Issuer, name: str, changes: UserChanges, user: keys.KeyPair,
               now: int) -> tuple[str, UserClaims]:  # fmt: skip
    claims, _ = new_user_claims(name, user.public_key, changes, scoped=issuer.is_scoped)
    token = sign_user(claims, account_key=issuer.account_key,
                      signer=UserSigner(issuer.key, issuer.scope), now=now)  # fmt: skip
    return token, claims


def _issuers() -> list[Issuer]:
    d = deployment()
    account = keys.generate("account")
    return [
        Issuer.from_seed(account.seed or ""),
        Issuer.from_seed(d.signing.seed or "", account=d.account.public_key),
        Issuer.from_seed(d.signing.seed or "", account=d.account_jwt()),
        Issuer.from_seed(d.scoped.seed or "", account=d.account_jwt()),
    ]


def test_issue_matches_the_general_path_byte_for_byte() -> None:
    rng = random.Random(11)
    issuers = _issuers()
    cases = 0
    for issuer, name in itertools.product(issuers, NAMES):
        for plain in (True, False):
            changes = NO_CHANGES if plain else _changes(rng)
            if issuer.is_scoped and not plain:
                changes = _scoped_safe(changes)
            user = keys.generate("user")
            now = rng.choice([NOW, NOW + 1, 1, -5])
            if changes.expiry and changes.expiry < now:
                now = NOW
            got = issuer.issue(name, changes, key=user.seed, now=now)
            token, claims = _reference(issuer, name, changes, user, now)
            assert got.jwt == token, (name, changes)
            assert got.claims == claims
            assert got.seed == user.seed
            cases += 1
    assert cases == len(issuers) * len(NAMES) * 2


def test_issue_user_options_match_the_general_path() -> None:
    d = deployment()
    issuer = Issuer.from_seed(d.signing.seed or "", account=d.account.public_key)
    user = keys.generate("user")
    got = issuer.issue_user("web<1>", key=user, bearer=True, allow_pub=["a.>"],
                            deny_sub=["b"], tags=["x"], expiry=3600, not_before=10,
                            subs=5, now=NOW)  # fmt: skip
    changes = UserChanges(
        perms=PermissionChanges(allow_pub=("a.>",), deny_sub=("b",)), bearer=True,
        tags=("x",), subs=5, start=NOW + 10, expiry=NOW + 3600,
    )  # fmt: skip
    token, claims = _reference(issuer, "web<1>", changes, user, NOW)
    assert got.jwt == token
    assert got.claims == claims


def test_an_account_key_that_is_not_one_is_refused_every_time() -> None:
    signing = keys.generate("account")
    issuer = Issuer(signing, "not-an-account-key")
    for _ in range(2):  # a refusal is not remembered as a success
        with pytest.raises(ClaimsError, match="account_id is not an account public key"):
            issuer.issue_user("u", now=NOW)
    assert ("not-an-account-key", False) not in _PLAIN_NATS


def test_a_signer_that_is_not_an_account_key_gets_the_general_message() -> None:
    operator = keys.generate("operator")
    issuer = Issuer(operator, keys.generate("account").public_key)
    with pytest.raises(ClaimsError, match="cannot be signed by a operator key"):
        issuer.issue_user("u", now=NOW)


def test_fresh_token_matches_encode() -> None:
    signer = keys.generate("account")
    user = keys.generate("user")
    rng = random.Random(7)
    for name, exp, nbf, iat in itertools.product(NAMES[:8], (0, NOW + 5), (0, NOW - 5),
                                                 (0, NOW, -3)):  # fmt: skip
        claims = UserClaims(sub=user.public_key, name=name, exp=exp, nbf=nbf)
        claims.nats.tags = rng.choice([[], ["a<b"]])
        expected = encode(claims, signer, iat=iat)
        rest = f'"nats":{go_text(to_dict(claims.nats))}'
        token, jti = fresh_token(exp=exp, iat=iat, iss=signer.public_key, name=name, nbf=nbf,
                                 sub=user.public_key, rest=rest, sign=signer.sign)  # fmt: skip
        assert token == expected
        assert jti == claims.jti


def test_fresh_token_refuses_keys_that_would_need_escaping() -> None:
    signer = keys.generate("account")
    with pytest.raises(ClaimsError, match="must be nkeys"):
        fresh_token(exp=0, iat=1, iss='A"', name="n", nbf=0, sub="U", rest="",
                    sign=signer.sign)  # fmt: skip


def test_fresh_token_without_rest_and_with_a_bad_signer() -> None:
    signer = keys.generate("account")
    user = keys.generate("user")
    for exp in (0, NOW):
        token, jti = fresh_token(exp=exp, iat=NOW, iss=signer.public_key, name="n", nbf=0,
                                 sub=user.public_key, rest="", sign=signer.sign)  # fmt: skip
        payload = json.loads(b64decode(token.split(".")[1], "payload"))
        assert payload == {**({"exp": exp} if exp else {}), "jti": jti, "iat": NOW,
                           "iss": signer.public_key, "name": "n", "sub": user.public_key}
    with pytest.raises(ClaimsError, match="not 64 bytes"):
        fresh_token(exp=0, iat=NOW, iss=signer.public_key, name="n", nbf=0,
                    sub=user.public_key, rest="", sign=lambda data: b"short")  # fmt: skip
