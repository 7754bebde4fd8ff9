"""Soak of the classroom server: does any answer get lost, do dead pages' kernels go?

N protocol-level participants (the project's own client, ``voila_client.py``: no browser, as
in a room the browsers run on the participants' laptops) join ``digit4sd serve`` and, for a
few minutes, open the 19 apps at random and answer knowledge-check questions (pick an option,
press Check: each press saves an answer in the participant's workbook). Most pages are closed
properly; some vanish without their unload step (a crashed tab, a closed lid); at the end every
participant vanishes that way. Then the benchmark reads the workbooks and waits for the grace.

It prints: answers sent (presses the kernel confirmed), answers found in the workbooks
afterwards (the last answer sent to each question by each participant), lost (must be 0),
set-aside files (must be 0), kernels alive after the clients vanished (at once, and after the
grace), peak memory of the server and its kernels (PSS), the load average.

    python benchmarks/bench_soak.py --participants 20 --minutes 3
    python benchmarks/bench_soak.py --participants 60 --minutes 3
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_serve import free_port, kernel_pss, process_pss, running, signed_cookie  # noqa: E402
from voila_client import (  # noqa: E402
    ClientError,
    CookieJar,
    KernelSocket,
    _fetch,
    _http_client,
    _sync_control,
    parse_page,
)

from digit4sd_widgets.course import SUBMODULES  # noqa: E402
from digit4sd_widgets.course.quizzes import QUIZZES  # noqa: E402
from digit4sd_widgets.serve.room import COOKIE  # noqa: E402
from digit4sd_widgets.workbook import is_set_aside  # noqa: E402

PROMPT = re.compile(r"^<b>(\d+)\. ")


@dataclass
class Tally:
    sent: int = 0
    visits: int = 0
    failed_visits: int = 0
    vanished: int = 0
    errors: list[str] = field(default_factory=list)
    #: (participant, submodule, question id) -> the last option index confirmed
    last: dict[tuple[str, str, str], int] = field(default_factory=dict)
    kernels: set[str] = field(default_factory=set)
    last_vanish: float = 0.0


def questions(states: dict[str, dict], sub_id: str) -> list[tuple[str, str, str, int]]:
    """(question id, radio model id, Check button model id, options) of the single-choice
    questions on the page's knowledge check."""
    bank = QUIZZES.get(sub_id) or []
    found = []
    for state in states.values():
        children = [c.removeprefix("IPY_MODEL_") for c in state.get("children") or []]
        if state.get("_model_name") != "VBoxModel" or len(children) < 3:
            continue
        prompt, control, row = (states.get(c, {}) for c in children[:3])
        match = PROMPT.match(str(prompt.get("value", "")))
        if not match or control.get("_model_name") != "RadioButtonsModel":
            continue
        buttons = [b.removeprefix("IPY_MODEL_") for b in row.get("children") or []]
        if not buttons or states.get(buttons[0], {}).get("description") != "Check":
            continue
        number = int(match.group(1))
        if number <= len(bank):
            found.append((bank[number - 1]["id"], children[1], buttons[0],
                          len(control.get("_options_labels") or [])))
    return found


async def visit(base: str, code: str, cookie: str, rng: random.Random, tally: Tally,
                http, *, vanish: bool, timeout: float = 240) -> None:
    sub = rng.choice(SUBMODULES)
    url = f"{base}/voila/render/{quote(sub.path)}"
    jar = CookieJar({COOKIE: cookie})
    tally.visits += 1
    socket = None
    try:
        response, page_url = await _fetch(http, jar, url, timeout=timeout,
                                          extra_headers={"Accept": "text/html"}, validate_cert=True)
        if response.code != 200:
            raise ClientError("page", f"HTTP {response.code}")
        info = parse_page(response.body.decode("utf-8", "replace"))
        if info.kernel_id:
            tally.kernels.add(info.kernel_id)
        root = urljoin(page_url, info.base_url)
        kernel_url = urljoin(root, f"api/kernels/{quote(info.kernel_id)}")
        ws_url = "ws" + kernel_url[len("http"):] + "/channels"
        socket = await KernelSocket.connect(ws_url, jar.header(), base, timeout=timeout)
        states = await _sync_control(socket, timeout)
        asked = questions(states, sub.id)
        for qid, radio, button, options in rng.sample(asked, min(len(asked), 2)):
            index = rng.randrange(options)
            await socket.request("comm_msg", {"comm_id": radio, "data": {
                "method": "update", "state": {"index": index}, "buffer_paths": []}},
                stage="update", timeout=timeout)
            await socket.request("comm_msg", {"comm_id": button, "data": {
                "method": "custom", "content": {"event": "click"}}},
                stage="click", timeout=timeout)
            tally.sent += 1
            tally.last[(code, sub.id, qid)] = index
            await asyncio.sleep(rng.uniform(0.2, 1.5))
        if vanish:
            tally.vanished += 1
            tally.last_vanish = time.monotonic()
            socket.ws.protocol.stream.close()  # no close frame, no shutdown request
            socket = None
            return
        await socket.close()
        socket = None
        xsrf = jar.cookies.get("_xsrf", "")
        await _fetch(http, jar, urljoin(root, f"voila/api/shutdown/{quote(info.kernel_id)}"),
                     method="POST", body=f"_xsrf={xsrf}", timeout=60, validate_cert=True,
                     extra_headers={"Content-Type": "application/x-www-form-urlencoded"})
    except Exception as exc:  # a participant reports, never stops the soak
        tally.failed_visits += 1
        if len(tally.errors) < 8:
            tally.errors.append(f"{code} {sub.id}: {type(exc).__name__} {exc}"[:200])
    finally:
        if socket is not None:
            socket.ws.protocol.stream.close()


