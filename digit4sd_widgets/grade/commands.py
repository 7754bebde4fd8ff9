"""The ``digit4sd grade`` subcommand: its parser and the one function that runs an action."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import GradeError
from .export import export
from .feedback import feedback
from .release import release


# --------------------------------------------------------------------------- command line
def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``grade`` subcommand and its actions (called by :mod:`digit4sd_widgets.cli`)."""
    grade = sub.add_parser(
        "grade", help="release, collect, autograde, feedback and export grades (nbgrader)",
        description="The instructor's pipeline over nbgrader. Run it from the project root "
                    "(the folder with nbgrader_config.py and course/). Guide: docs/grading.md.")
    actions = grade.add_subparsers(dest="grade_command", metavar="ACTION")

    p = actions.add_parser("release", help="generate the learner version and one zip per "
                                           "assignment in dist/release/")
    p.add_argument("assignment", nargs="?", help="one assignment (default: all six)")
    p.add_argument("--lang", action="append", help="also the zips of this language "
                   "(dist/release/<lang>/): the same notebooks, their text translated; graded "
                   "like the English ones (repeatable, e.g. --lang fr)")

    p = actions.add_parser("collect", help="take submissions (zips or folders named by learner "
                                           "id) into course/submitted/")
    p.add_argument("assignment")
    p.add_argument("path", help="a folder with one zip file or one folder per learner (or one "
                                "learner's zip file)")
    p.add_argument("--replace", action="store_true",
                   help="replace submissions already collected (the old ones are kept aside)")

    p = actions.add_parser("autograde", help="grade every collected submission, in parallel")
    p.add_argument("assignment")
    p.add_argument("--workers", type=int, help="grading processes (default: one per core)")
    p.add_argument("--timeout", type=int,
                   help="seconds a cell may run before it is stopped (default: the course's "
                        "nbgrader_config.py, 120)")
    p.add_argument("--learner", action="append", dest="learners", metavar="ID",
                   help="grade only this learner (repeat for more)")
    p.add_argument("--force", action="store_true",
                   help="grade again submissions already graded and unchanged since")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--memory-mb", type=int,
                   help="memory cap of each learner's kernel, in MB (default 3072)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run learner code with your own rights, outside the sandbox: only "
                        "for learners you trust, where bubblewrap cannot run")

    p = actions.add_parser("feedback", help="feedback pages per learner, zipped in "
                                            "dist/feedback/")
    p.add_argument("assignment")

    p = actions.add_parser("export", help="grades as CSV and a summary table")
    p.add_argument("--to", help="CSV file to write (default: dist/grades.csv)")

    grade.set_defaults(func=lambda args: run(args, grade))
    return grade


def run(args: argparse.Namespace, parser: argparse.ArgumentParser | None = None) -> int:
    """Run one ``digit4sd grade`` action; expected problems become a message and exit 1 or 2."""
    action = getattr(args, "grade_command", None)
    if not action:
        if parser is not None:
            parser.print_help()
        return 0
    try:
        if action == "release":
            for path in release(assignment=args.assignment, langs=args.lang or ()):
                print(f"wrote {path}")
            return 0
        if action == "collect":
            from .collect import collect

            report = collect(args.assignment, Path(args.path), replace=args.replace)
            print("\n".join(report.lines()))
            return 1 if report.refused else 0
        if action == "autograde":
            from .autograde import autograde

            report = autograde(args.assignment, workers=args.workers, timeout=args.timeout,
                               learners=args.learners, force=args.force,
                               progress=not args.no_progress, sandbox=not args.no_sandbox,
                               memory_mb=args.memory_mb)
            print("\n".join(report.lines()))
            return 1 if report.failed else 0
        if action == "feedback":
            report = feedback(args.assignment)
            print("\n".join(report.lines()))
            return 1 if report.problems else 0
        if action == "export":
            print("\n".join(export(to=args.to).lines()))
            return 0
    except GradeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("stopped: what was finished is saved; run the command again for the rest",
              file=sys.stderr)
        return 130
    raise AssertionError(action)  # pragma: no cover - argparse only gives the actions above
