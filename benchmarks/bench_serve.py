"""Speed, memory and load of the classroom server (``digit4sd serve``) against plain Voila.

One command prints, for the stakeholder app (3.2):

1. time from navigation to the first visible widget in a headless Chromium, fresh browser
   (empty cache) and returning browser (cached assets), for plain Voila 0.5.13 cold, plain
   Voila with its preheated pool, and the room server; as ratios against plain Voila cold;
2. memory per live session (PSS of each app kernel; PSS shares library pages fairly);
3. load: N participants (20 and 60) arriving within a minute, each loading the app and
   changing a widget over the kernel websocket (light protocol clients, not browsers, as in a
   room the browsers run on the participants' laptops): pages served, failures, median and
   95th percentile widget round trip;
4. stuck pages: repeated page loads in one browser, and how many never showed widgets.

    python benchmarks/bench_serve.py                  # everything (about 20-30 minutes)
    python benchmarks/bench_serve.py --runs 3 --loads 40 --clients 20

Machines are noisy: compare the ratios within one run, not absolute figures across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from browser_timing import count_stuck, time_to_widgets  # noqa: E402
from voila_client import run_load  # noqa: E402

from digit4sd_widgets.course.apps import build_apps  # noqa: E402
from digit4sd_widgets.serve.room import COOKIE, cookie_secret  # noqa: E402

APP = "m3_planning_analysis/3_2_stakeholders.ipynb"
WIDGET = ".d4-exercise .widget-text input, .d4-exercise .jupyter-widgets"
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="browser loads per figure")
    parser.add_argument("--clients", type=int, nargs="*", default=[20, 60],
                        help="participants per load run (default: 20 60)")
    parser.add_argument("--arrival", type=float, default=60,
                        help="seconds over which they arrive (default: 60)")
    parser.add_argument("--loads", type=int, default=200,
                        help="page loads for the stuck-page count (default: 200; 0: skip)")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    apps = tmp / "apps"
    build_apps(apps)
    app_file = apps / APP
    rows: list[tuple[str, float, float]] = []

    # 1. plain Voila, cold and preheated, on the same app notebook
    for label, extra in (("plain Voila, cold", []),
                         ("plain Voila, preheated pool", ["--preheat_kernel=True",
                                                         "--pool_size=1"])):
        port = free_port()
        cmd = [sys.executable, "-m", "voila", str(app_file), "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1", "--MappingKernelManager.cull_idle_timeout=120",
               "--MappingKernelManager.cull_interval=10", *extra]
        url = f"http://127.0.0.1:{port}/"
        with running(cmd, url, tmp, settle=8 if extra else 0):
            fresh = time_to_widgets(url, fresh=True, runs=args.runs, selector=WIDGET)
            back = time_to_widgets(url, fresh=False, runs=args.runs, selector=WIDGET)
        rows.append((label, med(fresh), med(back)))
        print(f"  {label}: fresh {fresh}, returning {back}", flush=True)

    # 2. the room server: browser timing, memory, load, stuck pages
    room = tmp / "room"
    port = free_port()
    cmd = [sys.executable, "-m", "digit4sd_widgets.cli", "serve", "--port", str(port),
           "--room", str(room), "--max-sessions", "200"]
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/voila/render/{APP}"
    load_results = {}
    with running(cmd, base + "/", tmp, settle=45) as proc:
        cookies = browser_cookies(room, "bench-browser", port)
        fresh, back = [], []
        for _ in range(args.runs):  # one load at a time, the pool refilled in between
            fresh += time_to_widgets(url, fresh=True, runs=1, selector=WIDGET, cookies=cookies)
            time.sleep(6)
        back = time_to_widgets(url, fresh=False, runs=args.runs, selector=WIDGET,
                               cookies=cookies)
        rows.append(("digit4sd serve", med(fresh), med(back)))
        print(f"  digit4sd serve: fresh {fresh}, returning {back}", flush=True)

        time.sleep(10)
        idle_kernels = kernel_pss(proc.pid)
        server_mib = process_pss(proc.pid)
        for n in args.clients:
            time.sleep(15)

            def cookies_for(i: int, n: int = n) -> dict[str, str]:
                return {COOKIE: signed_cookie(room, f"load-{n}-{i}")}

            summary = asyncio.run(run_load(url, n, args.arrival, cookies_for=cookies_for,
                                           shutdown=False, think_seconds=0.5, updates=3))
            live = kernel_pss(proc.pid)
            load_results[n] = (summary, live)
            print(f"  load {n}: served {summary['pages_served']}, failed "
                  f"{summary['failed']} {summary['failures']}", flush=True)
            # the participants leave: their pages close
            for r in summary["results"]:
                kid = r.get("kernel_id")
                if kid:
                    req = urllib.request.Request(f"{base}/voila/api/shutdown/{kid}", data=b"",
                                                 method="POST")
                    with contextlib.suppress(OSError):
                        urllib.request.urlopen(req, timeout=30).close()
        stuck_result = None
        if args.loads:
            time.sleep(10)
            stuck_result = count_stuck(url, loads=args.loads, timeout=60, selector=WIDGET,
                                       cookies=cookies)

    # ---------------------------------------------------------------------------- report
    base_fresh, base_back = rows[0][1], rows[0][2]
    print("\nTime to first visible widget, headless Chromium, app 3.2 "
          f"(median of {args.runs}; ratio: plain Voila cold = 1.00)")
    print(f"{'server':32} {'fresh':>8} {'ratio':>6} {'returning':>10} {'ratio':>6}")
    for label, f, b in rows:
        print(f"{label:32} {f:7.2f}s {f / base_fresh:6.2f} {b:9.2f}s {b / base_back:6.2f}")
    print("\nMemory (PSS, MiB)")
    print(f"  room server process: {server_mib:.0f}")
    if idle_kernels:
        print(f"  preheated kernels waiting: {len(idle_kernels)}, median "
              f"{statistics.median(idle_kernels):.0f} each")
    for n, (_summary, live) in load_results.items():
        if live:
            print(f"  with {n} participants: {len(live)} kernels, median "
                  f"{statistics.median(live):.0f}, max {max(live):.0f} each")
    print(f"\nLoad: participants arriving within {args.arrival:.0f} s, each loads the app and "
          "changes a widget 3 times")
    print(f"{'participants':>12} {'served':>7} {'failed':>7} {'page med':>9} {'page p95':>9} "
          f"{'rt med':>8} {'rt p95':>8} {'wall':>6}")
    for n, (s, _) in load_results.items():
        page, rt = s["page_seconds"], s["round_trip_seconds"]

        def fmt(v, unit="s", scale=1.0):
            return "-" if v is None else f"{v * scale:.2f}{unit}" if unit == "s" \
                else f"{v * scale:.0f}{unit}"

        print(f"{n:>12} {s['pages_served']:>7} {s['failed']:>7} {fmt(page['median']):>9} "
              f"{fmt(page['p95']):>9} {fmt(rt['median'], 'ms', 1000):>8} "
              f"{fmt(rt['p95'], 'ms', 1000):>8} {s['wall_seconds']:5.0f}s")
        if s["failures"]:
            print(f"{'':>12} failures: {s['failures']}")
    if stuck_result:
        ok, stuck, failed, details = stuck_result
        slow = [d["seconds"] for d in details if d["outcome"] == "ok"]
        print(f"\nStuck pages: {args.loads} loads of the app in one browser: {ok} showed "
              f"widgets, {stuck} stuck, {failed} other failures; median "
              f"{med(slow):.2f} s, slowest {max(slow) if slow else float('nan'):.2f} s")
        for d in details:
            if d["outcome"] != "ok":
                print(f"  load {d['index']}: {d['outcome']}: {d.get('reason')} "
                      f"({d.get('loading_text')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