async def participant(base: str, code: str, cookie: str, until: float, seed: int,
                      tally: Tally) -> None:
    rng = random.Random(seed)
    http = _http_client(4)
    await asyncio.sleep(rng.uniform(0, 30))  # arrivals spread over half a minute
    while time.monotonic() < until:
        last = time.monotonic() + 60 > until
        await visit(base, code, cookie, rng, tally, http,
                    vanish=last or rng.random() < 0.3)
        await asyncio.sleep(rng.uniform(2, 8))
    http.close()


def kernels_alive(base: str, cookie: str, kernel_ids: set[str]) -> tuple[int, Counter]:
    """How many of the kernels are alive, and their execution states."""
    import urllib.error
    import urllib.request

    states: Counter = Counter()
    for kid in filter(None, kernel_ids):
        req = urllib.request.Request(f"{base}/room/api/kernel/{kid}",
                                     headers={"Cookie": f"{COOKIE}={cookie}"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                answer = json.loads(r.read())
        except urllib.error.HTTPError:
            continue  # not a kernel id the room knows
        if answer["alive"]:
            states[answer["state"]] += 1
    return sum(states.values()), states


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--participants", type=int, default=20)
    ap.add_argument("--minutes", type=float, default=3.0)
    ap.add_argument("--grace-seconds", type=float, default=60)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="soak-"))
    room = tmp / "room"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "digit4sd_widgets.cli", "serve", "--port", str(port),
           "--room", str(room), "--grace-seconds", str(args.grace_seconds)]
    tally = Tally()
    peak = {"mib": 0.0, "kernels": 0}
    with running(cmd, base + "/", cwd=tmp) as proc:
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(5):
                sizes = kernel_pss(proc.pid)
                total = process_pss(proc.pid) + sum(sizes)
                if total > peak["mib"]:
                    peak["mib"], peak["kernels"] = total, len(sizes)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        codes = [f"soak-{i:02d}" for i in range(args.participants)]
        cookies = {c: signed_cookie(room, c) for c in codes}
        until = time.monotonic() + args.minutes * 60
        started = time.monotonic()

        async def everyone() -> None:
            await asyncio.gather(*(participant(base, c, cookies[c], until, args.seed + i,
                                               tally) for i, c in enumerate(codes)))

        asyncio.run(everyone())
        ran = time.monotonic() - started
        any_cookie = cookies[codes[0]]
        alive_at_once, _ = kernels_alive(base, any_cookie, tally.kernels)
        # the room looks for lost pages every grace/3 seconds (at most 10): give it one look
        look = max(1.0, min(10.0, args.grace_seconds / 3))
        time.sleep(max(0.0, tally.last_vanish + args.grace_seconds + look + 2
                       - time.monotonic()))
        alive_after, states_after = kernels_alive(base, any_cookie, tally.kernels)
        gone_after = None
        left = alive_after
        while left and time.monotonic() < tally.last_vanish + 4 * args.grace_seconds:
            time.sleep(5)
            left, _ = kernels_alive(base, any_cookie, tally.kernels)
        if not left:
            gone_after = time.monotonic() - tally.last_vanish
        load = os.getloadavg()
        stop.set()
        sampler.join()

    found = 0
    for (code, sub_id, qid), index in tally.last.items():
        path = room / "participants" / f"{code}.json"
        try:
            answers = json.loads(path.read_text(encoding="utf-8"))["answers"]
            stored = answers[f"{sub_id}/quiz"]["data"]["answers"].get(qid)
        except (OSError, ValueError, KeyError):
            stored = None
        found += stored == [index]
    aside = [p.name for p in (room / "participants").glob("*.json") if is_set_aside(p)]
    lost = len(tally.last) - found
    print(f"participants {args.participants}, {ran:.0f} s of soak, grace "
          f"{args.grace_seconds:g} s, load average {load[0]:.1f} / {load[1]:.1f} / "
          f"{load[2]:.1f} (1/5/15 min)")
    print(f"  page visits {tally.visits}, failed {tally.failed_visits}, "
          f"vanished without closing {tally.vanished}")
    print(f"  answers sent {tally.sent} ({len(tally.last)} distinct questions answered)")
    print(f"  answers found in the workbooks {found} of {len(tally.last)}, lost {lost}")
    print(f"  files set aside {len(aside)}{': ' + ', '.join(aside[:5]) if aside else ''}")
    print(f"  kernels of the soak's pages alive when the clients vanished {alive_at_once}, "
          f"one look after the grace {alive_after} (of {len(tally.kernels)} pages)"
          + (f", their states: {dict(states_after)}" if alive_after else ""))
    print("  every vanished page's kernel gone "
          + (f"{gone_after:.0f} s after the last page vanished" if gone_after is not None
             else f"NOT within {4 * args.grace_seconds:g} s: {left} left"))
    print(f"  peak memory: server and kernels {peak['mib']:.0f} MiB PSS with "
          f"{peak['kernels']} kernels")
    for error in tally.errors:
        print(f"  failed visit: {error}")
    return 1 if lost or aside or gone_after is None else 0


if __name__ == "__main__":
    raise SystemExit(main())
