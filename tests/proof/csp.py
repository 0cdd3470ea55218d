"""What a Content-Security-Policy lets a page style inline, computed as a CSP Level 3 browser does.

`inline_styles(html)` lists a page's style attributes and `<style>` elements; `blocked(policy,
styles)` keeps those the policy would refuse: an attribute passes through `style-src-attr` (else
`style-src`, else `default-src`) by `'unsafe-inline'` (ignored beside a hash or a nonce) or by
`'unsafe-hashes'` with its value's sha256; an element through `style-src-elem` (same fallbacks)
by `'unsafe-inline'`, its nonce or its text's sha256.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True)
class InlineStyle:
    kind: str  # "attribute" or "element"
    text: str  # the attribute's value, or the element's content
    tag: str = ""
    nonce: str = ""


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[InlineStyle] = []
        self._style: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "style":
                self.found.append(InlineStyle("attribute", value or "", tag))
        if tag == "style":
            self._style = (dict(attrs).get("nonce") or "", [])

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self._style is not None:
            self._style[1].append(data)

    def handle_endtag(self, tag):
        if tag == "style" and self._style is not None:
            nonce, parts = self._style
            self.found.append(InlineStyle("element", "".join(parts), "style", nonce))
            self._style = None


def inline_styles(html: str) -> list[InlineStyle]:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


def parse_policy(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens and tokens[0].lower() not in directives:  # the first of a repeated name wins
            directives[tokens[0].lower()] = tokens[1:]
    return directives


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _sources(directives: dict[str, list[str]], *names: str) -> list[str] | None:
    for name in names:
        if name in directives:
            return directives[name]
    return None


def allows(directives: dict[str, list[str]], style: InlineStyle) -> bool:
    specific = "style-src-attr" if style.kind == "attribute" else "style-src-elem"
    sources = _sources(directives, specific, "style-src", "default-src")
    if sources is None:
        return True
    lowered = [s.lower() for s in sources]
    hashed_or_nonced = any(s.startswith(("'sha256-", "'sha384-", "'sha512-", "'nonce-")) for s in lowered)
    if "'unsafe-inline'" in lowered and not hashed_or_nonced:
        return True
    if style.kind == "element":
        return (bool(style.nonce) and f"'nonce-{style.nonce}'" in sources) or sha256_source(style.text) in sources
    return "'unsafe-hashes'" in lowered and sha256_source(style.text) in sources


def blocked(header: str, styles: list[InlineStyle]) -> list[InlineStyle]:
    directives = parse_policy(header)
    return [style for style in styles if not allows(directives, style)]
