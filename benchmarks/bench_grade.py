"""Speed of ``digit4sd grade autograde`` against plain sequential ``nbgrader autograde``, on a
synthetic class (perfect and partial learners, alternately) of one module, in the same run.

Both start from identical scratch copies of the course (release generated, submissions
collected); each is timed as an instructor runs it, as a command from the project root. The
class is graded in a few rounds, the two commands taking turns, so that the load others put
on a shared machine meanwhile falls on both alike. The grades of both gradebooks are then
compared cell by cell (auto score, the flag for manual grading, the automatic comment, late
penalty): the same grades. ``--sandbox-cost`` also grades with ``--no-sandbox`` (one run per
learner, learner code with the instructor's rights) and prints what the sandbox costs.

Run:  .venv/bin/python benchmarks/bench_grade.py [--learners 60] [--assignment NAME]
          [--workers N] [--rounds 4] [--one-worker] [--sandbox-cost] [--all]
``--all`` grades every module (all 19 notebooks) instead of one: long.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digit4sd_widgets.course import MODULES, module  # noqa: E402
from digit4sd_widgets.course.release import generate_release  # noqa: E402
from digit4sd_widgets.grade.collect import collect  # noqa: E402
from digit4sd_widgets.grade.common import course_id, db_url  # noqa: E402
from digit4sd_widgets.grade.synthetic import make_learner  # noqa: E402


def project_copy(target: Path) -> Path:
    (target / "course").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", target)
    shutil.copytree(ROOT / "course" / "source", target / "course" / "source")
    shutil.copytree(ROOT / "course" / "release", target / "course" / "release")
    return target


def make_class(root: Path, assignment: str, learners: int, rounds: int, inbox: Path) -> None:
    """``learners`` submissions in ``inbox``, perfect and partial in turn (built once each,
    then copied: the workbook of a perfect learner takes a moment to compute), named
    ``r<round>-learner<n>`` for the round they are graded in."""
    templates = {kind: make_learner(kind, inbox / f".{kind}", assignment, root)
                 for kind in ("perfect", "partial")}
    for i in range(learners):
        kind = "perfect" if i % 2 == 0 else "partial"
        shutil.copytree(templates[kind], inbox / f"r{i % rounds}-learner{i:03d}")
    for folder in templates.values():
        shutil.rmtree(folder)


def grades(root: Path) -> dict[tuple, tuple]:
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(db_url(root), course_id(root)) as gb:
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                for nb in sub.notebooks:
                    key = (sub.student.id, assignment.name, nb.name)
                    out[(*key, "penalty")] = (nb.late_submission_penalty,)
                    for g in nb.grades:
                        out[(*key, g.name)] = (g.auto_score, bool(g.needs_manual_grade))
                    for c in nb.comments:
                        out[(*key, c.name, "comment")] = (c.auto_comment,)
    return out


def timed(args: list[str], cwd: Path) -> float:
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": os.pathsep.join([bindir, os.environ.get("PATH", "")])}
    env.pop("DIGIT4SD_WORKBOOK", None)
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(args[:4])} failed:\n{result.stderr[-3000:]}")
    return seconds


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "n/a"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--learners", type=int, default=60)
    p.add_argument("--assignment", default="m3_planning_analysis")
    p.add_argument("--workers", type=int, help="digit4sd's workers (default: one per core)")
    p.add_argument("--all", action="store_true", help="every module, all 19 notebooks")
    p.add_argument("--rounds", type=int, default=4,
                   help="grade the class in this many slices, the two commands taking turns "
                        "(and turns to go first), so that others' load on a shared machine "
                        "falls on both alike (default: 4)")
    p.add_argument("--sandbox-cost", action="store_true",
                   help="also time digit4sd with --no-sandbox (one run per learner, learner "
                        "code with your rights): what the sandbox and the second, feedback "
                        "run cost")
    p.add_argument("--one-worker", action="store_true",
                   help="also time digit4sd with one worker: what the design itself costs or "
                        "saves, before any parallelism")
    args = p.parse_args()
    names = [m.assignment for m in MODULES] if args.all else [module(args.assignment).assignment]
    notebooks = sum(len(module(n).submodules) for n in names)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = args.workers or cores
    rounds = max(1, min(args.rounds, args.learners))

    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        tmp = Path(tmp)
        ours = project_copy(tmp / "digit4sd")
        generate_release(ours, names)
        for name in names:
            inbox = tmp / "inbox" / name
            inbox.mkdir(parents=True)
            make_class(ours, name, args.learners, rounds, inbox)
            report = collect(name, inbox, root=ours)
            assert not report.refused, report.refused
        plain = tmp / "nbgrader"
        shutil.copytree(ours, plain)
        single = tmp / "one-worker"
        if args.one_worker:
            shutil.copytree(ours, single)
        bare = tmp / "no-sandbox"
        if args.sandbox_cost:
            shutil.copytree(ours, bare)

        print(f"Autograding {args.learners} synthetic learners (perfect and partial in turn) x "
              f"{notebooks} notebook(s) ({', '.join(names)}) on {cores} core(s), in {rounds} "
              f"round(s) taking turns; load average before: {load()}")

        def run_nbgrader(r: int) -> float:  # nbgrader's --student takes a pattern
            return sum(timed([sys.executable, "-m", "nbgrader", "autograde", name,
                              "--student", f"r{r}-*"], plain) for name in names)

        def run_ours(r: int, folder: Path, n: int, *extra: str) -> float:
            ids = [f"r{r}-learner{i:03d}" for i in range(args.learners) if i % rounds == r]
            chosen = [arg for learner in ids for arg in ("--learner", learner)]
            return sum(timed([sys.executable, "-m", "digit4sd_widgets.cli", "grade",
                              "autograde", name, "--no-progress", "--workers", str(n),
                              *extra, *chosen], folder) for name in names)

        totals = {"nbgrader": 0.0, "digit4sd": 0.0, "one worker": 0.0, "no sandbox": 0.0}
        for r in range(rounds):
            runs = [("nbgrader", lambda r=r: run_nbgrader(r)),
                    ("digit4sd", lambda r=r: run_ours(r, ours, workers))]
            if args.one_worker:
                runs.append(("one worker", lambda r=r: run_ours(r, single, 1)))
            if args.sandbox_cost:
                runs.append(("no sandbox", lambda r=r: run_ours(r, bare, workers,
                                                                 "--no-sandbox")))
            if r % 2:
                runs.reverse()
            line = []
            for label, run in runs:
                seconds = run()
                totals[label] += seconds
                line.append(f"{label} {seconds:.1f} s (load {load()})")
            print(f"  round {r + 1}/{rounds}: " + ", ".join(line))

        seq, par = totals["nbgrader"], totals["digit4sd"]
        print(f"  plain nbgrader autograde, sequential:   {seq:8.1f} s")
        print(f"  digit4sd grade autograde, {workers} worker(s):  {par:8.1f} s")
        if args.one_worker:
            print(f"  digit4sd grade autograde, 1 worker:     {totals['one worker']:8.1f} s")
        print(f"  ratio (sequential / parallel):          {seq / par:8.2f}x   "
              "(each learner runs twice in the sandbox: scores, then feedback)")
        if args.sandbox_cost:
            print(f"  digit4sd --no-sandbox, {workers} worker(s):     "
                  f"{totals['no sandbox']:8.1f} s")
            print(f"  sandbox cost (sandboxed / no sandbox):  "
                  f"{par / totals['no sandbox']:8.2f}x   (the sandbox, the guard and the "
                  "feedback run)")
            print(f"  ratio (sequential / --no-sandbox):      "
                  f"{seq / totals['no sandbox']:8.2f}x   (one run per learner, in parallel)")
        a, b = grades(plain), grades(ours)
        if args.sandbox_cost:
            d = grades(bare)
            print(f"  --no-sandbox grades identical too: {'yes' if d == a else 'NO'}")
        if args.one_worker:
            c = grades(single)
            print(f"  one worker's grades identical too: {'yes' if c == a else 'NO'}")
        differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        graded = len({k[:3] for k in a if k[-1] == "penalty"})
        print(f"  grades identical: {'yes' if not differ else 'NO'} "
              f"({len(a)} values compared over {graded} graded notebooks)")
        for key in differ[:10]:
            print(f"    differs: {key}: nbgrader {a.get(key)} vs digit4sd {b.get(key)}")
        if differ:
            sys.exit(1)


if __name__ == "__main__":
    main()
