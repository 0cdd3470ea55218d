"""Inline styles against the Content-Security-Policy: every HTML page of the application, as every
role of the access-matrix world (tests/proof/world.py), carries no style attribute and no `<style>`
element that its own policy would refuse, and the policy allows no inline style wholesale
(`'unsafe-inline'`). The pages are the GET rules of `app.url_map` that change nothing, filled as
the access matrix fills them, plus the citizen's draft's wizard steps.

The browser side (styles written by scripts, which this cannot see) is tests/e2e/test_csp.py.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import template_rendered

from tests.proof.csp import blocked, inline_styles, parse_policy
from tests.proof.matrix import Doors, fill, view_models
from tests.proof.test_access_matrix import _changes_something, _rules
from tests.proof.world import ROLES, build

APP = Path(__file__).resolve().parents[2] / "app"
DRAFT_PAGES = ("/my/dossiers/<code>", "/my/dossiers/<code>/declaration", "/my/dossiers/<code>/documents",
               "/my/dossiers/<code>/delivery", "/my/dossiers/<code>/review", "/my/dossiers/<code>/submit",
               "/backoffice/dossiers/<code>")


def page_urls(app, world, models) -> list[str]:
    urls = []
    for key, rule in sorted(_rules(app).items()):
        method, path = key.split(" ", 1)
        if method != "GET" or _changes_something(key) or path.startswith("/api/"):
            continue
        urls.append(fill(rule.rule, rule.endpoint, world, models))
    urls += [path.replace("<code>", world.draft) for path in DRAFT_PAGES]
    urls += ["/file/" + world.procedure + "?unit=" + world.unit, "/dossiermodelview/list/?_flt_0_status=submitted",
             "/admin/fees/?province=75"]
    return urls


def crawl(app, world, doors) -> list[dict]:
    """Every HTML answer: role, URL, status, policy header, inline styles, templates rendered."""
    pages = []
    rendered: list[str] = []

    def record(sender, template, context, **extra):
        rendered.append(template.name)

    urls = page_urls(app, world, view_models(app))
    with template_rendered.connected_to(record, app):
        for role in ROLES:
            for url in urls:
                rendered.clear()
                response = doors.send(role, "GET", url)
                if not response.mimetype == "text/html":
                    continue
                pages.append({"role": role, "url": url, "status": response.status_code,
                              "csp": response.headers.get("Content-Security-Policy", ""),
                              "styles": inline_styles(response.get_data(as_text=True)),
                              "templates": list(rendered)})
    return pages


@pytest.fixture(scope="module")
def pages(app):
    from app.extensions import db
    from tests.conftest import empty_tables

    world = build(app, app.test_client())
    yield crawl(app, world, Doors(app))
    with app.app_context():
        db.session.rollback()
        empty_tables()
        db.session.remove()


@pytest.fixture(autouse=True)
def _clean_database():
    """The crawl shares one world; the `pages` fixture cleans up at the end."""
    yield


def test_the_crawl_reaches_every_kind_of_page(pages):
    seen = {(page["role"], page["url"].split("?")[0]) for page in pages if page["status"] == 200}
    for role, url in [("anon", "/"), ("anon", "/lookup"), ("citizen", "/my/dossiers"),
                      ("officer", "/backoffice/"), ("admin", "/admin/procedure-editor/"),
                      ("admin", "/users/list/"), ("admin", "/dossiermodelview/list/"), ("anon", "/public/stats")]:
        assert (role, url) in seen, (role, url)
    assert len(pages) > 500


def test_no_page_allows_inline_styles_wholesale(pages):
    for page in pages:
        directives = parse_policy(page["csp"])
        for name in ("style-src", "style-src-attr", "style-src-elem", "default-src"):
            assert "'unsafe-inline'" not in directives.get(name, []), (page["url"], name, page["csp"])
        assert directives.get("style-src"), page["csp"]


def test_no_page_carries_a_style_its_policy_refuses(pages):
    refused = {}
    for page in pages:
        for style in blocked(page["csp"], page["styles"]):
            where = f"{page['role']} {page['url']} ({', '.join(dict.fromkeys(page['templates']))})"
            refused.setdefault((style.kind, style.tag, style.text), where)
    assert not refused, "\n".join(f"{kind} <{tag}> {text!r}: first on {where}"
                                  for (kind, tag, text), where in sorted(refused.items()))


STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=""", re.I)
STYLE_ELEMENT = re.compile(r"<style\b(?![^>]*\bnonce=)", re.I)


def test_our_templates_carry_no_style_attribute_nor_unnonced_style_element():
    """Also the pages the crawl cannot reach (an error re-rendering a form, a rare state)."""
    offenders = []
    for path in sorted(APP.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            if STYLE_ATTRIBUTE.search(line) or STYLE_ELEMENT.search(line):
                offenders.append(f"{path.relative_to(APP)}:{number}: {line.strip()}")
    assert offenders == []
