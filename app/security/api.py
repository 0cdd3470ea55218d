"""POST /api/v1/security/login limited like the HTML logins; errors as {"message"}."""
from __future__ import annotations

from flask import current_app, jsonify, request
from flask_appbuilder.api import expose
from flask_appbuilder.security.api import SecurityApi
from flask_babel import gettext as _
from flask_jwt_extended import create_access_token, create_refresh_token

from app.extensions import limiter
from app.security.throttle import AccountThrottled


def _login_limit() -> str:
    return current_app.config.get("LOGIN_RATE_LIMIT", "10 per minute")


class MotCuaSecurityApi(SecurityApi):
    """FAB's security API with the login counted per client and per account."""

    @expose("/login", methods=["POST"])
    @limiter.limit(_login_limit)
    def login(self):
        """Log in and get a JWT access token (and a refresh token with "refresh": true)
        ---
        post:
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [username, password]
                  properties:
                    username: {type: string}
                    password: {type: string}
                    provider: {type: string, enum: [db]}
                    refresh: {type: boolean}
          responses:
            200: {description: The tokens}
            400: {description: Not a login request}
            401: {description: Wrong user name or password}
            429: {description: Too many attempts from this client or for this account}
        """
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict) or not all(
                isinstance(payload.get(k), str) for k in ("username", "password")) \
                or payload.get("provider", "db") != "db":
            return jsonify(message=_("Send a JSON object with username, password and provider \"db\".")), 400
        try:
            user = self.appbuilder.sm.auth_user_db(payload["username"], payload["password"])
        except AccountThrottled as exc:
            return jsonify(message=str(exc.description)), 429
        if not user:
            return jsonify(message=_("The user name or password is not right.")), 401
        body = {"access_token": create_access_token(identity=str(user.id), fresh=True)}
        if payload.get("refresh") is True:
            body["refresh_token"] = create_refresh_token(identity=str(user.id))
        return jsonify(body), 200
