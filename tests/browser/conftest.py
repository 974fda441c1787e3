"""Browser tests: Debian's Chromium driven by Playwright against a live server with the demo
data. One browser per module (its start is the cost), a fresh context per test.

Each page a test visits is checked with axe-core (vendored in ``vendor/``: no serious or
critical violation) and screenshotted at desktop and phone width into ``var/screenshots/``."""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "samverket-demo"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module's tests.

    Playwright's sync API keeps an event loop running in this thread while it is open: Django
    then refuses ORM calls from the tests (they are synchronous all the same, so that check is
    lifted meanwhile) and Prefect's sync-or-async functions answer coroutines. So the browser
    closes with the module, before any other test runs."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def demo_server(live_server, settings):
    """The live server with the demo data (``seed_demo``); its address."""
    settings.AXES_ENABLED = True
    call_command("seed_demo")
    return live_server.url


class Visitor:
    """One person's browser context: signs in, checks pages with axe, takes screenshots."""

    def __init__(self, browser, base_url: str, username: str | None) -> None:
        self.context = browser.new_context(viewport=DESKTOP, locale="sv-SE")
        self.page = self.context.new_page()
        self.base_url = base_url
        self.username = username or "anonymous"
        self.csp_violations: list[str] = []
        self.page.on("console", self._console)
        if username:
            self.sign_in(username)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def goto(self, path: str):
        return self.page.goto(self.base_url + path)

    def sign_in(self, username: str) -> None:
        self.goto("/")
        self.page.get_by_label("Användarnamn").fill(username)
        self.page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
        self.page.get_by_role("button", name="Logga in").click()
        self.page.wait_for_url(self.base_url + "/")

    def check(self, name: str) -> list[dict]:
        """axe-core on the page (no serious or critical violation); screenshots at both widths."""
        self.page.evaluate(AXE.read_text() + "\n;0")
        result = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        )
        serious = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result
            if v["impact"] in {"serious", "critical"}
        ]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        with (SCREENSHOTS / "axe.jsonl").open("a") as log:
            log.write(
                json.dumps(
                    {
                        "page": name,
                        "violations": [{"id": v["id"], "impact": v["impact"]} for v in result],
                    }
                )
                + "\n"
            )
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            self.page.set_viewport_size(size)
            self.page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
        self.page.set_viewport_size(DESKTOP)
        assert serious == [], f"axe on {name}: {serious}"
        assert self.csp_violations == [], self.csp_violations
        return result

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, demo_server):
    """``visit("coordinator")``: a fresh browser context signed in as that demo user."""
    opened: list[Visitor] = []

    def make(username: str | None = None) -> Visitor:
        visitor = Visitor(browser, demo_server, username)
        opened.append(visitor)
        return visitor

    yield make
    for visitor in opened:
        visitor.close()
