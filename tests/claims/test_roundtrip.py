"""Property tests: claims → encode → decode → the same claims, and the same bytes again."""

from __future__ import annotations

import nkeys
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pynsc import claims as c
from pynsc import keys
from pynsc.keys import KeyKind

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text = st.text(max_size=12)
i64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
limit = st.one_of(st.just(-1), st.integers(min_value=1, max_value=2**40))
subjects = st.lists(st.text(alphabet="abc.*>_<&", min_size=1, max_size=8), max_size=3)


def public_keys(kind: KeyKind) -> st.SearchStrategy[str]:
    return st.binary(min_size=32, max_size=32).map(
        lambda raw: keys.from_seed(nkeys.encode_seed(raw, kind.prefix_byte).decode()).public_key
    )


def seeds(kind: KeyKind) -> st.SearchStrategy[keys.KeyPair]:
    return st.binary(min_size=32, max_size=32).map(
        lambda raw: keys.from_seed(nkeys.encode_seed(raw, kind.prefix_byte).decode())
    )


permission = st.builds(c.Permission, allow=subjects, deny=subjects)
resp = st.none() | st.builds(c.ResponsePermission, max=i64, ttl=i64)
time_range = st.builds(c.TimeRange, start=text, end=text)
template = st.builds(
    c.UserPermissionLimits,
    pub=permission,
    sub=permission,
    resp=resp,
    src=st.lists(st.sampled_from(["10.0.0.0/8", "::1/128"]), max_size=2),
    times=st.lists(time_range, max_size=2),
    times_location=text,
    subs=limit,
    data=limit,
    payload=limit,
    bearer_token=st.booleans(),
    proxy_required=st.booleans(),
    allowed_connection_types=st.lists(st.sampled_from(c.CONNECTION_TYPES), max_size=3),
)
claims_data = {
    "aud": text,
    "exp": st.integers(min_value=0, max_value=2**40),
    "nbf": st.integers(min_value=0, max_value=2**40),
    "name": text,
}
kind = st.sampled_from([c.STREAM, c.SERVICE])


@st.composite
def user_claims(draw: st.DrawFn) -> c.UserClaims:
    limits = draw(template)
    user = c.User(
        **{name: getattr(limits, name) for name in c.UserPermissionLimits.__dataclass_fields__},
        issuer_account=draw(st.just("") | public_keys(KeyKind.ACCOUNT)),
        tags=draw(st.lists(text, max_size=2)),
    )
    fields = {k: draw(v) for k, v in claims_data.items()}
    return c.UserClaims(sub=draw(public_keys(KeyKind.USER)), nats=user, **fields)


@st.composite
def account_claims(draw: st.DrawFn) -> c.AccountClaims:
    scoped_key = draw(public_keys(KeyKind.ACCOUNT))
    account = c.Account(
        exports=draw(
            st.lists(
                st.builds(
                    c.Export,
                    name=text,
                    subject=text,
                    type=kind,
                    token_req=st.booleans(),
                    revocations=st.dictionaries(text, i64, max_size=2),
                    response_type=st.sampled_from(["", "Stream", "Chunked"]),
                    response_threshold=i64,
                    service_latency=st.none()
                    | st.builds(c.ServiceLatency, sampling=st.integers(0, 100), results=text),
                    account_token_position=st.integers(0, 10),
                    advertise=st.booleans(),
                    allow_trace=st.booleans(),
                    description=text,
                    info_url=text,
                ),
                max_size=3,
            )
        ),
        imports=draw(
            st.lists(
                st.builds(
                    c.Import,
                    name=text,
                    subject=text,
                    account=text,
                    token=text,
                    to=text,
                    local_subject=text,
                    type=kind,
                    share=st.booleans(),
                    allow_trace=st.booleans(),
                ),
                max_size=3,
            )
        ),
        limits=draw(
            st.builds(
                c.OperatorLimits,
                subs=limit,
                conn=i64,
                wildcards=st.booleans(),
                disk_storage=i64,
                tiered_limits=st.dictionaries(
                    st.sampled_from(["R1", "R3"]),
                    st.builds(c.JetStreamLimits, mem_storage=i64, max_bytes_required=st.booleans()),
                ),
            )
        ),
        signing_keys=draw(
            st.dictionaries(public_keys(KeyKind.ACCOUNT), st.none(), max_size=2)
            | st.just(
                {scoped_key: c.UserScope(key=scoped_key, role="r", template=draw(template))}
            )
        ),
        revocations=draw(st.dictionaries(text, i64, max_size=2)),
        default_permissions=c.Permissions(
            pub=draw(permission), sub=draw(permission), resp=draw(resp)
        ),
        mappings=draw(
            st.dictionaries(
                text,
                st.lists(
                    st.builds(
                        c.WeightedMapping, subject=text, weight=st.integers(0, 100), cluster=text
                    ),
                    max_size=2,
                ),
                max_size=2,
            )
        ),
        authorization=draw(
            st.builds(
                c.ExternalAuthorization,
                auth_users=st.lists(text, max_size=2),
                allowed_accounts=st.lists(text, max_size=2),
                xkey=text,
            )
        ),
        trace=draw(st.none() | st.builds(c.MsgTrace, dest=text, sampling=st.integers(0, 100))),
        cluster_traffic=draw(st.sampled_from(["", "system", "owner"])),
        description=draw(text),
        info_url=draw(text),
        tags=draw(st.lists(text, max_size=2)),
    )
    fields = {k: draw(v) for k, v in claims_data.items()}
    return c.AccountClaims(sub=draw(public_keys(KeyKind.ACCOUNT)), nats=account, **fields)


