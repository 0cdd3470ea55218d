"""The access matrix's machinery: fill a URL rule's parameters with objects of the world, send it as
each role, and say whether the role was let in ("ok") or turned away ("no")."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from tests.helpers import auth, web_login
from tests.proof.world import ROLES, World

LOGIN_PAGES = ("/account/login", "/login/")
STAFF_ONLY_VIEWS = {"UserDBModelView"}  # FAB's user list shows the office's accounts only
PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def view_models(app) -> dict[str, str]:
    """FAB view class name → the model class name its data model serves."""
    found = {}
    for view in app.appbuilder.baseviews:
        datamodel = getattr(view, "datamodel", None)
        if datamodel is not None:
            found[type(view).__name__] = datamodel.obj.__name__
    return found


def fill(rule: str, endpoint: str, world: World, models: dict[str, str]) -> str:
    """A concrete URL for a rule, pointing at citizen A's objects at commune X."""
    view = endpoint.split(".")[0]

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "code":
            if "/procedures/" in rule or rule.startswith(("/admin/procedure-editor/", "/admin/units-tools/")):
                return world.procedure
            if rule.startswith("/language/"):
                return "en"
            if rule.startswith("/backoffice/counter/"):
                return world.counter
            return world.code
        simple = {
            "procedure_code": world.procedure, "attachment_id": world.attachment_id,
            "result_id": world.result_id, "template_id": world.template_id,
            "text_id": world.ids.get("text_id", 1),
            "number": 1, "user_id": world.ids.get("officer_id", 1), "owner_code": world.unit,
            "public_id": world.public_id, "txn_ref": world.txn_ref, "kind": "receipt",
            "token": "not-a-token", "challenge_id": "not-a-challenge", "locale": "vi",
            "version": "v1", "group_by": "username",
        }
        if name in simple:
            return str(simple[name])
        if name == "name":
            return "vneid" if "oidc" in rule else "muldelete"
        if name == "filename":
            if rule.startswith("/static/appbuilder/"):
                return "css/flags/flags16.css"
            if rule.startswith("/static/"):
                return "css/portal.css"
            return "csv"
        if name == "pk":
            if view in STAFF_ONLY_VIEWS:  # the first user is a citizen, whom they do not list
                return str(world.ids["officer_id"])
            return str(world.ids.get(models.get(view, ""), 1))
        raise AssertionError(f"no value for <{name}> in {rule}")

    return PARAM.sub(value, rule) + QUERIES.get(rule, "")


# Bodies that ask for something the rule's gate decides on (an empty form is refused by anyone
# for being empty, which says nothing about who may act).
BODIES = {
    "/backoffice/dossiers/<code>/actions": {"action": "return", "method": "office"},
    "/api/v1/dossiers/<code>/actions": {"action": "return", "method": "office"},
}

# Pages that need a query to show anything.
QUERIES = {"/admin/procedure-editor/<code>/diff": "?a=1&b=1"}


class Doors:
    """One web client and one API token per role."""

    def __init__(self, app):
        self.app = app
        self.web = {}
        self.tokens = {}
        for role in ROLES:
            client = app.test_client()
            if role != "anon":
                web_login(client, role)
                self.tokens[role] = auth(app.test_client(), role)
            self.web[role] = client

    def send(self, role: str, method: str, url: str, body: dict | None = None):
        if url.startswith("/api/"):
            client = self.app.test_client()
            headers = self.tokens.get(role, {})
        else:
            client, headers = self.web[role], {}
        kwargs = {"headers": headers}
        if method in ("POST", "PUT", "PATCH") and url.startswith("/api/"):
            kwargs["json"] = body or {}
        elif method in ("POST", "PUT", "PATCH"):
            kwargs["data"] = body or {}
        return client.open(url, method=method, **kwargs)


def outcome(response) -> str:
    """"ok" (let in: any answer but a refusal), "no" (401, 403, 404 or sent to log in), "5xx"."""
    status = response.status_code
    if status >= 500:
        return "5xx"
    if status in (401, 403, 404):
        return "no"
    if status in (301, 302, 303, 307, 308):
        location = urlsplit(response.headers.get("Location", "")).path
        if location.startswith(LOGIN_PAGES):
            return "no"
    return "ok"
