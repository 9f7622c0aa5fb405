"""Browser fixtures: a live server on 127.0.0.1 (random port) in a thread,
Debian's Chromium driven by Playwright, and an axe-core helper.

Playwright cannot download browsers here, so it launches /usr/bin/chromium
with the flags this machine needs (no sandbox as root, no background
networking)."""

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
AXE = Path(__file__).resolve().parents[2] / "webapp" / "static" / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app behind ``live_server`` (tests prepare data through it, e.g.
    ``tests.staff.create_offices(live_app)``)."""
    app = make_app(tmp_path_factory.mktemp("live"))
    yield app
    app.extensions["formwerk.storage"].engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    """The app served on 127.0.0.1 on a free port, for the whole session."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="de-DE")
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    page.close()


class Axe:
    """Runs axe-core (WCAG 2.1 A and AA) on the current page.

    axe-core is loaded from the app's own static folder (where `make` copies
    it), because the Content-Security-Policy rightly refuses inline scripts."""

    def __init__(self, path: Path):
        self.path = path

    def violations(self, page) -> list[dict]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(url="/static/vendor/" + self.path.name)
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        return result["violations"]

    def check(self, page) -> None:
        """Fail with a readable list of every violation and where it is."""
        violations = self.violations(page)
        if violations:
            lines = [f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {page.url}:"]
            for v in violations:
                lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
                for node in v["nodes"][:5]:
                    lines.append(f"    at {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').splitlines()[-1] if node.get('failureSummary') else ''}")
            pytest.fail("\n".join(lines), pytrace=False)


@pytest.fixture(scope="session")
def axe():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test`, which copies axe-core from node_modules", pytrace=False)
    return Axe(AXE)
