"""Probe a platform served in production mode behind an HTTPS proxy (run by
scripts/check-production.sh): usage ``production_probe.py http://127.0.0.1:PORT``.

Requests carry ``X-Forwarded-Proto: https`` as the proxy would; one without it must be
redirected to https. The API docs page, the admin's login page and the web sign-in page must
answer 200 with the Content-Security-Policy and Strict-Transport-Security headers and a Secure
CSRF cookie, refer only to files under /static/ (each answering 200 with the CSP header and
cached for good, so collectstatic's hashed copies), and use nothing inline that the policy does
not allow: no inline script or style element, no style or event-handler attribute (a JSON data
block is no script).
Standard library only; every request times out after 10 s.
"""

import http.client
import sys
from html.parser import HTMLParser
from urllib.parse import urlsplit

PAGES = ("/api/docs", "/admin/login/", "/sign-in/")
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
DATA_BLOCK_TYPES = {"application/json", "application/ld+json", "importmap"}
ASSET_LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest"}


def say(line: str) -> None:
    sys.stdout.write(f"{line}\n")


class PageAudit(HTMLParser):
    """Collects the URLs a page loads and the inline bits a strict CSP would refuse."""

    def __init__(self, policy: str) -> None:
        super().__init__(convert_charrefs=True)
        self.policy = policy
        self.assets: list[str] = []
        self.refused_inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name in attributes:
            if name.startswith("on") or name == "style":
                self.refused_inline.append(f"<{tag} {name}=…>")
        nonce = attributes.get("nonce")
        allowed_by_nonce = bool(nonce) and f"'nonce-{nonce}'" in self.policy
        data_block = (attributes.get("type") or "").lower() in DATA_BLOCK_TYPES
        if tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])
        elif tag == "script" and not (data_block or allowed_by_nonce):
            self.refused_inline.append("an inline <script>")
        elif tag == "style" and not allowed_by_nonce:
            self.refused_inline.append("an inline <style>")
        elif tag == "link" and attributes.get("href"):
            if ASSET_LINK_RELS & set((attributes.get("rel") or "").lower().split()):
                self.assets.append(attributes["href"])
        elif tag in {"img", "iframe", "embed", "source"} and attributes.get("src"):
            self.assets.append(attributes["src"])


class Probe:
    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.problems: list[str] = []

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, http.client.HTTPMessage, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def expect(self, condition: bool, problem: str) -> None:
        if not condition:
            self.problems.append(problem)

    def check_https_redirect(self) -> None:
        status, headers, _ = self.get(PAGES[0], {})
        location = headers.get("Location", "")
        say(f"GET {PAGES[0]} over plain http: {status} → {location}")
        self.expect(
            status == 301 and location.startswith("https://"),
            f"{PAGES[0]} without the proxy's header answered {status} {location!r}, "
            "not a redirect to https",
        )

    def check_page(self, path: str) -> None:
        status, headers, body = self.get(path, PROXY_HEADERS)
        policy = headers.get("Content-Security-Policy", "")
        say(f"GET {path}: {status}\n  Content-Security-Policy: {policy}")
        self.expect(status == 200, f"{path} answered {status}")
        self.expect(bool(policy), f"{path} has no Content-Security-Policy header")
        script_src = next((d for d in policy.split(";") if d.strip().startswith("script-src")), "")
        for keyword in ("'unsafe-inline'", "'unsafe-eval'"):
            self.expect(keyword not in script_src, f"{path}: script-src allows {keyword}")
        self.expect(
            "max-age=" in headers.get("Strict-Transport-Security", ""),
            f"{path} has no Strict-Transport-Security header",
        )
        cookies = headers.get_all("Set-Cookie") or []
        csrf_cookies = [cookie for cookie in cookies if cookie.startswith("csrftoken=")]
        self.expect(
            all("; Secure" in cookie for cookie in csrf_cookies),
            f"{path} sets a CSRF cookie without Secure",
        )
        audit = PageAudit(policy)
        audit.feed(body.decode("utf-8", errors="replace"))
        self.expect(bool(audit.assets), f"{path} refers to no static file (is it the page?)")
        for inline in audit.refused_inline:
            self.problems.append(f"{path} uses {inline}, which the CSP refuses")
        for url in audit.assets:
            self.check_asset(path, url)

    def check_asset(self, page: str, url: str) -> None:
        if not url.startswith("/static/"):
            self.problems.append(f"{page} loads {url}, not under /static/")
            return
        status, headers, _ = self.get(url, {**PROXY_HEADERS, "Accept-Encoding": "gzip"})
        cache = headers.get("Cache-Control", "")
        say(f"  {url}: {status}, {cache}, {headers.get('Content-Encoding', 'identity')}")
        self.expect(status == 200, f"{url} (from {page}) answered {status}")
        self.expect(
            "Content-Security-Policy" in headers, f"{url} has no Content-Security-Policy header"
        )
        self.expect("immutable" in cache, f"{url} is not a hashed, cached-for-good copy")


def main() -> int:
    probe = Probe(sys.argv[1])
    probe.check_https_redirect()
    for page in PAGES:
        probe.check_page(page)
    for problem in probe.problems:
        sys.stderr.write(f"PROBLEM: {problem}\n")
    return 1 if probe.problems else 0


if __name__ == "__main__":
    sys.exit(main())
