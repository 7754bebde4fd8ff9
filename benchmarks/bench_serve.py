"""Speed, memory and load of the classroom server (``digit4sd serve``) against plain Voila.

One command prints, for the stakeholder app (3.2), with the load average beside every figure:

1. first visible widget in a headless Chromium, fresh browser (empty cache, a participant's
   first visit) and returning browser (cache warm): the room's snapshot of the participant's
   work and the live widget separately, for plain Voila 0.5.13 cold, plain Voila with its
   preheated pool and the room server, the three running at once and loaded in turn; with
   the bytes (compressed, as sent) and requests of each page; ratios against plain Voila;
2. a wave of participants (60) arriving within a minute, protocol-level clients (the
   project's own client: a room's browsers run on the participants' laptops), at the room's
   default settings and with ``--expect 60 --first 3.2``: served, failed, pages without
   their widget, page and first-widget median and p95, server CPU-seconds, peak memory;
3. memory per waiting kernel (PSS) and how many a 24 GB and an 8 GB laptop can keep ready;
4. optionally (``--loads N``), stuck pages: N loads in one browser, how many never showed
   widgets.

    python benchmarks/bench_serve.py                 # everything (about 25 minutes)
    python benchmarks/bench_serve.py --runs 3 --clients 30 --no-wave

Machines are noisy: compare the ratios within one run, not absolute figures across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from browser_timing import count_stuck, launch, time_page, watch_page  # noqa: E402
from voila_client import run_load  # noqa: E402

from digit4sd_widgets.course.apps import build_apps  # noqa: E402
from digit4sd_widgets.serve.room import COOKIE, cookie_secret  # noqa: E402
from digit4sd_widgets.serve.warm import capacity  # noqa: E402

APP = "m3_planning_analysis/3_2_stakeholders.ipynb"
WIDGET = ".d4-exercise .widget-text input, .d4-exercise .jupyter-widgets"
#: the live widget (the room keeps the live cells hidden behind its snapshot until they are
#: drawn) and the room's server-drawn snapshot of the participant's work
LIVE = ", ".join(f"#rendered_cells {w}" for w in WIDGET.split(", "))
SNAPSHOT = "#d4-snapshot .d4-snap-widget"
ALLOW = ("--VoilaConfiguration.extension_allowlist="
         "['@jupyter-widgets/jupyterlab-manager','@voila-dashboards/widgets-manager8']")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError as exc:
            if getattr(exc, "code", 0) and exc.code < 500:
                return
            time.sleep(0.5)
    raise TimeoutError(url)


@contextlib.contextmanager
def running(cmd: list[str], url: str, cwd: Path, env: dict | None = None,
            settle: float = 0) -> Iterator[subprocess.Popen]:
    log = open(cwd / f"server-{len(list(cwd.glob('server-*')))}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, **(env or {})}, start_new_session=True)
    try:
        wait_http(url)
        time.sleep(settle)  # a preheated pool fills after the server answers
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        time.sleep(2)


def kernel_pss(server_pid: int) -> list[float]:
    """PSS in MiB of every kernel started by the server (its child processes)."""
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != server_pid:
                continue
            rollup = (stat.parent / "smaps_rollup").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def process_pss(pid: int) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def med(values: list[float]) -> float:
    finite = [v for v in values if v != float("inf")]
    return statistics.median(finite) if finite else float("inf")


def signed_cookie(room: Path, code: str) -> str:
    from tornado.web import create_signed_value

    return create_signed_value(cookie_secret(room), COOKIE, code).decode()


def browser_cookies(room: Path, code: str, port: int) -> list[dict]:
    return [{"name": COOKIE, "value": signed_cookie(room, code), "domain": "127.0.0.1",
             "path": "/"}]


def load1() -> float:
    return os.getloadavg()[0]


def wait_ready(base: str, timeout: float = 900) -> float:
    """Seconds until the room's start page says the room is ready (as a host waits)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        with contextlib.suppress(OSError), urllib.request.urlopen(base + "/", timeout=30) as r:
            if "The room is ready" in r.read().decode():
                return time.monotonic() - start
        time.sleep(1)
    raise TimeoutError("the room never said it was ready")


