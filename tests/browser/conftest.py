"""Browser tests: a real server, Debian's Chromium driven by Playwright, axe-core from npm.

One ``repo-app run`` subprocess per test process serves a fresh data directory
made by ``repo-app init`` and ``repo-app demo``, on a free loopback port; its
background jobs run eagerly (``REPO_JOBS_EAGER=1``), so a deposited PDF's text
is extracted and indexed before the deposit's response is sent. Playwright
never downloads a browser: it launches /usr/bin/chromium (``.ci/run`` installs
the Debian package), and the tests skip, saying why, where Chromium, Playwright
or axe-core (``make test`` installs it with npm into tests/browser/node_modules)
is missing. Screenshots go to tests/browser/artifacts/ (or REPO_TEST_ARTIFACTS).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import databases
import pytest
from flask import Flask

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
CHROMIUM = Path(os.environ.get("REPO_TEST_CHROMIUM", "/usr/bin/chromium"))
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("REPO_TEST_ARTIFACTS", HERE / "artifacts"))
# The two screens every flow and page is tried on: a common phone and a small laptop.
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
# Flags for a headless Chromium on a machine without a sandbox user or outside network:
# background networking would only try (and fail) to reach Google's hosts.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"


@dataclass
class Site:
    """The running server: its address, data directory and the demo accounts' passwords."""

    url: str
    data_dir: Path
    log: Path
    passwords: dict[str, str] = field(default_factory=dict)
    database_url: str | None = None  # None: SQLite in data_dir

    def account(self, role: str) -> tuple[str, str]:
        """The demo account of ``role`` (reader, depositor, librarian, admin) and its password."""
        email = f"{role}@example.org"
        return email, self.passwords[email]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(data_dir: Path, port: int, database_url: str | None) -> dict[str, str]:
    """The test process's environment without its REPO_* settings, plus the server's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPO_")}
    env.update({"REPO_DATA_DIR": str(data_dir), "REPO_JOBS_EAGER": "1",
                "REPO_BASE_URL": f"http://127.0.0.1:{port}",
                "REPO_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    if database_url:
        env["REPO_DATABASE_URL"] = database_url
    return env


def run_command(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([str(BIN / "repo-app"), *args], env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, f"repo-app {' '.join(args)}: {result.stderr[-2000:]}"


def wait_for_health(url: str, process: subprocess.Popen, log: Path) -> None:
    """Poll /healthz until it answers 200; fail with the server's log if it dies or never does."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server did not answer /healthz within 60 s:\n{log.read_text()[-3000:]}")


def read_passwords(data_dir: Path) -> dict[str, str]:
    """The demo accounts' passwords, which ``repo-app demo`` keeps in the data directory."""
    lines = (data_dir / "demo-credentials.txt").read_text().splitlines()
    return dict(line.split(" ", 1) for line in lines if " " in line)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory,
         request: pytest.FixtureRequest) -> Iterator[Site]:
    """``repo-app init``, ``repo-app demo`` and ``repo-app run`` on a fresh data directory."""
    data_dir = tmp_path_factory.mktemp("browser") / "data"
    port = free_port()
    database_url = databases.lease(request)
    env = server_environment(data_dir, port, database_url)
    run_command(env, "init")
    run_command(env, "demo")
    log = data_dir / "server.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen([str(BIN / "repo-app"), "run", "--host", "127.0.0.1",
                                    "--port", str(port)], env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    try:
        wait_for_health(url, process, log)
        yield Site(url, data_dir, log, read_passwords(data_dir), database_url)
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def server_app(site: Site) -> Iterator[Flask]:
    """An app on the running server's database and data directory, for a test to add what the
    demo lacks (failed jobs, pages to review) the way a worker would have left them."""
    from repo_app import create_app

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REPO_DATA_DIR", str(site.data_dir))
        if site.database_url:
            patch.setenv("REPO_DATABASE_URL", site.database_url)
        else:
            patch.delenv("REPO_DATABASE_URL", raising=False)
        app = create_app({"BASE_URL": site.url})
    yield app
    databases.dispose(app)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright, or a skip saying what is missing."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="Playwright is not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def open_page(browser, site: Site) -> Iterator[Callable[..., object]]:
    """``open_page(viewport, role=None, lang="en", inject=False)``: a page in its own browser
    context, logged in through the form as the demo account of ``role``; one per combination,
    reused for the whole module and closed at its end. ``inject`` lets a test add scripts
    (axe-core) that the site's Content-Security-Policy would rightly refuse."""
    pages: dict[tuple[str, str | None, str, bool], object] = {}

    def _open(viewport: str, role: str | None = None, lang: str = "en", inject: bool = False):
        key = (viewport, role, lang, inject)
        if key not in pages:
            context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=site.url,
                                          bypass_csp=inject)
            # Generous: the whole suite shares two cores, and a deposit extracts its text in-request.
            context.set_default_timeout(30_000)
            if lang:
                context.add_cookies([{"name": "lang", "value": lang, "url": site.url}])
            page = context.new_page()
            if role:
                log_in(page, *site.account(role))
            pages[key] = page
        return pages[key]

    yield _open
    for page in pages.values():
        page.context.close()


def log_in(page, email: str, password: str) -> None:
    """Log in through the form, as a person does, and check that the header says so."""
    page.goto("/login")
    # Fields by their names: what the server reads, so they cannot move without the form breaking.
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    submit(page, page.locator("main").get_by_role("button", name=re.compile("log in|đăng nhập", re.I)))
    # include_hidden: on a phone the header's links (log out among them) sit in a closed menu.
    assert page.get_by_role("button", name=re.compile("log out|đăng xuất", re.I),
                            include_hidden=True).count(), \
        f"not logged in as {email}: {page.url}"


def submit(page, control) -> None:
    """Click a control that loads a new page, and wait until that page has loaded (a bare
    click may return before the browser has even sent the form)."""
    with page.expect_navigation():
        control.click()


def screenshot(page, name: str) -> Path:
    """A full-page screenshot kept as a test artefact; its path is returned (and printed)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def reveal(page, locator):
    """The locator, made visible first by opening the disclosures it sits in, outermost first
    (the header's menu on a phone, then a group of it such as Reports), or else a button
    named Menu."""
    if not locator.is_visible():
        closed = [d for d in locator.locator("xpath=ancestor::details").all()
                  if not d.evaluate("details => details.open")]
        for disclosure in closed:
            disclosure.locator("xpath=./summary").click()
        if not closed:
            page.get_by_role("button", name=re.compile("menu", re.I)).first.click()
    return locator


def axe_or_skip() -> Path:
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} "
                    "(make test runs npm ci --prefix tests/browser)")
    return AXE


@pytest.fixture(scope="module")
def demo_works(browser, site: Site) -> dict[str, int]:
    """The id of a demo work at each access level the pages need, from the public API."""
    context = browser.new_context(base_url=site.url)
    hits = context.request.get("/api/v1/search?q=").json()["hits"]
    found = {}
    for hit in hits:
        found.setdefault(hit["access"], hit["id"])
    assert {"open", "restricted"} <= found.keys(), f"the demo collection changed: {hits}"
    record = context.request.get(f"/api/v1/works/{found['restricted']}").json()
    found["restricted_file"] = record["files"][0]["id"]
    context.close()
    return found
