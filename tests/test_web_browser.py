"""The web pages in a real browser: Debian's headless Chromium, driven by Playwright, against the
app served by uvicorn on 127.0.0.1 over a SQLite database holding the seed deck (enriched
offline, verified). Searches in Chinese and English, opens a claim, downloads BibTeX, renders
the API's docs from this server alone, and writes screenshots to build/screenshots/
(results.png, document.png) for people to look at.

Skips, saying why, when /usr/bin/chromium or the playwright package is missing: no browser is
ever downloaded (`playwright install` is not needed)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import bibtexparser
import pytest
import uvicorn

from api.main import create_app
from evidence.config import Settings
from evidence.db import make_engine
from tests.conftest import PROJECT, seed_deck

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT / "build" / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[str]:
    """Serve the app with uvicorn in a thread, on a SQLite copy holding the seed deck."""
    path = tmp_path_factory.mktemp("web") / "evidence.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    seed_deck(engine)
    engine.dispose()
    port = free_port()
    app = create_app(Settings(database_url=f"sqlite:///{path}"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[sync_api.Browser]:
    """Launch Chromium, once the server is up: seeding runs asyncio.run, which cannot run
    inside the event loop Playwright's sync API keeps in this thread."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: sync_api.Browser) -> Iterator[sync_api.Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def search(page: sync_api.Page, base_url: str, words: str) -> None:
    """Type the words into the search box and submit, as a person would."""
    page.goto(base_url + "/")
    page.get_by_label("Search claims").fill(words)
    page.get_by_label("Search claims").press("Enter")
    page.wait_for_selector("h2:has-text('Claims matching')")


def test_browser_search_in_chinese_shows_the_anaemia_claims(
    page: sync_api.Page, base_url: str
) -> None:
    search(page, base_url, "贫血")
    texts = page.locator("article.claim .claim-text").all_inner_texts()
    topics = page.locator("article.claim .where").all_inner_texts()
    assert "IL-6产生过多可导致贫血" in texts and len(texts) == len(topics)
    assert all("贫血" in text + topic for text, topic in zip(texts, topics, strict=True))
    assert page.locator("article.claim mark").first.inner_text() == "贫血"
    assert page.evaluate("document.characterSet") == "UTF-8"
    # A CJK font draws the characters: 贫 is as wide as a full-width ideograph, not a box of 0.
    width = page.evaluate(
        "() => { const c = document.createElement('canvas').getContext('2d');"
        " c.font = getComputedStyle(document.body).font; return c.measureText('贫血').width; }"
    )
    assert width > 20
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "results.png"))
    print(f"screenshot: {SCREENSHOTS / 'results.png'}")


def test_browser_search_in_english_finds_the_chinese_claims(
    page: sync_api.Page, base_url: str
) -> None:
    search(page, base_url, "anemia")
    topics = page.locator("article.claim .where").all_inner_texts()
    assert topics and all("贫血" in topic for topic in topics)
    assert "铁调素合成释放增加" in page.locator("article.claim .claim-text").all_inner_texts()


def test_browser_opens_a_claim_from_the_results(page: sync_api.Page, base_url: str) -> None:
    page.goto(base_url + "/?verdict=mismatch")
    first = page.locator("article.claim").first
    text = first.locator(".claim-text").inner_text()
    first.get_by_role("link", name="Claim ").first.click()
    page.wait_for_url("**/web/claims/*")
    assert page.locator("h1").inner_text() == text
    assert page.locator(".diff").first.inner_text() == "volume: written 8 · PubMed 48"
    assert page.get_by_role("link", name="PMID 12794819").get_attribute("href") == (
        "https://pubmed.ncbi.nlm.nih.gov/12794819/"
    )


def test_browser_downloads_the_searchs_bibtex(page: sync_api.Page, base_url: str) -> None:
    search(page, base_url, "贫血")
    with page.expect_download() as download_info:
        page.locator(".toolbar").get_by_role("link", name="BibTeX").click()
    download = download_info.value
    assert download.suggested_filename == "evidence-search.bib"
    library = bibtexparser.parse_string(Path(download.path()).read_text(encoding="utf-8"))
    assert library.entries and not library.failed_blocks


def test_browser_document_page_shows_the_verification_at_a_glance(
    page: sync_api.Page, base_url: str
) -> None:
    page.goto(base_url + "/")
    page.get_by_role("link", name="Open the review").click()
    page.wait_for_url("**/web/documents/1")
    assert page.locator("[data-stat=attention] b").inner_text() == "1"
    assert page.locator("[data-stat=dangling] b").inner_text() == "3"
    attention = page.locator("section.summary ~ div.panel li.citation").first
    assert "Nakahara" in attention.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "document.png"))


# ReDoc's sidebar always shows "API docs by Redocly" with this logo, hidden when it fails to load:
# the one thing either page asks of another site, and nothing it needs.
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.mark.parametrize(
    ("path", "operation", "elsewhere"),
    [
        ("/docs", ".opblock-summary-path[data-path='/claims']", set()),  # Swagger UI
        (
            "/redoc",
            "[data-section-id='tag/claims/operation/read_claims_claims_get']",
            {REDOCLY_LOGO},
        ),
    ],
)
def test_browser_api_docs_render_from_this_server_alone(
    page: sync_api.Page, base_url: str, path: str, operation: str, elsewhere: set[str]
) -> None:
    """No CDN: the docs render where there is no internet, their scripts from this server."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base_url + path)
    assert "/claims" in page.locator(operation).first.inner_text()
    page.wait_for_load_state("networkidle")
    here = urlsplit(base_url).netloc
    # blob: URLs are the page's own (ReDoc's web worker): blob:http://127.0.0.1:port/uuid
    away = {url for url in requested if urlsplit(url.removeprefix("blob:")).netloc != here}
    assert any(url.endswith(".js") for url in requested) and away <= elsewhere, away
