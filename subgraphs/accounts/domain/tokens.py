"""Access tokens (ES256 JWTs, the contract the router verifies), signing keys, opaque tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from shared.auth import Permission

ISSUER = "agora-accounts"
AUDIENCE = "agora"
ALGORITHM = "ES256"
ACCESS_TOKEN_TTL = timedelta(minutes=15)
REFRESH_TOKEN_TTL = timedelta(days=30)
TokenType = Literal["customer", "staff"]


def new_opaque_token() -> str:
    """A refresh, reset or email-change token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """How opaque tokens are stored: SHA-256 (they are random, so no slow hash is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class NewKey:
    kid: str
    private_pem: str
    public_jwk: dict[str, Any]


def generate_key() -> NewKey:
    """A fresh P-256 key pair: the private key as PKCS#8 PEM, the public one as a JWK."""
    private = ec.generate_private_key(ec.SECP256R1())
    kid = uuid.uuid4().hex
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public: dict[str, Any] = ECAlgorithm.to_jwk(private.public_key(), as_dict=True)
    public |= {"kid": kid, "use": "sig", "alg": ALGORITHM}
    return NewKey(kid=kid, private_pem=pem, public_jwk=public)


@dataclass(frozen=True, slots=True)
class AccessClaims:
    subject: str
    typ: TokenType
    session_id: str
    mfa: bool
    permissions: frozenset[Permission] = frozenset()

    def payload(self, *, now: datetime) -> dict[str, Any]:
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": self.subject,
            "typ": self.typ,
            "mfa": self.mfa,
            "sid": self.session_id,
            "iat": int(now.timestamp()),
            "exp": int((now + ACCESS_TOKEN_TTL).timestamp()),
            "jti": uuid.uuid4().hex,
        }
        if self.typ == "staff":
            # Permissions only for a session that passed MFA: without it, none at all.
            claims["perms"] = sorted(p.value for p in self.permissions) if self.mfa else []
        return claims


def sign_access_token(claims: AccessClaims, *, kid: str, private_pem: str, now: datetime) -> str:
    return jwt.encode(
        claims.payload(now=now), private_pem, algorithm=ALGORITHM, headers={"kid": kid}
    )


def decode_access_token(
    token: str, jwks: Iterable[dict[str, Any]], *, leeway: float = 0
) -> dict[str, Any]:
    """Verify ``token`` against published keys the way the router does (tests, tools);
    ``leeway`` seconds of clock skew are tolerated."""
    kid = jwt.get_unverified_header(token).get("kid")
    for jwk in jwks:
        if jwk.get("kid") == kid:
            key = ECAlgorithm.from_jwk(jwk)
            decoded: dict[str, Any] = jwt.decode(
                token,
                key,  # type: ignore[arg-type]
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "jti"]},
                leeway=leeway,
            )
            return decoded
    raise jwt.InvalidTokenError(f"no published key {kid!r}")
