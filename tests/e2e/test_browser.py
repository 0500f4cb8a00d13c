"""A real browser (Debian's headless Chromium, driven by Playwright) runs a page served from
another origin than the API's: it signs in with a `make token` ID token, lists advisors and
assigns a client, so CORS is proven where it matters, in a browser.

`make test` installs Chromium first (`make browser`); without it this test fails, saying how to
install it. Playwright never downloads a browser of its own here.
"""

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.e2e.conftest import LocalStack, free_port

CHROMIUM = Path("/usr/bin/chromium")
PAGE = Path(__file__).with_name("browser")
# What runs Chromium headless in a container or on a CI machine, with nothing reaching out.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CLIENT = "cli-0050"  # no other end-to-end test moves this client
WAIT_MS = 300_000  # a safety net for a busy machine, not a measure


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """The page's server says nothing; the test says what went wrong."""


@pytest.fixture(scope="module")
def page_origin() -> Iterator[str]:
    """The page, served by its own small server on another port than the API's: another
    origin, as a front end's would be."""
    handler = functools.partial(_QuietHandler, directory=str(PAGE))
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()
    server.server_close()


def test_a_page_on_another_origin_lists_advisors_and_assigns_a_client(
    stack: LocalStack, page_origin: str, tmp_path: Path
) -> None:
    if not CHROMIUM.exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install it with `sudo apt-get install -y chromium` "
            "(Debian and Ubuntu; `make test` does it itself when it runs as root or with sudo)"
        )
    from playwright.sync_api import sync_playwright

    fragment = urlencode({"api": stack.api_url, "token": stack.token(), "client": CLIENT})
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),  # a fresh profile every run
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
        )
        try:
            page = browser.new_page()
            page.goto(f"{page_origin}/index.html#{fragment}")
            page.wait_for_function(
                "document.getElementById('status').textContent !== 'running'", timeout=WAIT_MS
            )
            shown = {
                name: page.text_content(f"#{name}")
                for name in ("unsigned", "advisors", "assignment", "status")
            }
        finally:
            browser.close()

    assert shown["status"] == "done", shown
    assert shown["unsigned"] == "401 unauthorized"
    listed = (shown["advisors"] or "").split()
    assert listed
    assert shown["assignment"] == f"{CLIENT} {listed[0]}"
    assert stack.request("GET", f"/clients/{CLIENT}").body["advisor_id"] == listed[0]
