"""The classroom server (``digit4sd serve``) without a browser: the apps made from the course,
the room's participant codes and cookies, the host's views, and a real server answering
HTTP and the kernel websocket (read-only, no files, capacity, kernel shutdown)."""

from __future__ import annotations

import asyncio
import contextlib
import html
import http.cookiejar
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest

from digit4sd_widgets.course import SUBMODULES
from digit4sd_widgets.course.apps import app_cells, build_apps, read_release
from digit4sd_widgets.course.release import leaks
from digit4sd_widgets.examples import example_answers, example_workbook
from digit4sd_widgets.serve import room as room_mod
from digit4sd_widgets.serve.server import (
    STATIC_TAG,
    RoomSettings,
    feedback_csv,
    host_html,
    landing_html,
    participants,
    plenary_html,
)
from digit4sd_widgets.workbook import ENV_VAR, Workbook

from .browser import free_port, server, wait_until_ready

EXERCISE_CALL = re.compile(r"^[A-Z]\w+\(.*\)$", re.M)


# ---------------------------------------------------------------------------------- apps
def test_apps_keep_text_and_exercises_and_drop_tasks_checks_and_answers(tmp_path):
    paths = build_apps(tmp_path)
    assert len(paths) == len(SUBMODULES) == 19
    assert not leaks(tmp_path)
    for sub, path in zip(SUBMODULES, paths, strict=True):
        app = nbformat.read(path, as_version=4)
        release = read_release(sub)
        assert app.cells[0].source.endswith("participant = join()"), sub.id
        sources = "\n".join(c.source for c in app.cells)
        assert "NotImplementedError" not in sources and "load_answer" not in sources, sub.id
        assert "YOUR ANSWER HERE" not in sources and "Write your answer here" not in sources
        assert not any(c.metadata.get("nbgrader") for c in app.cells), sub.id
        # every exercise of the notebook is in its app
        calls = [m for c in release.cells if c.cell_type == "code"
                 for m in EXERCISE_CALL.findall(c.source)]
        assert calls and all(call in sources for call in calls), sub.id
        # the opening text and the summary stay
        assert app.cells[1].source.startswith(f"# {sub.id}"), sub.id
        assert "## Summary" in sources, sub.id


def test_the_text_of_a_dropped_task_goes_with_it():
    cells = app_cells(read_release(SUBMODULES[8]))  # 3.1: a code route, checks, a reflection
    text = "\n".join(c.source for c in cells)
    assert "**Task.**" not in text and "Run the cell below" not in text
    assert "Answer with code instead" not in text and "take(globals())" not in text
    assert "Reflection" not in text
    assert "## Knowledge check" in text and 'DataTasks("3.1")' in text


def test_no_app_speaks_of_what_it_does_not_show():
    """Apps hide code, outputs and grading: their text must not send a participant to a
    variable, a printed row or a cell, nor speak of assignments or marks."""
    import re

    hidden = re.compile(r"`[a-z_][a-z0-9_]*`|printed above|rows? printed|cell below|"
                        r"run the cell|\bassignments?\b|\bmarks?\b", re.IGNORECASE)
    found = []
    for sub in SUBMODULES:
        for cell in app_cells(read_release(sub)):
            if cell.cell_type == "markdown":
                found += [f"{sub.id}: {line}" for line in cell.source.splitlines()
                          if hidden.search(line)]
    assert not found, "\n".join(found)


