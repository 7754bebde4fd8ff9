"""The room against its own network: cross-site requests, guessed access codes, other
participants' kernels, a burst of pages over the session limit, template overrides, formula
injection in the host's CSV, and odd input that must never give a 500 or a server path."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from digit4sd_widgets.atomic import spreadsheet_safe
from digit4sd_widgets.serve.gate import (
    ALPHABET,
    JoinLimiter,
    Owners,
    check_access_code,
    new_access_code,
    same_access_code,
)
from digit4sd_widgets.serve.server import feedback_csv
from digit4sd_widgets.workbook import Workbook

from .browser import free_port, server
from .test_serve_server import APP, Client, kernel_id, kernel_message, read_until_info_reply

FORMULAS = ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)",
            "-2+3", "\t=1"]


# --------------------------------------------------------------------------- fast
def test_access_codes_are_long_enough_and_compared_without_errors():
    code = new_access_code()
    assert len(code) == 6 and set(code) <= set(ALPHABET)
    assert len({new_access_code() for _ in range(50)}) == 50
    for short in ("4821", "abc12", ""):
        with pytest.raises(ValueError, match="6 to 32"):
            check_access_code(short)
    with pytest.raises(ValueError, match="letters and digits"):
        check_access_code("été-2026")
    assert check_access_code("t4b-l3s9") == "T4BL3S9"
    assert same_access_code(" t4b l3s9 ", "T4BL3S9")
    for odd in ("é" * 40, "\x00", "T4BL3S", "😀😀😀😀😀😀"):
        assert same_access_code(odd, "T4BL3S9") is False


def test_wrong_codes_lock_a_client_out_longer_each_time():
    limiter = JoinLimiter(tries=5, window=600, lock=60, max_lock=900)
    for i in range(4):
        assert limiter.failed("10.0.0.7", now=i) == 0
    assert limiter.failed("10.0.0.7", now=4) == 60
    assert limiter.wait("10.0.0.7", now=30) == pytest.approx(34)
    assert limiter.wait("10.0.0.8", now=30) == 0, "another computer is not locked out"
    for i in range(5):
        limiter.failed("10.0.0.7", now=100 + i)
    assert limiter.wait("10.0.0.7", now=104) == pytest.approx(120)
    # the whole space of six characters at five tries per lock: far beyond a workshop
    tries_per_day = 5 * 24 * 3600 / 900
    assert len(ALPHABET) ** 6 / tries_per_day / 365 > 1000  # years


def test_kernels_belong_to_one_participant():
    owners = Owners()
    owners.give("k1", "amina")
    assert owners.owns("k1", "amina") and not owners.owns("k1", "mallory")
    assert not owners.owns("k1", None) and not owners.owns("k2", "amina")
    owners.KEEP = 3
    for kid in ("k2", "k3", "k4"):
        owners.give(kid, "amina")
    assert owners.owner("k1") is None and owners.owns("k4", "amina")


def test_the_hosts_csv_is_safe_to_open_in_a_spreadsheet(tmp_path):
    for text in FORMULAS:
        assert spreadsheet_safe(text).startswith("'"), text
    assert spreadsheet_safe("-0.5") == "-0.5" and spreadsheet_safe("plain") == "plain"
    room = tmp_path / "room"
    (room / "participants").mkdir(parents=True)
    wb = Workbook.open(room / "participants" / "mallory.json")
    from digit4sd_widgets.exercises.feedback import FeedbackFormModel

    data = FeedbackFormModel(most_useful=FORMULAS[0], improve=FORMULAS[1],
                             role=FORMULAS[2]).to_dict()
    wb.set("6.3/toolkit_feedback", "toolkit_feedback", data)
    text = feedback_csv(room)
    import csv
    import io

    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    typed = [c for c in cells if any(f.strip("\t") in c for f in FORMULAS)]
    assert typed, text
    assert all(c.startswith("'") for c in typed), typed


# --------------------------------------------------------------------------- a real room
@pytest.fixture(scope="module")
def room(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hardening")
    port = free_port()
    cmd = [sys.executable, "-m", "digit4sd_widgets.cli", "serve", "--port", str(port),
           "--room", str(tmp / "room"), "--pool", "0", "--max-sessions", "4",
           "--access-code", "auto"]
    base = f"http://127.0.0.1:{port}"
    with server(cmd, base + "/", cwd=tmp, log=tmp / "serve.log"):
        log = (tmp / "serve.log").read_text(encoding="utf-8")
        code = log.split("room code: ", 1)[1].split()[0]
        yield {"base": base, "code": code, "log": tmp / "serve.log", "room": tmp / "room"}


def joined(room, name: str) -> Client:
    me = Client(room["base"])
    status, text, _ = me.request("/join", {"code": name, "access": room["code"]})
    assert status == 302, (status, text[:300])
    return me


def test_a_short_access_code_is_refused_at_start(tmp_path):
    done = subprocess.run([sys.executable, "-m", "digit4sd_widgets.cli", "serve", "--room",
                           str(tmp_path / "r"), "--access-code", "4821"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "6 to 32" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_the_server_makes_the_access_code_and_state_changes_need_the_rooms_origin(room):
    assert len(room["code"]) == 6 and set(room["code"]) <= set(ALPHABET)
    for headers in ({"Origin": "http://evil.example"}, {"Referer": "http://evil.example/x"},
                    {}):
        stranger = Client(room["base"])
        status, _, got = stranger.request("/join", {"code": "csrf", "access": room["code"]},
                                          headers=headers, origin=False)
        assert status == 403, headers
        assert "d4_participant" not in got.get("Set-Cookie", ""), headers
    assert joined(room, "amina").request("/")[0] == 200


@pytest.mark.slow
def test_a_participants_kernel_answers_no_one_else(room):
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    amina, mallory = joined(room, "amina-k"), joined(room, "mallory")
    status, page, _ = amina.request(APP)
    assert status == 200
    kid = kernel_id(page)
    assert amina.request(f"/api/kernels/{kid}")[0] == 200
    for who in (mallory, Client(room["base"])):
        assert who.request(f"/api/kernels/{kid}")[0] == 404
        assert who.request(f"/room/api/kernel/{kid}")[0] == 403
        assert who.request(f"/voila/api/shutdown/{kid}", {}, method="POST")[0] == 403
    # the kernel API does not stop kernels, whatever _xsrf token comes with the request
    xsrf = uuid.uuid4().hex
    status, _, _ = mallory.request(f"/api/kernels/{kid}?_xsrf={xsrf}", method="DELETE",
                                   headers={"Cookie": f"_xsrf={xsrf}; "
                                            + mallory.cookie_header()})
    assert status in (403, 404, 405)

    async def connect(cookie: str) -> str:
        url = room["base"].replace("http", "ws") + f"/api/kernels/{kid}/channels?session_id=x"
        try:
            conn = await websocket_connect(HTTPRequest(url, headers={"Cookie": cookie}))
        except HTTPClientError as exc:
            return f"refused {exc.code}"
        conn.close()
        return "open"

    assert asyncio.run(connect("")) == "refused 403"
    assert asyncio.run(connect(mallory.cookie_header())) == "refused 403"
    assert asyncio.run(connect(amina.cookie_header())) == "open"
    assert json.loads(amina.request(f"/room/api/kernel/{kid}")[1])["alive"] is True
    assert amina.request(f"/voila/api/shutdown/{kid}", {}, method="POST")[0] == 204


@pytest.mark.slow
def test_only_the_rooms_template_is_ever_served(room):
    me = joined(room, "templates")
    for name in ("lab", "classic", "reveal", "base", "../lab"):
        status, _, headers = me.request(f"{APP}?template={name}", timeout=30)
        assert status == 302 and headers["Location"] == APP, name
    status, _, headers = me.request(f"{APP}?theme=dark", timeout=30)
    assert status == 302


@pytest.mark.slow
def test_odd_input_never_gives_a_500_or_a_server_path(room):
    me = joined(room, "odd-input")
    checks = [
        ("/host?key=%C3%A9t%C3%A9", None), ("/host?key=%00", None), ("/logout", None),
        ("/voila/templates/%2e%2e/%2e%2e/etc/passwd", None),
        ("/voila/templates/lab/static/%2e%2e%2f%2e%2e%2fconf.json", None),
        ("/voila/templates/%00", None), ("/voila/static/%2e%2e/x", None),
        ("/voila/labextensions/%2e%2e/%2e%2e/x", None), ("/host/show/%E2%82%AC/canvas", None),
        ("/join", {"code": "ü" * 30, "access": "€€€€€€"}),
        ("/join", {"code": "x", "access": "\x00" * 10}),
        ("/me/workbook.json", None),
    ]
    for path, data in checks:
        status, body, _ = me.request(path, data, timeout=30)
        assert status < 500, (path, status, body[:300])
        assert "Traceback" not in body and str(room["room"]) not in body, path
        assert "/site-packages/" not in body, path


@pytest.mark.slow
def test_kernel_errors_never_reach_the_browser(room):
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    me = joined(room, "comm-errors")
    _status, page, _ = me.request(APP)
    kid = kernel_id(page)

    async def poke() -> list[str]:
        url = room["base"].replace("http", "ws") + f"/api/kernels/{kid}/channels?session_id=x"
        conn = await websocket_connect(HTTPRequest(url, headers={"Cookie": me.cookie_header()}))
        # messages to widgets that do not exist, and a malformed one, make the kernel log
        # errors with its file paths
        for content in ({"comm_id": "nope", "data": {"method": "update", "state": {}}},
                        {"comm_id": None, "data": None}, {"data": {"method": "custom"}}):
            conn.write_message(kernel_message("comm_msg", content))
        conn.write_message(kernel_message("comm_info_request", {"target_name": "jupyter.widget"}))
        # then read on a while: a kernel's error could come after its reply
        seen = await read_until_info_reply(conn, 15, settle=5)
        seen += await read_until_info_reply(conn, 3, settle=0)
        conn.close()
        return seen

    seen = asyncio.run(poke())
    assert any("comm_info_reply" in m for m in seen)
    for m in seen:
        assert '"stderr"' not in m and '"msg_type": "error"' not in m, m[:300]
        assert "site-packages" not in m and "Traceback" not in m, m[:300]


@pytest.mark.slow
def test_max_sessions_holds_under_a_burst_of_pages(room):
    clients = [joined(room, f"burst-{i}") for i in range(12)]
    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda c: c.request(APP, timeout=180)[0], clients))
    served = statuses.count(200)
    assert 1 <= served <= 4 and statuses.count(503) == 12 - served, statuses
    log = room["log"].read_text(encoding="utf-8")
    key = log.split("host?key=", 1)[1].split()[0]
    status, host, _ = Client(room["base"]).request(f"/host?key={key}")
    running = int(host.split(" kernels running")[0].rsplit("· ", 1)[1])
    assert status == 200 and running <= 4, running


@pytest.mark.slow
def test_guessing_the_access_code_locks_the_computer_out(room):
    # last: every client of this test shares one address, 127.0.0.1
    guesser = Client(room["base"])
    statuses = [guesser.request("/join", {"code": "guess", "access": f"WRONG{i}"})[0]
                for i in range(5)]
    assert statuses == [403] * 5
    status, text, headers = guesser.request("/join", {"code": "guess",
                                                      "access": room["code"]})
    assert status == 429 and "wait" in text and int(headers["Retry-After"]) > 0
