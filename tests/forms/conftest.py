"""Fixtures of the form-engine tests: no database, a Babel app with the pending catalog."""

import json
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from flask import Flask, request
from flask_babel import Babel

from app.forms import formats
from app.forms.engine import clear_cache, compile_schema

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _clean_database():
    """Override the suite's database cleanup: these tests never touch the database."""
    yield


@pytest.fixture(autouse=True)
def _reset_engine():
    """Each test starts with the default unit resolver and an empty compile cache."""
    yield
    formats.set_unit_resolver(None)
    formats.set_unit_namer(None)
    formats.set_unit_lister(None)
    clear_cache()


PENDING = ("forms.po", "forms-engine.po")  # the engine's Vietnamese, merged later into the main catalog


@pytest.fixture(scope="session")
def catalog_dir(tmp_path_factory):
    """The engine's pending catalogs (translations/pending/) compiled to vi/LC_MESSAGES/messages.mo."""
    target = tmp_path_factory.mktemp("translations") / "vi" / "LC_MESSAGES"
    target.mkdir(parents=True)
    catalog = None
    for name in PENDING:
        with open(ROOT / "translations" / "pending" / name, "rb") as po:
            part = read_po(po, locale="vi")
        if catalog is None:
            catalog = part
            continue
        for message in part:
            if message.id:
                catalog[message.id] = message
    with open(target / "messages.mo", "wb") as mo:
        write_mo(mo, catalog)
    return str(target.parent.parent)


@pytest.fixture(scope="session")
def babel_app(catalog_dir):
    """A plain Flask app whose locale comes from ?lang= (default vi)."""
    app = Flask(__name__)
    app.config.update(BABEL_DEFAULT_LOCALE="vi", BABEL_TRANSLATION_DIRECTORIES=catalog_dir)
    Babel(app, locale_selector=lambda: request.args.get("lang", "vi"))
    return app


@pytest.fixture
def in_vi(babel_app):
    """An app context where Vietnamese messages are available."""
    with babel_app.app_context():
        yield babel_app


@pytest.fixture(scope="session")
def birth_definition():
    """A birth-registration-like definition (schema + ui_schema)."""
    return json.loads((DATA / "birth_registration.json").read_text(encoding="utf-8"))


@pytest.fixture
def birth_form(birth_definition):
    return compile_schema(birth_definition["schema"], birth_definition["ui_schema"])


def soup(html) -> BeautifulSoup:
    """Parse an HTML fragment."""
    return BeautifulSoup(str(html), "html.parser")


def form_of(properties: dict, required=(), ui=None, **extra):
    """Compile a one-level object schema."""
    schema = {"type": "object", "properties": properties, "required": list(required), **extra}
    return compile_schema(schema, ui)


@pytest.fixture
def make_form():
    return form_of


@pytest.fixture
def parse():
    return soup