def _run_app(path: Path, env: dict) -> str | None:
    """Execute an app notebook in its own kernel; the error text, or None."""
    import subprocess

    code = ("import sys, nbformat\nfrom nbclient import NotebookClient\n"
            "nb = nbformat.read(sys.argv[1], as_version=4)\n"
            "nb.cells.append(nbformat.v4.new_code_cell("
            "'from digit4sd_widgets import Workbook; print(Workbook.default_path())'))\n"
            "NotebookClient(nb, timeout=120, kernel_name='python3').execute()\n"
            "bad = [o for c in nb.cells if c.cell_type == 'code' for o in c.outputs "
            "if o.output_type == 'error' or o.get('name') == 'stderr']\n"
            "print(len(bad)); print(bad[:1]); print(nb.cells[-1].outputs[0]['text'])\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, env={**os.environ, **env}, cwd=path.parent, timeout=600)
    if done.returncode != 0 or not done.stdout.startswith("0"):
        return f"{path.name}: {done.stdout[-1500:]} {done.stderr[-1500:]}"
    if not done.stdout.strip().endswith(f"{os.sep}participants{os.sep}amina-k.json"):
        return f"{path.name} used another workbook: {done.stdout.strip().splitlines()[-1]}"
    return None


@pytest.mark.slow
def test_every_app_runs_clean_for_a_participant(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    apps = build_apps(tmp_path / "apps")
    room = tmp_path / "room"
    secret = room_mod.cookie_secret(room)
    cookie = _signed_cookie(secret, "amina-k")
    env = {room_mod.ROOM_ENV: str(room), "HTTP_COOKIE": cookie, "VOILA_PREHEAT": "False"}
    with ThreadPoolExecutor(max_workers=2) as pool:
        problems = [p for p in pool.map(lambda a: _run_app(a, env), apps) if p]
    assert not problems, "\n".join(problems)
    # nothing was written next to the apps: the participant's workbook is in the room
    assert not list((tmp_path / "apps").rglob("*.json"))


# ---------------------------------------------------------------------------------- room
def _signed_cookie(secret: bytes, code: str, name: str = room_mod.COOKIE) -> str:
    from tornado.web import create_signed_value

    return f"{name}={create_signed_value(secret, name, code).decode()}; _xsrf=abc"


def test_join_ties_the_kernel_to_the_signed_participant_only(tmp_path, monkeypatch):
    secret = room_mod.cookie_secret(tmp_path)
    monkeypatch.setenv(room_mod.ROOM_ENV, str(tmp_path))
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("HTTP_COOKIE", _signed_cookie(secret, "table-4"))
    assert room_mod.join() == "table-4"
    assert os.environ[ENV_VAR] == str(tmp_path / "participants" / "table-4.json")
    # an unsigned or foreign-signed cookie is nobody
    for forged in (f"{room_mod.COOKIE}=table-4", _signed_cookie(b"x" * 32, "table-4")):
        assert room_mod.code_from_cookie_header(forged, secret) is None
    assert room_mod.code_from_cookie_header(None, secret) is None
    assert room_mod.code_from_cookie_header("garbage;;==", secret) is None


def test_join_does_nothing_outside_a_room(monkeypatch):
    monkeypatch.delenv(room_mod.ROOM_ENV, raising=False)
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert room_mod.join() is None
    assert ENV_VAR not in os.environ


@pytest.mark.parametrize("bad", ["", "a", "a b", "../etc", "x" * 25, "<b>", "-ab", "é-1"])
def test_participant_codes_are_short_and_safe(bad):
    with pytest.raises(ValueError, match="2 to 24"):
        room_mod.participant_code(bad)


# ---------------------------------------------------------------------------------- pages
def test_landing_page_lists_the_course_and_the_workshop_path():
    text = landing_html("amina-k", access_code=False)
    links = re.findall(r'href="voila/render/([^"]+)"', text)
    assert links == [s.path for s in SUBMODULES]
    assert "Day 1" in text and "Day 2" in text and "me/dossier.html" in text
    anonymous = landing_html(None, access_code=True, error="<script>x</script>")
    assert "voila/render" not in anonymous and 'name="access"' in anonymous
    assert "<script>x" not in anonymous and html.escape("<script>x</script>") in anonymous


@pytest.fixture()
def filled_room(tmp_path):
    room = tmp_path / "room"
    wb = Workbook.open(room / "participants" / "group-1.json", siblings=False)
    example_workbook(wb, country="ETH")
    wb.set_case(target_area="<img src=x onerror=alert(1)> land registry")
    (room / "participants" / "broken.json").write_text("{not json", encoding="utf-8")
    return room


def test_host_sees_every_participant_escaped(filled_room):
    rows = participants(filled_room)
    assert {r["code"] for r in rows} == {"group-1", "broken"}
    page = host_html(filled_room, RoomSettings(filled_room), live=3)
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert 'href="host/workbook/group-1.json"' in page
    assert 'href="host/show/group-1/implementation_canvas"' in page


def test_plenary_shows_one_groups_canvas(filled_room):
    text = plenary_html(filled_room, "group-1", "implementation_canvas")
    assert text and "Implementation canvas" in text and "<dt>KPIs</dt>" in text
    assert plenary_html(filled_room, "group-1", "no_such_kind") is None
    assert plenary_html(filled_room, "nobody", "implementation_canvas") is None


def test_feedback_csv_has_one_row_per_participant_who_answered(filled_room):
    lines = feedback_csv(filled_room).strip().splitlines()
    assert lines[0].startswith("participant,")
    assert len(lines) == 2 and lines[1].startswith("group-1,")


# ------------------------------------------------------------------------ a real server
class Client:
    """A participant's HTTP client with its own cookies (no redirects followed)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: dict | None = None, method: str | None = None,
                timeout: float = 120, headers: dict | None = None, origin: bool = True
                ) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, method=method,
                                     headers=headers or {})
        if (method or ("POST" if body is not None else "GET")) not in ("GET", "HEAD") \
                and origin:
            req.add_header("Origin", self.base)  # as a browser does on the room's own pages
        try:
            with self.opener.open(req, timeout=timeout) as r:
                return r.status, r.read().decode("utf-8", "replace"), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace"), dict(e.headers)

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def kernel_message(msg_type: str, content: dict) -> str:
    """A Jupyter message as a browser's page sends it on the widget channel."""
    return json.dumps({"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type,
                                  "username": "", "session": uuid.uuid4().hex,
                                  "version": "5.3", "date": ""},
                       "parent_header": {}, "metadata": {}, "content": content,
                       "channel": "shell", "buffers": []})


async def read_until_info_reply(conn, seconds: float, settle: float) -> list[str]:
    """The widget channel's messages (as text) until the kernel's ``comm_info_reply`` and
    ``settle`` seconds more (time for anything else to arrive), or ``seconds`` in all."""
    seen: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(asyncio.TimeoutError):
            raw = await asyncio.wait_for(conn.read_message(), 2)
            if raw is None:
                break
            seen.append(raw if isinstance(raw, str) else raw.decode("utf-8", "replace"))
            if "comm_info_reply" in seen[-1]:
                await asyncio.sleep(settle)
                break
    return seen


def kernel_id(page: str) -> str:
    config = re.search(r'<script id="jupyter-config-data" type="application/json">\s*(.*?)'
                       r"\s*</script>", page, re.S)
    return json.loads(config.group(1))["kernelId"]


@pytest.fixture(scope="module")
def room_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    port = free_port()
    cmd = [sys.executable, "-m", "digit4sd_widgets.cli", "serve", "--port", str(port),
           "--room", str(tmp / "room"), "--pool", "0", "--max-sessions", "2"]
    base = f"http://127.0.0.1:{port}"
    with server(cmd, base + "/", cwd=tmp, log=tmp / "serve.log"):
        yield base, tmp / "room", tmp / "serve.log"


APP = "/voila/render/m3_planning_analysis/3_2_stakeholders.ipynb"


@pytest.mark.slow
def test_a_participant_joins_opens_an_app_and_nothing_else_is_served(room_server):
    base, _, _ = room_server
    anon = Client(base)
    status, _, headers = anon.request(APP)
    assert status == 302 and headers["Location"] == "/", "an app needs a participant code"
    status, text, _ = anon.request("/join", {"code": "a b"})
    assert status == 400 and "2 to 24" in text
    me = Client(base)
    status, _, _ = me.request("/join", {"code": "Amina-K"})
    assert status == 302
    status, text, _ = me.request("/")
    assert status == 200 and "You are <b>amina-k</b>" in text
    assert len(re.findall(r'href="voila/render/', text)) == 19
    status, page, _ = me.request(APP)
    assert status == 200 and "Stakeholder" in page
    # no code, no traceback, no instructor material, nothing fetched from the internet
    for secret in ("import join", "country = None", "from digit4sd_widgets", "Traceback",
                   "NotImplementedError", "BEGIN SOLUTION", "You have not joined"):
        assert secret not in page, secret
    assert not re.findall(r'(?:src|href)="https?://', page)
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page
    # the notebook files, the file tree and the contents API are not there
    for path in ("/voila/files/m3_planning_analysis/3_2_stakeholders.ipynb",
                 "/voila/tree", "/voila/api/contents", "/voila/api/contents/m3_planning_analysis",
                 "/voila/render/../apps/m3_planning_analysis/3_2_stakeholders.ipynb",
                 "/voila/render/m3_planning_analysis/nope.ipynb",
                 "/voila/files/.cookie_secret", "/voila/static/../../../../etc/passwd",
                 "/api/kernels", "/api/contents", "/host", "/host/workbooks.zip",
                 "/host/workbook/amina-k.json"):
        status, body, _ = me.request(path)
        assert status in (403, 404, 405), (path, status)
        assert "cookie_secret" not in body and "root:" not in body
    # the participant's own downloads
    status, dossier, headers = me.request("/me/dossier.html")
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    assert "dossier" in dossier.lower()
    kid = kernel_id(page)
    status, state, _ = me.request(f"/room/api/kernel/{kid}")
    assert status == 200 and json.loads(state)["alive"] is True
    status, _, _ = me.request(f"/voila/api/shutdown/{kid}", {}, method="POST")
    assert status == 204
    status, state, _ = me.request(f"/room/api/kernel/{kid}")
    assert json.loads(state)["alive"] is False, "the page's kernel was not stopped"


@pytest.mark.slow
def test_the_browser_cannot_run_code_in_a_kernel(room_server, tmp_path):
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    base, _, _ = room_server
    me = Client(base)
    me.request("/join", {"code": "mallory"})
    status, page, _ = me.request(APP)
    assert status == 200
    kid = kernel_id(page)
    target = tmp_path / "owned.txt"

    async def attack() -> list[str]:
        url = base.replace("http", "ws") + f"/api/kernels/{kid}/channels?session_id=x"
        conn = await websocket_connect(HTTPRequest(url, headers={
            "Cookie": me.cookie_header()}))
        conn.write_message(kernel_message("execute_request", {
            "code": f"open({str(target)!r}, 'w').write('x')", "silent": False,
            "store_history": False, "user_expressions": {}, "allow_stdin": False}))
        conn.write_message(kernel_message("comm_info_request", {"target_name": "jupyter.widget"}))
        seen = [json.loads(raw)["header"]["msg_type"]
                for raw in await read_until_info_reply(conn, 20, settle=3)]
        conn.close()
        return seen

    seen = asyncio.run(attack())
    assert "comm_info_reply" in seen, f"the widget channel did not answer: {seen}"
    assert "execute_reply" not in seen and not target.exists()
    me.request(f"/voila/api/shutdown/{kid}", {}, method="POST")


@pytest.mark.slow
def test_a_full_room_gets_a_retry_page_not_a_dead_host(room_server):
    base, _, _ = room_server
    clients = [Client(base) for _ in range(3)]
    kernels = []
    for i, c in enumerate(clients[:2]):
        c.request("/join", {"code": f"p{i}x"})
        status, page, _ = c.request(APP)
        assert status == 200
        kernels.append((c, kernel_id(page)))
    third = clients[2]
    third.request("/join", {"code": "late-one"})
    status, page, headers = third.request(APP)
    assert status == 503 and "room is full" in page and headers["Retry-After"]
    c, kid = kernels.pop()
    c.request(f"/voila/api/shutdown/{kid}", {}, method="POST")
    status, page, _ = third.request(APP)
    assert status == 200
    for c, kid in [*kernels, (third, kernel_id(page))]:
        c.request(f"/voila/api/shutdown/{kid}", {}, method="POST")


@pytest.mark.slow
def test_the_host_page_needs_the_key_printed_at_start(room_server):
    base, _, log = room_server
    printed = re.search(r"/host\?key=(\S+)", log.read_text(encoding="utf-8"))
    assert printed, "the host key was not printed"
    host = Client(base)
    assert host.request("/host")[0] == 403
    assert host.request("/host?key=wrong")[0] == 403
    status, text, _ = host.request(f"/host?key={printed.group(1)}")
    assert status == 200 and "Host page" in text and "app pages connected now" in text
    status, _, headers = host.request("/host/workbooks.zip")  # the cookie now says host
    assert status == 200 and headers["Content-Type"] == "application/zip"
    status, _, _ = host.request("/host/feedback.csv")
    assert status == 200


@pytest.mark.slow
def test_an_app_page_comes_compressed_with_the_participants_own_work_first(room_server):
    """Gzip really applies (Voila sets it too late for tornado), and the page's first bytes
    carry the participant's saved work, drawn by the server with typed text as text."""
    import gzip

    base, room_dir, _ = room_server
    me = Client(base)
    me.request("/join", {"code": "first-look"})
    book = Workbook.open(room_dir / "participants" / "first-look.json", siblings=False)
    stored = dict(next(state for _, kind, state in example_answers("ETH")
                       if kind == "stakeholder_matrix"))
    stored["stakeholders"] = [{**stored["stakeholders"][0], "name": "<b>Bureau</b> & co"},
                              *stored["stakeholders"][1:]]
    book.set("3.2/stakeholder_matrix", "stakeholder_matrix", stored)
    wait_until_ready(base, timeout=120)  # the snapshot worker is warm

    def fetch(path: str) -> tuple[bytes, dict]:
        req = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
        with me.opener.open(req, timeout=120) as reply:
            return reply.read(), dict(reply.headers)

    raw, headers = fetch(APP)
    assert headers.get("Content-Encoding") == "gzip", headers
    page = gzip.decompress(raw).decode()
    assert len(raw) < len(page) / 3
    snap = page.index('id="d4-snapshot"')
    assert snap < page.index('id="jupyter-config-data"'), "the snapshot must come first"
    assert "&lt;b&gt;Bureau&lt;/b&gt; &amp; co" in page and "<b>Bureau</b>" not in page
    assert "Preparing your exercise" in page and "Executing" not in page.split("<script")[0]
    for secret in ("Traceback", "from digit4sd_widgets", "BEGIN SOLUTION"):
        assert secret not in page
    # Voila's front end: compressed, under a URL that names its version, kept for good
    assert f'src="/voila/static/{STATIC_TAG}/voila.js"' in page
    assert f'"fullStaticUrl": "/voila/static/{STATIC_TAG}"' in page
    script, headers = fetch(f"/voila/static/{STATIC_TAG}/voila.js")
    assert headers.get("Content-Encoding") == "gzip" and len(script) < 100_000
    assert "immutable" in headers["Cache-Control"] and "max-age=31536000" in \
        headers["Cache-Control"]
    status, body, _ = me.request(f"/voila/static/{STATIC_TAG}/../../../../../etc/passwd")
    assert status in (403, 404) and "root:" not in body
    # the work stays as it was: drawing it wrote nothing
    again = Workbook.open(room_dir / "participants" / "first-look.json", siblings=False)
    assert again.get("3.2/stakeholder_matrix") == stored
    me.request(f"/voila/api/shutdown/{kernel_id(page)}", {}, method="POST")


def test_the_readme_front_door_serves_the_course():
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```bash\n(.*?)\n```", readme, re.S).group(1).strip()
    assert first == "bash scripts/serve"
    script = (root / "scripts" / "serve").read_text(encoding="utf-8")
    assert 'exec .venv/bin/digit4sd serve "$@"' in script
    assert "pip install --quiet -e ." in script


@pytest.mark.slow
def test_a_room_with_an_access_code_lets_in_only_those_who_know_it(tmp_path):
    port = free_port()
    cmd = [sys.executable, "-m", "digit4sd_widgets.cli", "serve", "--port", str(port),
           "--room", str(tmp_path / "room"), "--pool", "0", "--access-code", "t4b-l3s9"]
    base = f"http://127.0.0.1:{port}"
    with server(cmd, base + "/", cwd=tmp_path, log=tmp_path / "serve.log"):
        stranger = Client(base)
        status, text, _ = stranger.request("/join", {"code": "intruder", "access": "T4BL3S8"})
        assert status == 403 and "room code is not right" in text
        assert stranger.request(APP)[0] == 302, "no participant cookie was given"
        guest = Client(base)
        assert guest.request("/join", {"code": "table-1", "access": " t4b-l3s9 "})[0] == 302
        status, text, _ = guest.request("/")
        assert status == 200 and "You are <b>table-1</b>" in text
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "room code: T4BL3S9" in log


@pytest.mark.slow
def test_a_page_that_dies_without_its_unload_step_loses_its_kernel(tmp_path):
    """A crashed tab or a closed laptop never says goodbye: its kernel is stopped once the
    page has had no websocket for the grace; the host page counts only connected pages."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    port = free_port()
    cmd = [sys.executable, "-m", "digit4sd_widgets.cli", "serve", "--port", str(port),
           "--room", str(tmp_path / "room"), "--pool", "0", "--grace-seconds", "3"]
    base = f"http://127.0.0.1:{port}"
    with server(cmd, base + "/", cwd=tmp_path, log=tmp_path / "serve.log") as proc:
        found = None
        deadline = time.monotonic() + 30
        while found is None and time.monotonic() < deadline:
            time.sleep(0.2)
            found = re.search(r"host\?key=(\S+)",
                              (tmp_path / "serve.log").read_text(encoding="utf-8"))
        assert found, f"no host link printed by {proc.args}"
        key = found.group(1)
        host = Client(base)
        assert host.request(f"/host?key={key}")[0] == 200
        me = Client(base)
        me.request("/join", {"code": "lid-closed"})
        status, page, _ = me.request(APP)
        assert status == 200
        connected_kid = kernel_id(page)

        def alive(kid: str) -> bool:
            return json.loads(me.request(f"/room/api/kernel/{kid}")[1])["alive"]

        async def connect_then_vanish() -> tuple[str, str]:
            url = base.replace("http", "ws") + \
                f"/api/kernels/{connected_kid}/channels?session_id=x"
            conn = await websocket_connect(HTTPRequest(url, headers={
                "Cookie": me.cookie_header()}))
            status, second, _ = me.request(APP)  # a second tab whose scripts never ran
            assert status == 200
            await asyncio.sleep(6)  # well past the grace: a connected page keeps its kernel
            assert alive(connected_kid)
            shown = host.request("/host")[1]
            conn.protocol.stream.close()  # the network goes, no close frame, no shutdown call
            return shown, kernel_id(second)

        shown, never_kid = asyncio.run(connect_then_vanish())
        assert "1 app page connected now" in shown
        deadline = time.monotonic() + 60
        while (alive(connected_kid) or alive(never_kid)) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not alive(connected_kid), "a vanished page's kernel was kept"
        assert not alive(never_kid), "a page that never connected kept its kernel"
        assert "0 app pages connected now" in host.request("/host")[1]
