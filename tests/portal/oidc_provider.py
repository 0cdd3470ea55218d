"""A tiny OpenID Connect provider served on 127.0.0.1 for the tests (RS256 ID tokens).

It plays VNeID: authorize (auto-approves a configured person), token, userinfo, JWKS, discovery.
"""
from __future__ import annotations

import json
import secrets
import threading
import time
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, jsonify, redirect, request
from werkzeug.serving import make_server

from tests.portal.smtp import free_port


class Provider:
    """Start with .start(); .person is who logs in; .issuer is the base URL."""

    def __init__(self, client_id: str = "motcua", client_secret: str = "s3cret"):  # noqa: S107 - test provider
        self.client_id, self.client_secret = client_id, client_secret
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.person = {"sub": "vneid-0001", "SoDinhDanh": "075090001234", "HoVaTen": "Lê Thị Hoa",
                       "NgaySinh": "15/03/1990", "email": "hoa@example.com", "email_verified": True}
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.server = make_server("127.0.0.1", self.port, self._app(), threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "Provider":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()

    def _jwk(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}

    def _app(self) -> Flask:
        app = Flask("test-oidc-provider")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify({
                "issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token", "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks", "response_types_supported": ["code"],
                "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]})

        @app.get("/jwks")
        def jwks():
            return jsonify({"keys": [self._jwk()]})

        @app.get("/authorize")
        def authorize():
            if request.args.get("client_id") != self.client_id or request.args.get("response_type") != "code":
                return "bad request", 400
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"nonce": request.args.get("nonce"),
                                "redirect_uri": request.args["redirect_uri"], "person": dict(self.person)}
            query = urlencode({"code": code, "state": request.args.get("state", "")})
            return redirect(f"{request.args['redirect_uri']}?{query}")

        @app.post("/token")
        def token():
            auth = request.authorization
            client_id = auth.username if auth else request.form.get("client_id")
            secret = auth.password if auth else request.form.get("client_secret")
            grant = self.codes.pop(request.form.get("code", ""), None)
            if (client_id, secret) != (self.client_id, self.client_secret) or grant is None \
                    or grant["redirect_uri"] != request.form.get("redirect_uri"):
                return jsonify({"error": "invalid_grant"}), 400
            now = int(time.time())
            claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300,
                      "sub": grant["person"]["sub"], "nonce": grant["nonce"]}
            id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "k1"})
            access = secrets.token_urlsafe(16)
            self.tokens[access] = grant["person"]
            return jsonify({"access_token": access, "token_type": "Bearer", "expires_in": 300,
                            "id_token": id_token})

        @app.get("/userinfo")
        def userinfo():
            header = request.headers.get("Authorization", "")
            person = self.tokens.get(header.removeprefix("Bearer "))
            if person is None:
                return jsonify({"error": "invalid_token"}), 401
            return jsonify(person)

        return app
