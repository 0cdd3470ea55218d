"""The end-to-end tests reuse the portal's fixture: a commune offering birth registration.

Shared here: `chromium` (one headless Debian Chromium per test module) and `axe`, which checks a
Playwright page with axe-core and fails on any violation (tests/e2e/axe.py).
"""
from __future__ import annotations

import os

import pytest

from tests.e2e.axe import assert_accessible
from tests.portal.conftest import birth  # noqa: F401

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


# Module scope: Playwright's sync API allows one running instance per thread, and other
# modules may start their own; each module's instance is closed before the next begins.
@pytest.fixture(scope="module")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make browser)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        yield instance
        instance.close()


@pytest.fixture
def axe():
    """`axe(page)` or `axe(page, "#part")`: fail with every axe-core violation on the page."""
    return assert_accessible
