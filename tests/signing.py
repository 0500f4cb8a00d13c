"""Signing keys made in the test and a real HTTP server publishing them as a user pool's JWKS,
for the tests of the authorizer: its tokens are signed as Cognito signs them (RS256, `kid`)."""

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test"
PEOPLE_CLIENT = "people-client"
SERVICE_CLIENT = "integrator-client"


@dataclass
class SigningKey:
    kid: str
    private: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        return {**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        return jwt.encode(
            claims, self.private, algorithm="RS256", headers={"kid": self.kid, **header}
        )


def id_claims(**changes: Any) -> dict[str, Any]:
    """An ID token's claims as Cognito issues them, for the people's app client."""
    now = int(time.time())
    claims = {
        "sub": str(uuid.uuid4()),
        "aud": PEOPLE_CLIENT,
        "cognito:groups": ["advisor"],
        "custom:advisor_id": "adv-001",
        "token_use": "id",
        "iss": ISSUER,
        "auth_time": now,
        "iat": now,
        "exp": now + 3600,
    }
    return {**claims, **changes}


def access_claims(**changes: Any) -> dict[str, Any]:
    """A service's access token claims (client-credentials grant)."""
    now = int(time.time())
    claims = {
        "sub": SERVICE_CLIENT,
        "client_id": SERVICE_CLIENT,
        "token_use": "access",
        "scope": "advisor-book/read advisor-book/assign",
        "iss": ISSUER,
        "auth_time": now,
        "iat": now,
        "exp": now + 3600,
        "jti": str(uuid.uuid4()),
    }
    return {**claims, **changes}


class JwksServer:
    """Publishes `keys` at `url`, counting the fetches; `keys` may change while it runs."""

    def __init__(self, keys: list[SigningKey]) -> None:
        self.keys = keys
        self.fetches = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.fetches += 1
                body = json.dumps({"keys": [k.public_jwk() for k in server.keys]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the tests' output is theirs."""

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}/.well-known/jwks.json"

    @contextmanager
    def running(self) -> Iterator["JwksServer"]:
        # Polling often for the shutdown: a test's end is not kept waiting half a second.
        thread = threading.Thread(target=self._http.serve_forever, args=(0.01,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._http.shutdown()
            self._http.server_close()
            thread.join(timeout=60)