@st.composite
def operator_claims(draw: st.DrawFn) -> c.OperatorClaims:
    operator = c.Operator(
        signing_keys=draw(st.lists(public_keys(KeyKind.OPERATOR), max_size=2)),
        account_server_url=draw(st.sampled_from(["", "http://localhost:9090/jwt/v1"])),
        operator_service_urls=draw(st.lists(text, max_size=2)),
        system_account=draw(text),
        assert_server_version=draw(text),
        strict_signing_key_usage=draw(st.booleans()),
        tags=draw(st.lists(text, max_size=2)),
    )
    fields = {k: draw(v) for k, v in claims_data.items()}
    return c.OperatorClaims(sub=draw(public_keys(KeyKind.OPERATOR)), nats=operator, **fields)


@st.composite
def activation_claims(draw: st.DrawFn) -> c.ActivationClaims:
    activation = c.Activation(subject=draw(text), kind=draw(kind), issuer_account=draw(text))
    fields = {k: draw(v) for k, v in claims_data.items()}
    return c.ActivationClaims(sub=draw(public_keys(KeyKind.ACCOUNT)), nats=activation, **fields)


def _round_trip(claims: c.ClaimsData, signer: keys.KeyPair, iat: int) -> None:
    token = c.encode(claims, signer, iat=iat)
    decoded = c.decode(token)
    assert decoded == claims
    assert c.encode(decoded, signer, iat=iat) == token


@_SETTINGS
@given(claims=user_claims(), signer=seeds(KeyKind.ACCOUNT), iat=st.integers(1, 2**40))
def test_user_round_trip(claims: c.UserClaims, signer: keys.KeyPair, iat: int) -> None:
    _round_trip(claims, signer, iat)


@_SETTINGS
@given(claims=account_claims(), signer=seeds(KeyKind.OPERATOR), iat=st.integers(1, 2**40))
def test_account_round_trip(claims: c.AccountClaims, signer: keys.KeyPair, iat: int) -> None:
    if claims.nats.limits.tiered_limits:
        # as nats-io/jwt's decoder: tiers clear the global JetStream limits when read back
        claims.nats.limits.jetstream = c.JetStreamLimits()
    _round_trip(claims, signer, iat)


@_SETTINGS
@given(claims=operator_claims(), signer=seeds(KeyKind.OPERATOR), iat=st.integers(1, 2**40))
def test_operator_round_trip(claims: c.OperatorClaims, signer: keys.KeyPair, iat: int) -> None:
    _round_trip(claims, signer, iat)


@_SETTINGS
@given(claims=activation_claims(), signer=seeds(KeyKind.ACCOUNT), iat=st.integers(1, 2**40))
def test_activation_round_trip(claims: c.ActivationClaims, signer: keys.KeyPair, iat: int) -> None:
    _round_trip(claims, signer, iat)


json_values = st.recursive(
    st.none() | st.booleans() | i64 | text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
    max_leaves=8,
)


@_SETTINGS
@given(
    data=st.dictionaries(text.filter(lambda k: k != "version"), json_values, max_size=4),
    signer=seeds(KeyKind.OPERATOR),
)
def test_generic_round_trip(data: dict[str, object], signer: keys.KeyPair) -> None:
    claims = c.GenericClaims(sub=signer.public_key, nats=dict(data))
    token = c.encode(claims, signer, iat=1)
    decoded = c.decode_generic(token)
    assert decoded.nats == {**data, "version": 2}
    assert c.encode(decoded, signer, iat=1) == token
