"""Shared helpers for tests that drive a real headless Chromium (Debian's /usr/bin/chromium)
with Playwright. Without Chromium these tests skip, unless DIGIT4SD_REQUIRE_BROWSER=1 (set in
CI), where a missing browser is a failure."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_browser() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("DIGIT4SD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:  # loopback only
                if r.status < 500:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def wait_until_ready(base: str, timeout: float = 240, lang: str = "en") -> None:
    """As a host does: wait until the room's start page (in the room's language) says the
    room is ready."""
    from digit4sd_widgets import i18n

    with i18n.language(lang):
        ready = i18n.gettext("The room is ready.").rstrip(".")
    deadline = time.monotonic() + timeout
    while True:
        with urllib.request.urlopen(base + "/", timeout=30) as reply:
            if ready in reply.read().decode():
                return
        assert time.monotonic() < deadline, "the room never said it was ready"
        time.sleep(0.5)


@contextlib.contextmanager
def server(cmd: list[str], url: str, *, cwd: Path | None = None,
           env: dict | None = None, log: Path | None = None) -> Iterator[subprocess.Popen]:
    out = open(log or os.devnull, "w")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_http(url)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        out.close()


@contextlib.contextmanager
def room_server(folder: Path, *options: str) -> Iterator[tuple[str, Path]]:
    """A room served from ``folder`` with no kernels kept ready (each page starts its own),
    plus any ``options`` (``"--lang", "fr"``): ``(base URL, room folder)``; its log is
    ``serve.log`` in ``folder``."""
    import sys

    port = free_port()
    cmd = [sys.executable, "-m", "digit4sd_widgets.cli", "serve", "--port", str(port),
           "--room", str(folder / "room"), "--pool", "0", *options]
    base = f"http://127.0.0.1:{port}"
    with server(cmd, base + "/", cwd=folder, log=folder / "serve.log"):
        yield base, folder / "room"


@contextlib.contextmanager
def chromium_page(width: int = 1200, height: int = 2000) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": width, "height": height})
        try:
            yield ctx.new_page()
        finally:
            ctx.close()


#: Deque's axe-core, installed from tests/axe/package-lock.json by scripts/test
AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.x A and AA rules and best practices) on the page as it is now;
    the violations of the given impacts, each with the elements it found."""
    if not AXE.exists():
        if os.environ.get("DIGIT4SD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{AXE} is missing (cd tests/axe && npm ci)")
        pytest.skip("axe-core is not installed (cd tests/axe && npm ci)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                      html: n.html.slice(0, 200),
                                      summary: n.failureSummary}))}));
    }""")
    return [v for v in result if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """The violations in a form that says what to fix."""
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}): "
                     + "; ".join(n["target"] + " " + n["html"][:90] for n in v["nodes"][:4])
                     for v in violations)


# ------------------------------------------------------------------ a room in a real browser
def new_page(browser, base: str, outside: list[str], **context):
    """A page in a fresh context (1200x1600 unless ``viewport`` is given); every request
    that leaves the room is appended to ``outside``."""
    ctx = browser.new_context(**{"viewport": {"width": 1200, "height": 1600}, **context})
    page = ctx.new_page()
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith((base, "data:", "blob:")) else None)
    return page


def join(page, base: str, code: str) -> None:
    page.goto(base + "/")
    page.fill("input[name=code]", code)
    page.click("button[type=submit]")
    page.wait_for_selector(f"text=You are {code}")
