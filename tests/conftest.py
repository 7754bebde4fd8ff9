from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .browser import ARGS, CHROMIUM, free_port, require_browser, server, wait_until_ready

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"


@pytest.fixture
def tmp_path(tmp_path: Path) -> Path:
    """Each test's scratch folder inside a folder of its own. A workbook takes in the newer
    answers of the same learner from its sibling folders (one folder per module); without
    this, the workbooks that other tests leave in pytest's shared folder would be siblings
    of this test's, and a case country saved by one test would reach the next."""
    own = tmp_path / "own"
    own.mkdir()
    return own


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English, whatever language an earlier test set for its process
    (a room's kernel code calls ``i18n.set_language``)."""
    from digit4sd_widgets import i18n

    i18n.set_language(None)
    yield
    i18n.set_language(None)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW


# browser tests (tests/browser.py has their helpers): one room per test module
@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """A room server on this computer (the default: a preheated kernel per app), ready:
    ``(base URL, room folder, scratch folder)``; its log is ``serve.log`` in the scratch
    folder (the host's key is printed there)."""
    require_browser()
    tmp = tmp_path_factory.mktemp("room-browser")
    port = free_port()
    cmd = [sys.executable, "-m", "digit4sd_widgets.cli", "serve", "--port", str(port),
           "--room", str(tmp / "room")]
    base = f"http://127.0.0.1:{port}"
    with server(cmd, base + "/", cwd=tmp, log=tmp / "serve.log"):
        wait_until_ready(base)
        yield base, tmp / "room", tmp


@pytest.fixture()
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()
