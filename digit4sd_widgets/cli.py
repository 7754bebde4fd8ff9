"""The ``digit4sd`` command line.

Each capability of the course kit adds its own subcommand here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__


def _project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def _cmd_data_check(args: argparse.Namespace) -> int:
    from .data.check import check_dataset

    report = check_dataset()
    print("\n".join(report.lines) if report.lines else "\n".join(report.problems))
    return 0 if report.ok else 1


def _cmd_data_build(args: argparse.Namespace) -> int:
    from .data.build import BuildError, build

    raw = Path(args.raw) if args.raw else _project_root() / "data" / "raw"
    out = Path(args.out) if args.out else _project_root() / "datasets"
    if not raw.is_dir():
        print(f"error: no raw data folder at {raw} (give one with --raw)", file=sys.stderr)
        return 2
    try:
        tables = build(raw, out)
    except (BuildError, FileNotFoundError) as exc:
        print(f"error: the build stopped, nothing was written: {exc}", file=sys.stderr)
        return 1
    for t in tables:
        print(f"wrote {out / t.file} ({t.text.count(chr(10)) - 1} rows)")
    print(f"wrote {out / 'registry.json'}")
    return 0


def _cmd_lab(args: argparse.Namespace) -> int:
    from .course.lab import default_copy, run_lab
    from .workbook import Workbook

    target = Path(args.dir) if args.dir else default_copy(args.lang)
    workbook = Path(args.workbook) if args.workbook else None
    return run_lab(target, port=args.port, no_browser=args.no_browser, workbook=workbook,
                   workbook_class=Workbook, lang=args.lang)


def _cmd_guide(args: argparse.Namespace) -> int:
    from .course.guide import write_guide

    lang = args.lang or "en"
    out = args.out or ("facilitator.html" if lang == "en" else f"facilitator-{lang}.html")
    try:
        path = write_guide(out, lang=lang)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"The facilitator's guide, ready to print: {path}")
    return 0


def _cmd_pack(args: argparse.Namespace) -> int:
    from .pack.build import main as pack_main

    return pack_main(args)


def _cmd_serve(args: argparse.Namespace) -> int:
    from .serve.server import DEFAULT_ROOM, RoomSettings, serve

    host = args.host or "127.0.0.1"
    try:
        settings = RoomSettings(Path(args.room) if args.room else DEFAULT_ROOM, host=host,
                                port=args.port, access_code=args.access_code, pool=args.pool,
                                max_sessions=args.max_sessions,
                                cull_minutes=args.cull_minutes,
                                grace_seconds=args.grace_seconds, expect=args.expect,
                                first=args.first, path="one-day" if args.one_day else None,
                                lang=args.lang)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return serve(settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digit4sd",
        description="DIGIT4SD courseware: the Digital Government Implementation Toolkit for "
                    "Sustainable Development as an interactive course.",
    )
    parser.add_argument("--version", action="version", version=f"digit4sd {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    data = sub.add_parser("data", help="check or rebuild the UN E-Government Survey dataset")
    data_sub = data.add_subparsers(dest="data_command", metavar="ACTION")
    check = data_sub.add_parser("check", help="validate the shipped dataset and summarise it")
    check.set_defaults(func=_cmd_data_check)
    build = data_sub.add_parser("build", help="rebuild datasets/ from the raw published files")
    build.add_argument("--raw", help="folder of raw files (default: data/raw of the project)")
    build.add_argument("--out", help="output folder (default: datasets/ of the project)")
    build.set_defaults(func=_cmd_data_build)
    data.set_defaults(func=lambda args: (data.print_help(), 0)[1])

    guide = sub.add_parser("guide", help="write the facilitator's guide as a page to print")
    guide.add_argument("--out",
                       help="the file to write (default: facilitator.html, or "
                            "facilitator-<lang>.html in another language)")
    guide.add_argument("--lang", default="en",
                       help="the language of the guide, such as fr (default: en)")
    guide.set_defaults(func=_cmd_guide)

    lab = sub.add_parser("lab", help="open JupyterLab on your own copy of the course")
    lab.add_argument("workbook", nargs="?", metavar="WORKBOOK",
                     help="a workbook file downloaded from a workshop room: its answers are "
                          "taken into your course copy (nothing newer there is replaced)")
    lab.add_argument("--dir", help="your course folder (default: ~/digit4sd-course); made on "
                                   "first use, never overwritten")
    lab.add_argument("--port", type=int, help="port for JupyterLab (default: 8888 or free)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser")
    lab.add_argument("--lang", default="en", help="the course's language: en (default), "
                     "fr; a copy of its own per language (~/digit4sd-course-fr), "
                     "JupyterLab's menus in that language too")
    lab.set_defaults(func=_cmd_lab)

    from .grade.commands import add_parser as add_grade_parser  # the instructor's pipeline

    add_grade_parser(sub)

    from .catalogues import add_parser as add_i18n_parser  # the translators' command
    add_i18n_parser(sub)

    from .hub.deploy import add_parser as add_hub_parser  # the course on JupyterHub

    add_hub_parser(sub)

    pack = sub.add_parser(
        "pack", help="make course packs about each participant's country, to read offline",
        description="Run the course notebooks for each country and write, per country, the "
                    "executed notebooks, static HTML pages that open offline and a one-page "
                    "country profile to print.")
    pack.add_argument("countries", nargs="+", metavar="COUNTRY",
                      help="ISO3 code or name (BGD, Ethiopia); LDC, LLDC or SIDS for every "
                           "member of the group")
    pack.add_argument("--out", default="packs",
                      help="folder for the packs, one subfolder per country (default: packs)")
    pack.add_argument("--jobs", type=int, help="notebooks run at once (default: the cores)")
    pack.add_argument("--notebooks", action="append", metavar="IDS",
                      help="only these notebooks, such as 2.3,3.1 (default: all 19; 'none' "
                           "for the profiles only)")
    pack.add_argument("--timeout", type=int, default=180,
                      help="seconds a notebook cell may run (default: 180)")
    pack.add_argument("--no-progress", action="store_true", help="no progress bar")
    pack.add_argument("--all-sizes", action="store_true",
                      help="list the size of every page even for many countries")
    pack.add_argument("--lang", default="en",
                      help="the language of the packs, such as fr (default: en); a pack in "
                           "another language goes to <out>/<COUNTRY>-<lang>, next to the "
                           "English one")
    pack.set_defaults(func=_cmd_pack)

    srv = sub.add_parser("serve", help="serve the course to a workshop room as read-only apps")
    srv.add_argument("--port", type=int, default=8866, help="port (default: 8866)")
    srv.add_argument("--host", help="address to listen on (default: 127.0.0.1, this computer "
                                    "only); 0.0.0.0 serves the room's network")
    srv.add_argument("--access-code",
                     help="a code participants must enter to come in (advised when serving a "
                          "network): 6 or more letters or digits, or 'auto' for one made for "
                          "you")
    srv.add_argument("--room", help="folder for the participants' work (default: "
                                    "./digit4sd-room)")
    srv.add_argument("--pool", type=int, default=1,
                     help="preheated kernels kept ready per app (default: 1; 0: none)")
    srv.add_argument("--max-sessions", type=int, default=80,
                     help="most app pages open at once (default: 80, about 10 GB)")
    srv.add_argument("--cull-minutes", type=float, default=20,
                     help="stop an idle kernel after this many minutes (20)")
    srv.add_argument("--grace-seconds", type=float, default=60,
                     help="stop the kernel of a page that lost its connection (a crashed tab, "
                          "a closed laptop) after this many seconds; its work is saved (60)")
    srv.add_argument("--expect", type=int, default=0, metavar="N",
                     help="participants coming: N kernels are made ready before they arrive "
                          "(a few at a time; about 110 MB each; the memory is checked), for "
                          "the app given by --first, and move on to the next app as they "
                          "are taken")
    srv.add_argument("--one-day", action="store_true",
                     help="follow the shortened one-day path (the core modules with a short "
                          "start and end); the start page shows it with the reason for each "
                          "step")
    srv.add_argument("--first", metavar="ID",
                     help="the app the room opens first, as a submodule id (default: 1.1); "
                          "the host page can change it during the workshop")
    srv.add_argument("--lang", default="en",
                     help="the room's language: en (default), fr; each participant can "
                          "choose another on the start page")
    srv.set_defaults(func=_cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