def tree_usage(root: int) -> tuple[float, float]:
    """(CPU-seconds, PSS MiB) of a process and all its descendants (the server and its
    kernels, which run in sessions of their own); the CPU of children already gone is in
    their parent's cutime/cstime."""
    tick = os.sysconf("SC_CLK_TCK")
    parent: dict[int, int] = {}
    times: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            pid = int(stat.parent.name)
            parent[pid] = int(fields[1])
            times[pid] = sum(int(f) for f in fields[11:15]) / tick
        except (OSError, IndexError, ValueError):
            continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, ppid in parent.items() if ppid in tree} - tree
        tree |= more
        grew = bool(more)
    cpu = pss = 0.0
    for pid in tree:
        cpu += times.get(pid, 0.0)
        with contextlib.suppress(OSError):
            pss += process_pss(pid)
    return cpu, pss


class Peak(threading.Thread):
    """The largest PSS of a process tree while it runs, sampled every two seconds."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.peak, self.done = root, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(2):
            self.peak = max(self.peak, tree_usage(self.root)[1])


def voila_cmd(app_file: Path, port: int, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "voila", str(app_file), "--no-browser", f"--port={port}",
            "--Voila.ip=127.0.0.1", "--MappingKernelManager.cull_idle_timeout=120",
            "--MappingKernelManager.cull_interval=10", *extra]


def serve_cmd(room: Path, port: int, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "digit4sd_widgets.cli", "serve", "--port", str(port),
            "--room", str(room), "--max-sessions", "200", *extra]


def browser_part(tmp: Path, app_file: Path, runs: int) -> list[dict]:
    """Every load of the three servers, in turn; one dict per load."""
    from playwright.sync_api import sync_playwright

    servers = []
    with contextlib.ExitStack() as stack:
        for label, extra in (("plain Voila, cold", []),
                             ("plain Voila, preheated", ["--preheat_kernel=True",
                                                         "--pool_size=1"])):
            port = free_port()
            url = f"http://127.0.0.1:{port}/"
            stack.enter_context(running(voila_cmd(app_file, port, extra), url, tmp,
                                        settle=10 if extra else 0))
            servers.append((label, url, None, None))
        room, port = tmp / "room", free_port()
        base = f"http://127.0.0.1:{port}"
        stack.enter_context(running(serve_cmd(room, port, []), base + "/", tmp))
        wait_ready(base)
        servers.append(("digit4sd serve", f"{base}/voila/render/{APP}", room, port))
        loads: list[dict] = []
        with sync_playwright() as pw:
            browser = launch(pw)

            def context(room, port, code):
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                if room is not None:
                    ctx.add_cookies(browser_cookies(room, code, port))
                watch_page(ctx, {"snapshot": SNAPSHOT, "live": LIVE})
                return ctx

            def one(kind, label, url, ctx):
                before = load1()
                got = time_page(ctx, url, "live", timeout=90)
                loads.append({"kind": kind, "server": label, "load": (before + load1()) / 2,
                              **got})
                print(f"  {kind:9} {label:24} snapshot {got.get('snapshot', '-')!s:.5} "
                      f"live {got['live']:.2f} s, {got['bytes'] / 1e6:.2f} MB in "
                      f"{got['fetched']} of {got['requests']} requests, load {before:.1f}",
                      flush=True)
                time.sleep(4)  # the pools refill between loads, as between arrivals

            for r in range(runs):  # fresh: a new browser profile and a new participant
                for label, url, room, port in servers[r % 3:] + servers[:r % 3]:
                    ctx = context(room, port, f"fresh-{r}")
                    try:
                        one("fresh", label, url, ctx)
                    finally:
                        ctx.close()
            contexts = {label: context(room, port, "returning")
                        for label, url, room, port in servers}
            for label, url, _, _ in servers:  # the first visit fills the cache, untimed
                time_page(contexts[label], url, "live", timeout=90)
            for r in range(runs):
                for label, url, _, _ in servers[r % 3:] + servers[:r % 3]:
                    one("returning", label, url, contexts[label])
            browser.close()
    return loads


def wave(tmp: Path, label: str, extra: list[str], clients: int, arrival: float) -> dict:
    room, port = tmp / f"room-{label.replace(' ', '-')}", free_port()
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/voila/render/{APP}"
    with running(serve_cmd(room, port, extra), base + "/", tmp) as proc:
        cpu0 = tree_usage(proc.pid)[0]
        warm = wait_ready(base)
        time.sleep(5)
        waiting = kernel_pss(proc.pid)
        cpu1, idle = tree_usage(proc.pid)
        peak = Peak(proc.pid)
        peak.start()
        before = load1()

        def cookies_for(i: int) -> dict[str, str]:
            return {COOKIE: signed_cookie(room, f"wave-{i}")}

        summary = asyncio.run(run_load(url, clients, arrival, cookies_for=cookies_for,
                                       shutdown=False, think_seconds=0.5, updates=3))
        peak.done.set()
        peak.join()
        cpu2, _ = tree_usage(proc.pid)
    return {"label": label, "summary": summary, "warm_seconds": warm,
            "warm_cpu": cpu1 - cpu0, "wave_cpu": cpu2 - cpu1, "idle_mib": idle,
            "peak_mib": max(peak.peak, idle), "waiting": waiting,
            "load": (before + load1()) / 2}


def fmt(v: float | None, unit: str = "s") -> str:
    if v is None or not math.isfinite(v):
        return "-"
    return f"{v:.2f}{unit}"


def report_browser(loads: list[dict], runs: int) -> None:
    print(f"\nFirst visible widget, headless Chromium, app 3.2 (median of {runs}; ratio: "
          "plain Voila cold = 1.00; the load average during the loads beside)")
    print("(ratios: first widget shown, and the live widget, against plain Voila cold; "
          "in brackets against plain Voila preheated)")
    print("(MB: compressed, as sent; reqs: requests that went over the network, of all the "
          "page's requests; the others came from the browser's cache without asking)")
    print(f"{'':10}{'server':24} {'snapshot':>9} {'ratio':>12} {'live':>7} {'ratio':>12} "
          f"{'MB':>6} {'reqs':>7} {'load':>5}")
    for kind in ("fresh", "returning"):
        base, pre = (med([x["live"] for x in loads if x["kind"] == kind and x["server"] == s])
                     for s in ("plain Voila, cold", "plain Voila, preheated"))
        for server in ("plain Voila, cold", "plain Voila, preheated", "digit4sd serve"):
            rows = [x for x in loads if x["kind"] == kind and x["server"] == server]
            snaps = [x["snapshot"] for x in rows if "snapshot" in x]
            live = med([x["live"] for x in rows])
            snap = med(snaps) if len(snaps) == len(rows) else None
            first = snap if snap is not None else live
            print(f"{kind:10}{server:24} {fmt(snap):>9} {first / base:5.2f} ({first / pre:4.2f})"
                  f" {fmt(live):>7} {live / base:5.2f} ({live / pre:4.2f}) "
                  f"{med([x['bytes'] for x in rows]) / 1e6:6.2f} "
                  f"{med([x['fetched'] for x in rows]):3.0f}/"
                  f"{med([x['requests'] for x in rows]):<3.0f} "
                  f"{med([x['load'] for x in rows]):5.1f}")
    never = [x for x in loads if not math.isfinite(x["live"])]
    if never:
        print(f"  loads whose live widget never showed in 90 s: {len(never)}")


def report_waves(waves: list[dict], clients: int, arrival: float) -> None:
    print(f"\nWave: {clients} participants arriving within {arrival:.0f} s at app 3.2, each "
          "loads the page and changes a widget 3 times (protocol clients). First widget: "
          "their drawn work arrives, or else the live widget states; drawn: pages that came "
          "with it; CPU-s: the server and its kernels during the wave")
    print(f"{'settings':22} {'served':>6} {'failed':>6} {'no widget':>9} {'page med':>8} "
          f"{'p95':>7} {'first med':>9} {'p95':>6} {'live p95':>8} {'drawn':>5} "
          f"{'CPU-s':>6} {'peak GB':>7} {'load':>5}")
    for w in waves:
        s = w["summary"]
        page, first, live = s["page_seconds"], s["first_widget_seconds"], \
            s["widgets_ready_seconds"]
        print(f"{w['label']:22} {s['pages_served']:>6} {s['failed']:>6} "
              f"{s['without_widget']:>9} {fmt(page['median']):>8} {fmt(page['p95']):>7} "
              f"{fmt(first['median']):>9} {fmt(first['p95']):>6} {fmt(live['p95']):>8} "
              f"{s['snapshot_seconds']['n'] or 0:>5} {w['wave_cpu']:6.0f} "
              f"{w['peak_mib'] / 1024:7.1f} {w['load']:5.1f}")
        if s["failures"]:
            print(f"{'':22} failures: {s['failures']}")
        print(f"{'':22} ready after {w['warm_seconds']:.0f} s and {w['warm_cpu']:.0f} "
              f"CPU-s with {len(w['waiting'])} kernels waiting ({w['idle_mib'] / 1024:.1f} "
              "GB for the room)")
    sizes = [k for w in waves for k in w["waiting"]]
    if sizes:
        each = statistics.median(sizes)
        print(f"\nMemory: a waiting kernel takes {each:.0f} MiB PSS (median of {len(sizes)}). "
              "Kept ready with 1.5 GB left for the rest:")
        for laptop, free in (("24 GB laptop, 20 GB free", 20 * 1024),
                             ("8 GB laptop, 5 GB free", 5 * 1024)):
            print(f"  {laptop}: {capacity(free, per_kernel=round(each))} kernels")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="browser loads per figure")
    parser.add_argument("--clients", type=int, default=60, help="participants in the wave")
    parser.add_argument("--arrival", type=float, default=60,
                        help="seconds over which they arrive (default: 60)")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser part")
    parser.add_argument("--no-wave", action="store_true", help="skip the waves")
    parser.add_argument("--loads", type=int, default=0,
                        help="page loads for the stuck-page count (default: 0, skipped)")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    apps = tmp / "apps"
    build_apps(apps)
    print(f"{os.cpu_count()} cores; load average at start {load1():.1f}", flush=True)
    loads = [] if args.no_browser else browser_part(tmp, apps / APP, args.runs)
    waves = []
    if not args.no_wave:
        for label, extra in (("default", []),
                             (f"--expect {args.clients}",
                              ["--expect", str(args.clients), "--first", "3.2"])):
            time.sleep(10)
            waves.append(wave(tmp, label, extra, args.clients, args.arrival))
            print(f"  wave {label}: {waves[-1]['summary']['pages_served']} served", flush=True)
    stuck_result = None
    if args.loads:
        room, port = tmp / "room-stuck", free_port()
        base = f"http://127.0.0.1:{port}"
        with running(serve_cmd(room, port, []), base + "/", tmp):
            wait_ready(base)
            stuck_result = count_stuck(f"{base}/voila/render/{APP}", loads=args.loads,
                                       timeout=60, selector=LIVE,
                                       cookies=browser_cookies(room, "bench-stuck", port))

    if loads:
        report_browser(loads, args.runs)
    if waves:
        report_waves(waves, args.clients, args.arrival)
    if stuck_result:
        ok, stuck, failed, details = stuck_result
        slow = [d["seconds"] for d in details if d["outcome"] == "ok"]
        print(f"\nStuck pages: {args.loads} loads of the app in one browser: {ok} showed "
              f"widgets, {stuck} stuck, {failed} other failures; median "
              f"{med(slow):.2f} s, slowest {max(slow) if slow else float('nan'):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
