"""``digit4sd lab``: open JupyterLab on the learner's own copy of the course.

The first time, the learner version of the course (the release) is copied to the learner's
folder (default ``~/digit4sd-course``). Later runs never overwrite anything there: the
learner's notebooks and workbook are theirs. A notebook added to the course later is copied
in if the learner does not have it yet. nbgrader's Lab extension (assignment list, validate)
comes with the package.

``digit4sd lab <workbook.json>`` also takes in a workbook downloaded from a workshop room
(:func:`import_workbook`): its answers go into the workbook of every module folder of the
copy, merged as the workbook merges any two saves (the newer answer wins, field by field for
the case), so the learner goes on at home where the workshop ended and nothing newer in the
copy is lost. The downloaded file is only read.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from importlib import resources
from pathlib import Path

from .. import i18n
from .map import MODULES, course_dir, project_root
from .translate import write_translated

DEFAULT_COPY = Path("~") / "digit4sd-course"
README_NAME = "START_HERE.md"
#: the workbook's file in each module folder (``workbook.FILENAME``: the course stands below
#: the workbook and does not import it; the command line hands the Workbook class in)
WORKBOOK_FILE = "digit4sd_workbook.json"


def release_source() -> Path:
    """The release notebooks: inside the installed package, or in a checkout."""
    packaged = resources.files("digit4sd_widgets").joinpath("course_release")
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = course_dir(project_root()) / "release"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("The course release is missing: reinstall digit4sd-widgets.")


def default_copy(lang: str = i18n.SOURCE) -> Path:
    """The learner's course folder: ``~/digit4sd-course``, ``~/digit4sd-course-fr``..."""
    lang = i18n.normalise(lang) or i18n.SOURCE
    return DEFAULT_COPY if lang == i18n.SOURCE else DEFAULT_COPY.with_name(
        f"{DEFAULT_COPY.name}-{lang}")


#: JupyterLab's own interface language: its language packs' locale names
LAB_LOCALES = {"en": "en", "fr": "fr_FR", "pt": "pt_BR", "ar": "ar_SA"}


def lab_settings(target: Path, lang: str) -> Path:
    """The copy's own JupyterLab settings, with Lab's interface in ``lang`` (its language
    pack, installed with the package for each shipped language)."""
    folder = target / ".lab-settings"
    plugin = folder / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    locale = LAB_LOCALES.get(lang, "en")
    plugin.parent.mkdir(parents=True, exist_ok=True)
    plugin.write_text(json.dumps({"locale": locale}, indent=2) + "\n", encoding="utf-8")
    return folder


def prepare_copy(target: Path, release: Path | None = None, lang: str = i18n.SOURCE
                 ) -> list[Path]:
    """Copy release notebooks the learner does not have yet into ``target``, their text in
    ``lang``; never overwrite. Returns the files copied."""
    release = release or release_source()
    target = target.expanduser()
    lang = i18n.normalise(lang) or i18n.SOURCE
    copied = []
    for module in MODULES:
        src_dir = release / module.assignment
        if not src_dir.is_dir():
            continue
        for src in sorted(src_dir.iterdir()):
            if src.name.startswith(".") or not src.is_file():
                continue
            dest = target / module.assignment / src.name
            if dest.exists():
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            if src.suffix == ".ipynb" and lang != i18n.SOURCE:
                write_translated(src, dest, lang)
            else:
                tmp = dest.with_name(f".{dest.name}.tmp")
                shutil.copyfile(src, tmp)
                os.replace(tmp, dest)
            copied.append(dest)
    readme = target / README_NAME
    if not readme.exists():
        target.mkdir(parents=True, exist_ok=True)
        with i18n.language(lang):
            lines = [i18n._("# Your DIGIT4SD course"), "",
                     i18n._("Open the modules in order. Your answers are saved as you work, "
                            "in a file called `digit4sd_workbook.json` in each module folder: "
                            "keep it with the notebooks when you submit an assignment."), ""]
            for m in MODULES:
                lines.append(i18n._("- **Module {number}: {title}** (`{folder}/`)").format(
                    number=m.number, title=m.title, folder=m.assignment))
                lines += [f"  - {s.id} {s.title}" for s in m.submodules]
        readme.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return copied


def set_copy_language(target: Path, lang: str, workbook_class) -> None:
    """Write ``lang`` into the workbook of every module folder of the copy, so that the
    widgets, the checks' messages and nbgrader's feedback speak it."""
    for module in MODULES:
        folder = Path(target) / module.assignment
        if folder.is_dir():
            book = workbook_class.open(folder / WORKBOOK_FILE, siblings=False)
            if book.language() != lang:
                book.set_language(lang)


