"""axe-core in the browser tests: inject npm's axe-core (tests/e2e/node_modules, installed by
`make browser` with `npm ci`) into a Playwright page and fail on any violation.

    from tests.e2e.axe import assert_accessible
    assert_accessible(page)             # the whole page as it is now
    assert_accessible(page, "#main")    # one part of it

Without node_modules the checks skip (with the reason), like the browser tests without chromium.
"""
from __future__ import annotations

from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.1 A and AA plus axe's best practices: what a government site is held to.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS} is missing: run `make browser` (npm ci in tests/e2e)")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page, context: str | None = None) -> list[dict]:
    """axe-core's violations on the page (or the part matched by the CSS selector `context`)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(
        """async ([context, tags]) => {
            const result = await axe.run(context || document,
                {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }""",
        [context, TAGS],
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            summary = (node["summary"] or "").replace("\n", " ")
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def assert_accessible(page, context: str | None = None) -> None:
    """Fail with every axe-core violation found on the page as it is now."""
    violations = axe_violations(page, context)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"
