"""A real class on JupyterHub: one instructor and two learners, nbgrader's exchange, and the
gradebook on a PostgreSQL server, all started here (see ``hub_harness.py``).

The whole round trip goes through the Hub's proxy with the users' own logins, the way their
browsers would: release (formgrader service) -> fetch -> answer -> submit (each learner's
server) -> collect -> autograde -> feedback (formgrader) -> fetch feedback. Then the grades are
read back from PostgreSQL, and one learner tries to read what is not theirs.

Needs root, PostgreSQL and the proxy; skipped without them, an error in CI
(``DIGIT4SD_REQUIRE_HUB=1``).
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import nbformat
import pytest

from tests import hub_harness as hh

ASSIGNMENT = "m1_getting_started"
KINDS = {0: "perfect", 1: "partial"}  # learner index -> synthetic learner kind

pytestmark = pytest.mark.slow

why_not = hh.missing()
if why_not and os.environ.get("DIGIT4SD_REQUIRE_HUB") == "1":
    raise RuntimeError(f"the JupyterHub test cannot run: {why_not}")
if why_not:
    pytest.skip(why_not, allow_module_level=True)


def ok_json(r) -> dict | list:
    assert r.status_code == 200, f"{r.request.method} {r.url}: {r.status_code} {r.text[:500]}"
    return r.json()


_FAILED: list[BaseException] = []


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Set up, start, and take the class through one assignment; yield what happened."""
    from digit4sd_widgets.grade.synthetic import make_learner

    if _FAILED:  # pytest asks again for each test; the class is not run twice
        pytest.fail(f"the class round trip failed: {_FAILED[0]!r}")

    hub = hh.Hub(learners=2, instructors=1)
    record: dict = {"hub": hub, "times": {}}
    t = record["times"]
    try:
        t0 = time.perf_counter()
        record["setup"] = hub.setup()
        t["setup"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        hub.start()
        t["hub_start"] = time.perf_counter() - t0
        teacher, (learn1, learn2) = hub.instructors[0], hub.learners

        # the instructor releases the assignment from the formgrader
        t0 = time.perf_counter()
        record["release"] = hub.formgrader(teacher, "release", ASSIGNMENT)
        t["release"] = time.perf_counter() - t0

        # each learner: own server, fetch, answer, submit
        answers = tmp_path_factory.mktemp("answers")
        for index, name in enumerate(hub.learners):
            t[f"spawn_{index}"] = hub.start_server(name)
            t0 = time.perf_counter()
            record[f"fetched_{index}"] = hub.learner_action(name, "fetch", ASSIGNMENT)
            t[f"fetch_{index}"] = time.perf_counter() - t0
            hub.upload(name, make_learner(KINDS[index], answers / name, ASSIGNMENT,
                                          root=hh.ROOT), ASSIGNMENT)
            t0 = time.perf_counter()
            record[f"submitted_{index}"] = hub.learner_action(name, "submit", ASSIGNMENT)
            t[f"submit_{index}"] = time.perf_counter() - t0

        # learner 2 hands in their own partial work under learner 1's name, later
        stamp = "2099-01-01 00:00:00.000000 UTC"
        forged = hh.as_user(learn2, (
            "import shutil, os\n"
            f"src = os.path.expanduser('~/{ASSIGNMENT}')\n"
            f"dst = '{hub.exchange}/{hub.course_id}/inbound/{learn1}+{ASSIGNMENT}+{stamp}+x'\n"
            "shutil.copytree(src, dst)\n"
            f"open(dst + '/timestamp.txt', 'w').write('{stamp}')\n"
            "print('forged')\n"))
        record["forged"] = forged

        # the instructor collects, autogrades, and returns feedback
        t0 = time.perf_counter()
        record["collect"] = hub.formgrader(teacher, "collect", ASSIGNMENT)
        t["collect"] = time.perf_counter() - t0
        for index, name in enumerate(hub.learners):
            t0 = time.perf_counter()
            record[f"autograde_{index}"] = hub.formgrader(teacher, "autograde", ASSIGNMENT,
                                                          learner=name)
            t[f"autograde_{index}"] = time.perf_counter() - t0
        # the instructor marks learner 1's written answer by hand, with a comment
        fg = f"/services/{hub.course_id}/formgrader/api"
        subs = ok_json(hub.api(teacher, "GET",
                               f"{fg}/submitted_notebooks/{ASSIGNMENT}/1_1_background"))
        sub_id = next(x["id"] for x in subs if x["student"] == learn1)
        grades = ok_json(hub.api(teacher, "GET", f"{fg}/grades?submission_id={sub_id}"))
        grade = next(g for g in grades if g["name"] == "s1_1-reflection")
        r = hub.api(teacher, "PUT", f"{fg}/grade/{grade['id']}", json={"manual_score": 2.5})
        assert r.status_code == 200, r.text[:300]
        comments = ok_json(hub.api(teacher, "GET", f"{fg}/comments?submission_id={sub_id}"))
        comment = next(c for c in comments if c["name"] == "s1_1-reflection")
        r = hub.api(teacher, "PUT", f"{fg}/comment/{comment['id']}",
                    json={"manual_comment": "Clear aims; name who pays for the <b>roll-out</b>."})
        assert r.status_code == 200, r.text[:300]

        # for a large class: the course's parallel autograde in the grading service's
        # terminal, on the same PostgreSQL gradebook (the hand-given score must stay)
        from digit4sd_widgets.hub.deploy import run_as

        t0 = time.perf_counter()
        record["parallel"] = run_as(hub.grader, [
            str(hub.plan.python_bin / "digit4sd"), "grade", "autograde", ASSIGNMENT,
            "--force", "--workers", "2"], cwd=hub.plan.grader_workdir)
        t["parallel_autograde"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        record["feedback"] = hub.formgrader(teacher, "generate_feedback", ASSIGNMENT)
        record["release_feedback"] = hub.formgrader(teacher, "release_feedback", ASSIGNMENT)
        t["feedback"] = time.perf_counter() - t0

        # grades for a spreadsheet, in the grading service's terminal
        record["export"] = run_as(hub.grader, [str(hub.plan.python_bin / "nbgrader"), "export",
                                               "--to", "grades.csv"], cwd=hub.plan.grader_workdir)
        record["export_csv"] = (hub.plan.grader_workdir / "grades.csv").read_text()

        # each learner fetches their feedback
        for index, name in enumerate(hub.learners):
            hub.learner_action(name, "fetch_feedback", ASSIGNMENT)
            record[f"feedback_{index}"] = ok_json(
                hub.api(name, "GET", f"/user/{name}/api/contents/{ASSIGNMENT}/feedback"))
        yield record
    except Exception as exc:
        _FAILED.append(exc)
        print(hub.log_tail())
        raise
    finally:
        hub.cleanup()


def test_every_step_of_the_round_trip_succeeds(run):
    for step in ("release", "collect", "autograde_0", "autograde_1", "feedback",
                 "release_feedback"):
        assert run[step]["success"], (step, run[step])
    for index in (0, 1):
        fetched = {a["assignment_id"]: a for a in run[f"fetched_{index}"]["value"]}
        assert fetched[ASSIGNMENT]["status"] == "fetched"
        submitted = {a["assignment_id"]: a for a in run[f"submitted_{index}"]["value"]}
        assert submitted[ASSIGNMENT]["submissions"], run[f"submitted_{index}"]
    assert run["forged"].stdout.strip() == "forged", run["forged"].stderr
    parallel = run["parallel"]
    assert parallel.returncode == 0, (parallel.stdout + parallel.stderr)[-3000:]


def test_grades_are_in_postgresql_and_match_what_each_learner_did(run):
    """Read the gradebook back from PostgreSQL, as the grader role, with its password."""
    import psycopg
    from nbgrader.api import Gradebook

    from digit4sd_widgets.grade.synthetic import expected_auto_scores

    hub = run["hub"]
    pg = hub.postgres
    with psycopg.connect(host="127.0.0.1", port=pg.port, dbname=pg.database, user=pg.role,
                         password=pg.password) as conn:
        version = conn.execute("select version()").fetchone()[0]
        rows = conn.execute(
            "select s.student_id, sum(g.auto_score) from grade g "
            "join submitted_notebook s_nb on g.notebook_id = s_nb.id "
            "join submitted_assignment s on s_nb.assignment_id = s.id "
            "group by s.student_id order by s.student_id").fetchall()
    assert version.startswith("PostgreSQL")
    totals = dict(rows)
    url = pg.url.replace(f"{pg.role}@", f"{pg.role}:{pg.password}@")
    with Gradebook(url, hub.course_id) as gb:
        for index, name in enumerate(hub.learners):
            expected = expected_auto_scores(KINDS[index], ASSIGNMENT, root=hh.ROOT)
            for notebook, grades in expected.items():
                for grade_id, score in grades.items():
                    got = gb.find_grade(grade_id, notebook, ASSIGNMENT, name).auto_score
                    assert got == score, (name, notebook, grade_id, got, score)
            assert totals[name] == pytest.approx(
                sum(s for g in expected.values() for s in g.values()))
        # the written answer graded by hand in the formgrader
        assert gb.find_grade("s1_1-reflection", "1_1_background", ASSIGNMENT,
                             hub.learners[0]).manual_score == 2.5
        assert gb.find_grade("s1_1-reflection", "1_1_background", ASSIGNMENT,
                             hub.learners[1]).manual_score is None
    # learner 1's forged hand-in (learner 2's partial work) was refused: full marks stand
    assert totals[hub.learners[0]] > totals[hub.learners[1]]
    assert "Refused" in hub.log_tail(10**7)
    # no SQLite gradebook was made on the side
    assert not (hub.plan.grader_workdir / "course" / "gradebook.db").exists()


def test_nbgrader_export_reads_the_postgresql_gradebook(run):
    import csv
    import io

    assert run["export"].returncode == 0, run["export"].stderr[-2000:]
    rows = [r for r in csv.DictReader(io.StringIO(run["export_csv"]))
            if r["assignment"] == ASSIGNMENT]
    assert sorted(r["student_id"] for r in rows) == sorted(run["hub"].learners)


def test_learners_fetch_their_own_feedback(run):
    hub = run["hub"]
    for index, name in enumerate(hub.learners):
        folders = [e for e in run[f"feedback_{index}"]["content"] if e["type"] == "directory"]
        assert folders, run[f"feedback_{index}"]
        home = Path(hh.pwd.getpwnam(name).pw_dir)
        pages = sorted((home / ASSIGNMENT / "feedback").glob("*/*.html"))
        assert [p.stem for p in pages] == ["1_1_background", "1_2_objectives", "1_3_overview"]
        text = pages[0].read_text(encoding="utf-8")
        assert name in text or "Score" in text
        # hidden tests never reach a learner
        assert "BEGIN HIDDEN TESTS" not in text
        # the instructor's comment (markdown, from a trusted author) reaches only its learner
        if index == 0:
            assert "Clear aims; name who pays for the <b>roll-out</b>." in text
        else:
            assert "Clear aims" not in text


def test_a_learner_cannot_read_other_learners_work_or_the_gradebook(run):
    hub = run["hub"]
    learn1, learn2 = hub.learners
    box = hub.exchange / hub.course_id
    grader_home = hub.plan.grader_home
    home1 = Path(hh.pwd.getpwnam(learn1).pw_dir)
    pg = hub.postgres
    other_notebook = home1 / ASSIGNMENT / "1_1_background.ipynb"
    grader_config = hub.plan.grader_workdir / "nbgrader_config.py"
    probe = hh.as_user(learn2, f"""
import os, json
tries = {{}}
def attempt(name, fn):
    try:
        fn()
        tries[name] = "allowed"
    except Exception as exc:
        tries[name] = type(exc).__name__
attempt("list inbound", lambda: os.listdir({str(box / 'inbound')!r}))
attempt("list feedback", lambda: os.listdir({str(box / 'feedback')!r}))
attempt("list other home", lambda: os.listdir({str(home1)!r}))
attempt("read other notebook", lambda: open({str(other_notebook)!r}).read())
attempt("list grader home", lambda: os.listdir({str(grader_home)!r}))
attempt("read gradebook password", lambda: open({str(grader_home / '.pgpass')!r}).read())
attempt("read grader config", lambda: open({str(grader_config)!r}).read())
attempt("rename course folder", lambda: os.rename({str(box)!r}, {str(box) + '-mine'!r}))
import psycopg
for user in ({pg.role!r}, "postgres", os.environ["USER"]):
    attempt("postgres as " + user, lambda: psycopg.connect(host="127.0.0.1", port={pg.port},
            dbname={pg.database!r}, user=user, connect_timeout=5).close())
print(json.dumps(tries))
""")
    assert probe.returncode == 0, probe.stderr
    tries = json.loads(probe.stdout)
    allowed = sorted(k for k, v in tries.items() if v == "allowed")
    assert allowed == [], tries
    assert len(tries) == 11

    # and through the Hub: another learner's server, the formgrader
    r = hub.api(learn2, "GET", f"/user/{learn1}/api/contents/{ASSIGNMENT}")
    assert r.status_code in (302, 403, 404), r.status_code
    r = hub.api(learn2, "GET", f"/services/{hub.course_id}/formgrader/api/assignments")
    assert r.status_code in (302, 403), r.status_code
    assert b"1_1_background" not in r.content


def test_no_password_or_token_is_written_outside_the_graders_pgpass(run):
    hub = run["hub"]
    secret = hub.postgres.password.encode()
    found = []
    for base in (hub.state, hub.plan.grader_home, hh.ROOT / "deploy"):
        for folder, _dirs, files in os.walk(base):
            if "node_modules" in folder:
                continue
            for name in files:
                path = Path(folder) / name
                if path.is_file() and secret in path.read_bytes():
                    found.append(str(path))
    assert found == [str(hub.plan.grader_home / ".pgpass")]
    assert (hub.plan.grader_home / ".pgpass").stat().st_mode & 0o777 == 0o600
    assert (hub.plan.secrets_dir).stat().st_mode & 0o777 == 0o700


def test_voila_apps_are_served_through_the_hub_with_the_learners_case(run):
    hub = run["hub"]
    name = hub.learners[0]
    home = Path(hh.pwd.getpwnam(name).pw_dir)
    apps = sorted(p.name for p in (home / "digit4sd_apps").glob("*.ipynb"))
    assert len(apps) == 19
    r = hub.api(name, "GET", f"/user/{name}/voila/render/digit4sd_apps/1_1_background.ipynb")
    assert r.status_code == 200, r.text[:500]
    page = r.text
    body = page[page.find("<main"):]
    assert "There was an error" not in page and "Traceback" not in page, body[-3000:]
    assert "application/vnd.jupyter.widget-view+json" in page, body[-3000:]
    # nothing is loaded from another host: the course's offline template
    assert "d4-roombar" in page
    assert re.findall(r'(?:src|href)="(https?://[^"]+)"', page) == []
    assert "cdnjs" not in page and "unpkg.com" not in page and "mermaid" not in page
    # the app's kernel is reached through socket files in the learner's private home, not
    # through loopback ports any account could connect to and listen on
    runtime = home / ".local" / "share" / "jupyter" / "runtime"
    kernels = [json.loads(p.read_text()) for p in runtime.glob("kernel-*.json")]
    assert kernels and {k["transport"] for k in kernels} == {"ipc"}, kernels
    assert all(str(k["ip"]).startswith(str(home)) for k in kernels), kernels


def test_notebooks_stay_as_released_in_the_exchange(run):
    hub = run["hub"]
    released = hub.exchange / hub.course_id / "outbound" / ASSIGNMENT
    nb = nbformat.read(released / "1_1_background.ipynb", as_version=4)
    assert "### BEGIN SOLUTION" not in json.dumps(nb)
    assert (released.stat().st_mode & 0o777) == 0o755


def test_in_a_browser_a_learner_logs_in_and_the_app_keeps_their_work(run, tmp_path):
    """Chromium: the Hub's login form, then an app through the Hub whose widgets respond and
    save into the learner's own workbook; nothing is loaded from another host."""
    from tests.browser import ARGS, CHROMIUM, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    hub = run["hub"]
    name = hub.learners[0]
    home = Path(hh.pwd.getpwnam(name).pw_dir)
    outside: list[str] = []
    shots = Path(os.environ.get("DIGIT4SD_SCREENSHOTS", tmp_path))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_context(viewport={"width": 1200, "height": 1400}).new_page()
            page.on("request", lambda r: outside.append(r.url)
                    if not r.url.startswith((hub.url, "data:", "blob:")) else None)
            page.goto(f"{hub.url}/hub/login")
            page.fill("input[name=username]", name)
            page.fill("input[name=password]", "not the password")
            page.click("input[type=submit], button[type=submit]")
            page.wait_for_selector("text=Invalid username or password", timeout=30_000)
            page.fill("input[name=username]", name)
            page.fill("input[name=password]", hub.passwords[name])
            page.click("input[type=submit], button[type=submit]")
            page.wait_for_url(f"**/user/{name}/lab**", timeout=120_000)
            page.wait_for_selector(".jp-DirListing-item", timeout=120_000)
            listing = page.locator(".jp-DirListing-itemText").all_inner_texts()
            assert ASSIGNMENT in listing and "digit4sd_apps" in listing, listing
            page.screenshot(path=str(shots / "hub-lab.png"))

            page.goto(hh_app_url(hub, name, "3_2_stakeholders"))
            page.wait_for_selector(".d4-title:has-text('Stakeholder matrix')", state="visible",
                                   timeout=120_000)
            page.get_by_placeholder("e.g. Ministry of Health").fill("Ministry of <i>ICT</i>")
            page.locator(".d4-exercise button[title='Add']").click()
            page.wait_for_selector(".d4-grid li:has-text('Ministry of <i>ICT</i>')",
                                   timeout=30_000)
            page.screenshot(path=str(shots / "hub-app.png"))
            body = page.inner_text("body")
            assert "Traceback" not in body and "import " not in body
        finally:
            browser.close()
    saved = home / "digit4sd_apps" / "digit4sd_workbook.json"
    hh.wait_for(saved.exists, 20, "the workbook")
    doc = json.loads(saved.read_text(encoding="utf-8"))
    names = [s["name"] for s in doc["answers"]["3.2/stakeholder_matrix"]["data"]["stakeholders"]]
    assert "Ministry of <i>ICT</i>" in names
    # the case entered for module 1 came along (one learner, one case)
    assert doc["case"]["country"] == "NPL"
    assert (saved.stat().st_uid) == hh.pwd.getpwnam(name).pw_uid
    assert not outside, f"requests left the host: {outside[:5]}"


def hh_app_url(hub, name: str, notebook: str) -> str:
    from digit4sd_widgets.hub.deploy import app_url

    return app_url(hub.url, name, notebook)


def test_in_a_browser_the_instructor_sees_the_class_in_the_formgrader(run, tmp_path):
    from tests.browser import ARGS, CHROMIUM, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    hub = run["hub"]
    teacher = hub.instructors[0]
    shots = Path(os.environ.get("DIGIT4SD_SCREENSHOTS", tmp_path))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
            page.goto(f"{hub.url}/hub/login")
            page.fill("input[name=username]", teacher)
            page.fill("input[name=password]", hub.passwords[teacher])
            page.click("input[type=submit], button[type=submit]")
            page.wait_for_url(f"**/user/{teacher}/lab**", timeout=120_000)
            page.goto(f"{hub.url}/services/{hub.course_id}/formgrader/manage_assignments")
            row = page.locator("tr", has_text=ASSIGNMENT)
            row.first.wait_for(timeout=60_000)
            text = row.first.inner_text()
            page.screenshot(path=str(shots / "hub-formgrader.png"))
        finally:
            browser.close()
    # released, two submissions collected
    assert "2" in text.split(), text



def test_no_learner_kernel_listens_on_a_loopback_port(run):
    """Learners' notebook and app kernels use socket files in their owner's home (a TCP
    kernel says so in the log); only the grader's autograde kernels still use loopback
    ports (signed messages; see docs/deploy-jupyterhub.md)."""
    hub = run["hub"]
    log = hub.log_tail(10**9)
    tcp = log.count("Kernel is running over TCP")
    # one per autograded notebook: 2 learners x 3 notebooks
    assert tcp == 2 * 3, tcp


def test_setup_again_adds_a_learner_and_keeps_the_class_work(run):
    from digit4sd_widgets.hub.deploy import load_plan, setup

    hub = run["hub"]
    newcomer = f"{hh.PREFIX}-learn9"
    hub.learners.append(newcomer)  # removed with the others at the end
    hub.plan.learners = list(hub.learners)
    source = hub.plan.grader_workdir / "course" / "source" / ASSIGNMENT / "1_1_background.ipynb"
    edited = source.read_text(encoding="utf-8") + "\n"
    source.write_text(edited, encoding="utf-8")  # an instructor's edit in the formgrader
    done = setup(hub.plan, create_users=True, project=hh.ROOT)
    assert any(line.startswith("kept the grader's course") for line in done), done
    assert source.read_text(encoding="utf-8") == edited
    course = hub.plan.grader_workdir / "course"
    assert sorted(p.name for p in (course / "submitted").iterdir()) == sorted(hub.learners[:2])
    assert not list(course.glob("*.replaced-*"))
    home = Path(hh.pwd.getpwnam(newcomer).pw_dir)
    assert home.stat().st_mode & 0o777 == 0o700
    assert newcomer in load_plan(hub.state).learners


def test_instructors_get_a_terminal_in_the_grading_service(run):
    """The guide sends instructors to the grading service's terminal for `digit4sd grade`:
    it must open, as the grader account, in the course folder."""
    import asyncio

    import websockets

    hub = run["hub"]
    teacher = hub.instructors[0]
    base = f"/services/{hub.course_id}"
    r = hub.api(teacher, "POST", f"{base}/api/terminals")
    assert r.status_code == 200, r.text[:300]
    name = r.json()["name"]
    url = hub.url.replace("http", "ws") + f"{base}/terminals/websocket/{name}"

    async def talk() -> str:
        seen = ""
        headers = {"Authorization": f"token {hub.token(teacher)}"}
        async with websockets.connect(url, additional_headers=headers) as ws:
            await ws.send(json.dumps(["stdin", "echo WHO=$(id -un) AT=$(pwd)\r"]))
            end = time.monotonic() + 30
            while "AT=/" not in seen and time.monotonic() < end:
                message = json.loads(await asyncio.wait_for(ws.recv(), 30))
                if message[0] == "stdout":
                    seen += message[1]
        return seen

    out = asyncio.run(talk())
    assert f"WHO={hub.grader}" in out, out[-500:]
    assert f"AT={hub.plan.grader_workdir}" in out, out[-500:]
    hub.api(teacher, "DELETE", f"{base}/api/terminals/{name}")