def lab_command(target: Path, *, port: int | None = None, no_browser: bool = False,
                extra: list[str] | None = None) -> list[str]:
    """The JupyterLab command line for the copy ``target``."""
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={target}",
           # no news feed and no update check: both call the internet, and a classroom
           # may have none
           "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class="
           "jupyterlab.handlers.announcements.NeverCheckForUpdate",
           f"--LabApp.default_url=/lab/tree/{README_NAME}"]
    if port:
        cmd.append(f"--port={port}")
    if no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd + list(extra or [])


def import_workbook(target: Path, source: Path, workbook_class
                    ) -> tuple[list[str], list[str], str, int]:
    """Take the answers of the workbook file ``source`` into the workbook of every module
    folder of the course copy ``target`` (made where missing, merged where present with
    ``workbook_class.merge_from``: nothing saved later in the copy is replaced). Returns (the
    answers taken in, anywhere; the module folders written; the download's participant, as
    its file says; how many answers the download holds). ``ValueError`` with a plain message
    when ``source`` is not a workbook; nothing is written then."""
    source = Path(source).expanduser()
    probe = workbook_class.in_memory()
    held = len(probe.merge_from(source))  # reads and checks the file before any write
    learner = _learner_of(source)
    if not held:
        return [], [], learner, 0
    taken: set[str] = set()
    folders = []
    for module in MODULES:
        folder = Path(target) / module.assignment
        if not folder.is_dir():
            continue
        book = workbook_class.open(folder / WORKBOOK_FILE, siblings=False)
        for problem in book.problems:
            print(problem)
        taken.update(book.merge_from(source))
        folders.append(module.assignment)
    return sorted(taken), folders, learner, held


def _learner_of(source: Path) -> str:
    import json

    try:
        learner = json.loads(source.read_text(encoding="utf-8-sig")).get("learner_id", "")
    except (OSError, ValueError, AttributeError):
        return ""
    learner = learner if isinstance(learner, str) else ""
    return learner.split(":", 1)[1] if learner.startswith("participant:") else ""


def run_lab(target: Path, *, port: int | None = None, no_browser: bool = False,
            extra: list[str] | None = None, workbook: Path | None = None,
            workbook_class=None, lang: str = i18n.SOURCE) -> int:
    """Prepare the learner's copy (taking in ``workbook``, a file from a room, with
    ``workbook_class``), then replace this process with JupyterLab on it."""
    target = target.expanduser().resolve()
    if workbook is not None and not Path(workbook).expanduser().is_file():
        print(f"error: there is no file {workbook}. Give the workbook file you downloaded "
              "from the room, for example: digit4sd lab workbook-amina-k.json",
              file=sys.stderr)
        return 2
    lang = i18n.normalise(lang)
    if lang is None:
        print("error: that language is not offered. Offered: "
              + ", ".join(i18n.languages()), file=sys.stderr)
        return 2
    copied = prepare_copy(target, lang=lang)
    if workbook_class is not None:
        set_copy_language(target, lang, workbook_class)
    os.environ["JUPYTERLAB_SETTINGS_DIR"] = str(lab_settings(target, lang))
    os.environ[i18n.ENV] = lang
    if copied:
        print(f"Copied {len(copied)} course notebooks to {target}")
    else:
        print(f"Your course copy: {target} (nothing overwritten)")
    if workbook is not None:
        try:
            taken, folders, learner, held = import_workbook(target, Path(workbook),
                                                            workbook_class)
        except ValueError as exc:
            print(f"error: {exc} Nothing was changed in your course copy.", file=sys.stderr)
            return 2
        who = f" (participant {learner})" if learner else ""
        if not held:
            print(f"The workbook from the room{who} has no answers in it yet: your course "
                  "copy opens as it is.")
        elif taken:
            print(f"Your workbook from the room{who}: {len(taken)} answers taken into your "
                  f"course copy, in each of its {len(folders)} module folders. Answers you "
                  "saved later in the copy were kept.")
        else:
            print(f"Your course copy already has every answer of this workbook{who}, or a "
                  "newer one: nothing was changed.")
    cmd = lab_command(target, port=port, no_browser=no_browser, extra=extra)
    os.execv(cmd[0], cmd)  # pragma: no cover  (replaces this process with JupyterLab)
    return 0
