"""What a participant's browser sees on a Voila page, measured with a real headless Chromium.

- :func:`time_to_widgets`: seconds from navigation start to the first visible widget, on a
  fresh browser (empty cache every run) or a returning one (one profile, warmed up first).
- :func:`watch_page` and :func:`time_page`: one load, timed in the page's own clock for each
  of several things shown (a snapshot, then the live widget), with its bytes and requests.
- :func:`count_stuck`: load the page many times and count the loads where the widgets never
  show while Voila's "loading" spinner stays up.
- :func:`external_requests`: every request the page makes to a host other than the server's
  (an offline classroom needs none), optionally blocking them to check the page still works.

Debian's ``chromium`` is driven through Playwright's sync API (Playwright's own browser
download is not needed). These functions start their own browser; call them from plain
(non-asyncio) code.

    python benchmarks/browser_timing.py http://127.0.0.1:8866/ --runs 5 --returning
    python benchmarks/browser_timing.py http://127.0.0.1:8866/ --stuck 50
    python benchmarks/browser_timing.py http://127.0.0.1:8866/ --external
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDGET_SELECTOR = ".widget-text, .jupyter-widgets"
LOADING_SELECTOR = "#loading"


def launch(playwright: Playwright, executable_path: str = CHROMIUM) -> Browser:
    """A headless Chromium with the flags that keep it quiet and offline."""
    return playwright.chromium.launch(executable_path=executable_path, args=CHROMIUM_ARGS,
                                      headless=True)


def _wait_for_widget(page: Page, selector: str, timeout: float) -> None:
    page.locator(selector).filter(visible=True).first.wait_for(
        state="visible", timeout=timeout * 1000
    )


def _close(page: Page) -> None:
    # Run the page's beforeunload handlers, as closing a tab does (Voila's page asks the
    # server to shut its kernel down there).
    with contextlib.suppress(PlaywrightError):
        page.close(run_before_unload=True)


def _time_one_load(context: BrowserContext, url: str, selector: str, timeout: float) -> float:
    """Seconds from navigation start to the first visible widget (inf if it never shows)."""
    page = context.new_page()
    start = time.perf_counter()
    try:
        page.goto(url, wait_until="commit", timeout=timeout * 1000)
        remaining = max(0.1, timeout - (time.perf_counter() - start))
        _wait_for_widget(page, selector, remaining)
        # performance.now() counts from the navigation's start in the page's own clock.
        return page.evaluate("performance.now()") / 1000
    except PlaywrightTimeout:
        return math.inf
    finally:
        _close(page)


def _context(browser: Browser, cookies: list[dict[str, Any]] | None) -> BrowserContext:
    """A browser context, with ``cookies`` (Playwright's cookie dicts) set when given."""
    context = browser.new_context()
    if cookies:
        context.add_cookies(cookies)
    return context


def time_to_widgets(url: str, fresh: bool = True, runs: int = 5,
                    selector: str = WIDGET_SELECTOR, timeout: float = 60,
                    cookies: list[dict[str, Any]] | None = None) -> list[float]:
    """Time to the first visible widget for ``runs`` page loads, in seconds.

    ``fresh=True``: a new browser context per run (no cache, no cookies), a participant's
    first visit. ``fresh=False``: one context, loaded once untimed to fill its cache, then
    ``runs`` timed loads in new tabs of it, a returning participant. A load whose widget does
    not appear within ``timeout`` seconds counts as ``math.inf``. ``cookies`` are set in every
    context (a participant who has joined a room, for example).
    """
    times: list[float] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            if fresh:
                for _ in range(runs):
                    context = _context(browser, cookies)
                    try:
                        times.append(_time_one_load(context, url, selector, timeout))
                    finally:
                        context.close()
            else:
                context = _context(browser, cookies)
                try:
                    _time_one_load(context, url, selector, timeout)
                    for _ in range(runs):
                        times.append(_time_one_load(context, url, selector, timeout))
                finally:
                    context.close()
        finally:
            browser.close()
    return times


#: runs in the page before its own scripts: notes, in the page's clock, the first frame where
#: each watched selector has a visible element (a frame is drawn only when the main thread is
#: free, so this is what the participant sees, not what the DOM holds)
_WATCH = """
(() => {
  const watch = %s, seen = {};
  window.__d4seen = seen;
  const visible = (sel) => {
    for (const el of document.querySelectorAll(sel)) {
      if (el.checkVisibility && el.checkVisibility()) return true;
    }
    return false;
  };
  const frame = () => {
    for (const [name, sel] of Object.entries(watch)) {
      if (!(name in seen) && visible(sel)) seen[name] = performance.now();
    }
    if (Object.keys(seen).length < Object.keys(watch).length) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();
"""


def watch_page(context: BrowserContext, watch: dict[str, str]) -> None:
    """Make every page of ``context`` note when each of ``watch`` (name: CSS selector) first
    shows; read them with :func:`time_page`."""
    context.add_init_script(_WATCH % json.dumps(watch))


def time_page(context: BrowserContext, url: str, last: str, timeout: float = 60
              ) -> dict[str, Any]:
    """Load ``url`` in a new tab of ``context`` (prepared with :func:`watch_page`) until the
    watched ``last`` shows. Returns the seconds from navigation start to each watched name
    that showed (``last`` is ``math.inf`` if it never did), and the page's ``bytes`` (what
    came over the network, compressed, headers included; 0 for what the cache served) and
    ``requests`` (the page and every resource, websockets excepted), of which ``fetched``
    went over the network (the others the browser's cache served without asking)."""
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit", timeout=timeout * 1000)
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(f"window.__d4seen && {json.dumps(last)} in window.__d4seen",
                                   timeout=timeout * 1000, polling=100)
        seen = page.evaluate("window.__d4seen || {}")
        page.wait_for_timeout(500)  # the last scripts and fonts the widgets asked for
        bytes_, requests, fetched = page.evaluate("""() => {
            const all = [...performance.getEntriesByType('navigation'),
                         ...performance.getEntriesByType('resource')];
            return [all.reduce((n, e) => n + (e.transferSize || 0), 0), all.length,
                    all.filter((e) => e.transferSize > 0).length];
        }""")
        out = {name: ms / 1000 for name, ms in seen.items()}
        out.setdefault(last, math.inf)
        return {**out, "bytes": bytes_, "requests": requests, "fetched": fetched}
    finally:
        _close(page)


def count_stuck(url: str, loads: int = 200, timeout: float = 20,
                selector: str = WIDGET_SELECTOR, fresh: bool = False, pause: float = 0.0,
                progress: Callable[[int, dict[str, Any]], None] | None = None,
                cookies: list[dict[str, Any]] | None = None,
                ) -> tuple[int, int, int, list[dict[str, Any]]]:
    """Load the page ``loads`` times in one browser and sort the loads into three piles.

    Returns ``(ok, stuck, other_failures, details)``: ``ok`` loads showed a widget within
    ``timeout`` seconds; ``stuck`` ones did not although the whole HTML had arrived, with
    ``#loading`` still visible (the "Executing N of M" hang); the rest failed some other way
    (navigation error, error page, HTML still arriving at the timeout, spinner gone but no
    widget). ``details`` has one dict per load: ``index``, ``outcome`` (``"ok"``, ``"stuck"``
    or ``"failed"``), ``seconds`` (to the widget, or until given up), and for failures
    ``reason``, ``ready_state``, ``loading_text`` and the page's first ``console_errors``.
    Every load is a new tab, closed afterwards; ``fresh=True`` also gives each a new context.

    Each load that leaves its kernel running costs the server about 100 MB: on a server that
    does not shut kernels down on page close, set a kernel cull timeout.
    """
    ok = stuck = failed = 0
    details: list[dict[str, Any]] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        shared = None if fresh else _context(browser, cookies)
        try:
            for index in range(loads):
                context = shared or _context(browser, cookies)
                try:
                    detail = _classify_load(context, url, selector, timeout)
                finally:
                    if shared is None:
                        context.close()
                detail["index"] = index
                details.append(detail)
                if detail["outcome"] == "ok":
                    ok += 1
                elif detail["outcome"] == "stuck":
                    stuck += 1
                else:
                    failed += 1
                if progress:
                    progress(index, detail)
                if pause > 0:
                    time.sleep(pause)
        finally:
            if shared is not None:
                shared.close()
            browser.close()
    return ok, stuck, failed, details


def _classify_load(context: BrowserContext, url: str, selector: str,
                   timeout: float) -> dict[str, Any]:
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text[:300]) if m.type == "error"
            else None)
    page.on("pageerror", lambda e: console_errors.append(f"pageerror: {str(e)[:300]}"))
    start = time.perf_counter()
    try:
        try:
            response = page.goto(url, wait_until="commit", timeout=timeout * 1000)
        except PlaywrightError as exc:
            return {"outcome": "failed", "seconds": time.perf_counter() - start,
                    "reason": f"navigation: {str(exc).splitlines()[0][:200]}",
                    "loading_text": None, "console_errors": console_errors[:5]}
        if response is not None and response.status >= 400:
            return {"outcome": "failed", "seconds": time.perf_counter() - start,
                    "reason": f"HTTP {response.status}", "loading_text": None,
                    "console_errors": console_errors[:5]}
        try:
            remaining = max(0.1, timeout - (time.perf_counter() - start))
            _wait_for_widget(page, selector, remaining)
            return {"outcome": "ok", "seconds": page.evaluate("performance.now()") / 1000}
        except PlaywrightTimeout:
            pass
        seconds = time.perf_counter() - start
        try:
            ready_state = page.evaluate("document.readyState")
            spinning = page.locator(LOADING_SELECTOR).is_visible()
            text = page.locator(LOADING_SELECTOR).inner_text(timeout=2000) if spinning else None
        except PlaywrightError:
            ready_state, spinning, text = None, False, None
        if ready_state == "loading":
            # Voila sends the last of the HTML after the last cell ran: the server is slow,
            # the page is not hung.
            outcome, reason = "failed", "page HTML still arriving (server slow)"
        elif spinning:
            outcome, reason = "stuck", "whole page arrived, spinner still showing"
        else:
            outcome, reason = "failed", "no widget, no spinner"
        return {"outcome": outcome, "seconds": seconds, "reason": reason,
                "ready_state": ready_state, "loading_text": text.strip() if text else None,
                "console_errors": console_errors[:5]}
    finally:
        _close(page)


