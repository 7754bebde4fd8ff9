"""The course on JupyterHub, measured: one instructor and N learners through a whole assignment.

For each gradebook (SQLite, the one-machine default, as the baseline; then PostgreSQL) this
starts a real Hub with its proxy and real accounts (tests/hub_harness.py), then:

- spawns every learner's server at once, and measures each server's memory, idle and with one
  Voila app open;
- the instructor releases the assignment; all learners fetch at once, save their answers and
  submit at once (half of them complete, half partial);
- the instructor collects, autogrades each submission (the formgrader's button, one learner at
  a time), grades the class again with ``digit4sd grade autograde`` (parallel, as the grader
  account) and returns feedback; all learners fetch their feedback at once.

Prints the figures of both runs and PostgreSQL's time as a ratio of SQLite's for each step.
Needs root, PostgreSQL's server and deploy/jupyterhub/node_modules (see scripts/test).

    sudo .venv/bin/python benchmarks/bench_hub.py --learners 8
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digit4sd_widgets.grade.synthetic import make_learner  # noqa: E402
from digit4sd_widgets.hub.deploy import app_url  # noqa: E402
from tests import hub_harness as hh  # noqa: E402


def timed(fn, *args, **kw):
    t0 = time.perf_counter()
    value = fn(*args, **kw)
    return time.perf_counter() - t0, value


def all_at_once(fn, names):
    """Run fn(name) for every name in parallel; return (wall seconds, [each result])."""
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        results = list(pool.map(fn, names))
    return time.perf_counter() - t0, results


def run_class(kind: str, learners: int, assignment: str) -> dict:
    hub = hh.Hub(learners=learners, instructors=1, gradebook=kind)
    fig: dict = {"kind": kind}
    try:
        fig["setup"], _ = timed(hub.setup)
        fig["hub_start"], _ = timed(hub.start)
        teacher = hub.instructors[0]
        for name in [*hub.learners, teacher]:
            hub.token(name)  # logins (PAM) before the clock runs
        fig["spawn_wall"], each = all_at_once(hub.start_server, hub.learners)
        fig["spawn_each"] = each
        time.sleep(3)
        fig["rss_idle"] = [hh.rss_mib(hub.server_pid(n)) for n in hub.learners]

        fig["release"], _ = timed(hub.formgrader, teacher, "release", assignment)
        fig["fetch_wall"], _ = all_at_once(
            lambda n: hub.learner_action(n, "fetch", assignment), hub.learners)
        with tempfile.TemporaryDirectory() as tmp:
            for i, name in enumerate(hub.learners):
                kind_of = "perfect" if i % 2 == 0 else "partial"
                hub.upload(name, make_learner(kind_of, Path(tmp) / name, assignment,
                                              root=ROOT), assignment)
        fig["submit_wall"], results = all_at_once(
            lambda n: hub.learner_action(n, "submit", assignment), hub.learners)
        fig["submitted"] = sum(1 for r in results if r.get("success"))

        fig["collect"], _ = timed(hub.formgrader, teacher, "collect", assignment)
        fig["autograde_each"] = []
        for name in hub.learners:
            seconds, out = timed(hub.formgrader, teacher, "autograde", assignment, name)
            if not out.get("success"):
                raise RuntimeError(f"autograde {name}: {out}")
            fig["autograde_each"].append(seconds)
        # the same class again with the course's parallel autograde, in the grader's terminal
        from digit4sd_widgets.hub.deploy import run_as

        fig["parallel_autograde"], out = timed(run_as, hub.grader, [
            str(hub.plan.python_bin / "digit4sd"), "grade", "autograde", assignment,
            "--force"], cwd=hub.plan.grader_workdir)
        if out.returncode:
            raise RuntimeError(f"digit4sd grade autograde: {out.stderr[-2000:]}")
        fig["feedback"], _ = timed(hub.formgrader, teacher, "generate_feedback", assignment)
        seconds, _ = timed(hub.formgrader, teacher, "release_feedback", assignment)
        fig["feedback"] += seconds
        fig["fetch_feedback_wall"], _ = all_at_once(
            lambda n: hub.learner_action(n, "fetch_feedback", assignment), hub.learners)

        def open_app(name):
            r = hub.api(name, "GET", app_url("", name, "3_2_stakeholders"))
            return r.status_code == 200 and "widget-view+json" in r.text
        fig["app_wall"], shown = all_at_once(open_app, hub.learners)
        fig["apps_shown"] = sum(shown)
        time.sleep(2)
        fig["rss_app"] = [hh.rss_mib(hub.server_pid(n)) for n in hub.learners]
    finally:
        hub.cleanup()
    return fig


def med(values) -> float:
    return statistics.median(values)


def spread(values) -> str:
    return f"{med(values):.2f} (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--learners", type=int, default=8)
    p.add_argument("--assignment", default="m1_getting_started")
    args = p.parse_args()
    why = hh.missing()
    if why:
        sys.exit(f"cannot run: {why}")
    runs = [run_class(kind, args.learners, args.assignment) for kind in ("sqlite", "postgres")]
    print(f"\n{args.learners} learners, 1 instructor, assignment {args.assignment}; "
          "seconds unless marked\n")
    rows = [
        ("setup (digit4sd hub setup)", lambda f: f["setup"]),
        ("Hub start, until the grading service answers", lambda f: f["hub_start"]),
        ("all servers spawned at once (wall)", lambda f: f["spawn_wall"]),
        ("one server spawn, median", lambda f: med(f["spawn_each"])),
        ("release", lambda f: f["release"]),
        ("all fetch at once (wall)", lambda f: f["fetch_wall"]),
        ("all submit at once (wall)", lambda f: f["submit_wall"]),
        ("collect", lambda f: f["collect"]),
        ("autograde one submission, median", lambda f: med(f["autograde_each"])),
        ("autograde the class, one by one", lambda f: sum(f["autograde_each"])),
        ("autograde the class: digit4sd grade autograde", lambda f: f["parallel_autograde"]),
        ("generate + release feedback", lambda f: f["feedback"]),
        ("all fetch feedback at once (wall)", lambda f: f["fetch_feedback_wall"]),
        ("one app each, all at once (wall)", lambda f: f["app_wall"]),
    ]
    base, pg = runs
    print(f"{'step':48} {'SQLite':>9} {'PostgreSQL':>11} {'PG/SQLite':>10}")
    for label, get in rows:
        a, b = get(base), get(pg)
        print(f"{label:48} {a:9.2f} {b:11.2f} {b / a:10.2f}")
    for f in runs:
        print(f"\n{f['kind']}: submitted {f['submitted']}/{args.learners}, apps shown "
              f"{f['apps_shown']}/{args.learners}")
        print(f"  spawn each: {spread(f['spawn_each'])} s")
        print(f"  autograde each: {spread(f['autograde_each'])} s")
        print(f"  autograde the class, formgrader one by one / digit4sd grade autograde: "
              f"{sum(f['autograde_each']) / f['parallel_autograde']:.2f}x")
        print(f"  memory per learner, idle server: {spread(f['rss_idle'])} MiB")
        print(f"  memory per learner, server + one app's kernel: {spread(f['rss_app'])} MiB")


if __name__ == "__main__":
    main()
