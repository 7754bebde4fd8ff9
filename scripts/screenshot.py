"""Take a screenshot of a page in headless Chromium (Debian's /usr/bin/chromium).

Usage: python scripts/screenshot.py URL_OR_FILE OUT.png [--wait-for CSS_SELECTOR] [--width N]
Waits for the selector (for example `.widget-button`) before the shot, so widget pages are
captured once they have rendered, not while they say "Loading widget...".
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("target")
    p.add_argument("out")
    p.add_argument("--wait-for", default=None)
    p.add_argument("--width", type=int, default=1100)
    p.add_argument("--height", type=int, default=900)
    p.add_argument("--timeout", type=float, default=60)
    args = p.parse_args()
    url = args.target
    if "://" not in url:
        url = Path(url).resolve().as_uri()
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": args.width, "height": args.height})
        page = ctx.new_page()
        page.goto(url, timeout=args.timeout * 1000)
        if args.wait_for:
            page.wait_for_selector(args.wait_for, timeout=args.timeout * 1000)
        page.screenshot(path=args.out, full_page=True)
        ctx.close()
    print(args.out)


if __name__ == "__main__":
    main()