def external_requests(url: str, selector: str = WIDGET_SELECTOR, timeout: float = 60,
                      block: bool = False, settle: float = 2.0) -> dict[str, Any]:
    """Record the requests a fresh page load makes to hosts other than the server's.

    Loads ``url`` in a new context, waits for a visible widget, then ``settle`` more seconds
    for late requests (fonts, lazy imports). With ``block=True`` those requests are aborted,
    as on a network without internet, so ``widgets_visible`` tells whether the page still
    works offline. Returns ``{"server_host", "total_requests", "external": [{"url", "method",
    "resource_type", "failure"}], "hosts", "widgets_visible", "seconds"}`` (``hosts``: the
    distinct external host names; ``seconds``: time to the widget, None if it never showed).
    """
    server_host = urlsplit(url).hostname
    total = 0
    external: list[dict[str, Any]] = []

    def is_external(request_url: str) -> bool:
        parts = urlsplit(request_url)
        return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != server_host

    def on_request(request: Any) -> None:
        nonlocal total
        total += 1
        if is_external(request.url):
            external.append({"url": request.url, "method": request.method,
                             "resource_type": request.resource_type, "failure": None})

    def on_failed(request: Any) -> None:
        for entry in external:
            if entry["url"] == request.url and entry["failure"] is None:
                entry["failure"] = request.failure or "failed"
                break

    def on_websocket(ws: Any) -> None:
        if is_external(ws.url):
            external.append({"url": ws.url, "method": "GET", "resource_type": "websocket",
                             "failure": None})

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context()
            context.on("request", on_request)
            context.on("requestfailed", on_failed)
            if block:
                context.route(lambda u: is_external(u),
                              lambda route: route.abort("internetdisconnected"))
            page = context.new_page()
            page.on("websocket", on_websocket)
            start = time.perf_counter()
            visible = True
            seconds: float | None = None
            try:
                page.goto(url, wait_until="commit", timeout=timeout * 1000)
                _wait_for_widget(page, selector, max(0.1, timeout - (time.perf_counter()
                                                                     - start)))
                seconds = page.evaluate("performance.now()") / 1000
            except PlaywrightTimeout:
                visible = False
            page.wait_for_timeout(settle * 1000)
            _close(page)
            context.close()
        finally:
            browser.close()
    hosts = sorted({urlsplit(e["url"]).hostname or "" for e in external})
    return {"server_host": server_host, "total_requests": total, "external": external,
            "hosts": hosts, "widgets_visible": visible, "seconds": seconds}


