"""The axe-core helper finds what it should: a page with known violations fails, a clean one
passes (so a clean result on the real pages means something)."""
from __future__ import annotations

import pytest

from tests.e2e.axe import axe_violations

pytestmark = pytest.mark.browser

BAD = """<!doctype html><html><head><title>x</title></head><body>
<main><h1>Trang</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input id="q"></main>
</body></html>"""
GOOD = """<!doctype html><html lang="vi"><head><title>Trang</title></head><body>
<main><h1>Trang</h1><label for="q">Tìm</label><input id="q"></main></body></html>"""


def test_axe_reports_violations_and_passes_a_clean_page(chromium, axe):
    page = chromium.new_page(bypass_csp=True)  # axe-core is injected as a script tag
    page.set_content(BAD)
    found = {v["id"] for v in axe_violations(page)}
    assert {"html-has-lang", "image-alt", "label"} <= found
    with pytest.raises(AssertionError, match="image-alt"):
        axe(page)
    page.set_content(GOOD)
    axe(page)
    page.close()