def _median(values: list[float]) -> float | None:
    finite = [v for v in values if math.isfinite(v)]
    return statistics.median(finite) if finite else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--returning", action="store_true",
                        help="time a returning browser (warm cache) instead of fresh ones")
    parser.add_argument("--selector", default=WIDGET_SELECTOR)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--stuck", type=int, metavar="LOADS",
                        help="count stuck loads over this many page loads instead")
    parser.add_argument("--external", action="store_true",
                        help="list requests to other hosts instead")
    parser.add_argument("--block", action="store_true",
                        help="with --external: abort those requests (offline check)")
    args = parser.parse_args(argv)

    if args.external:
        report = external_requests(args.url, args.selector, args.timeout, block=args.block)
        print(json.dumps(report, indent=2))
        return 0 if report["widgets_visible"] else 1
    if args.stuck:
        def show(index: int, detail: dict[str, Any]) -> None:
            if detail["outcome"] != "ok":
                print(f"load {index}: {detail['outcome']} {detail.get('loading_text') or ''} "
                      f"{detail.get('reason', '')}", flush=True)

        ok, stuck, failed, details = count_stuck(args.url, args.stuck, args.timeout,
                                                 args.selector, progress=show)
        times = [d["seconds"] for d in details if d["outcome"] == "ok"]
        print(f"{args.stuck} loads: {ok} ok, {stuck} stuck, {failed} other failures; "
              f"median time to widget {_median(times) or float('nan'):.3f} s")
        return 0
    times = time_to_widgets(args.url, fresh=not args.returning, runs=args.runs,
                            selector=args.selector, timeout=args.timeout)
    kind = "returning" if args.returning else "fresh"
    print(f"{kind}: " + ", ".join(f"{t:.3f}" for t in times)
          + f" s; median {_median(times) or float('nan'):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
