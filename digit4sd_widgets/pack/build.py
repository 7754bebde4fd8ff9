"""``digit4sd pack``: course material about each participant's own country, made before a
workshop, to read offline or print.

For each country a pack folder holds:

- ``index.html``: the contents, with the size of every page;
- ``profile.html``: the one-page country profile (:mod:`digit4sd_widgets.pack.profile`);
- ``pages/<notebook>.html``: each course notebook run for the country, as a static page that
  shows every exercise as it appears in JupyterLab (a static copy of each widget, charts as
  embedded PNG) and needs no server, no script and no internet;
- ``notebooks/<module>/<notebook>.ipynb``: the same executed notebooks, to open in Lab;
- ``pack.json``: what was made, sizes and any failure.

What runs is the learner (release) version of each notebook, made into reading material:
coding tasks and graded checks are left out (a short note says where they are done), so a
pack holds no solution, no hidden test, no mark scheme and no failing cell. Each notebook
runs with ``country=`` set, in a fresh kernel, against a fresh workbook in a temporary folder
(``DIGIT4SD_WORKBOOK``), so nothing of the host's own work is read or written.

Notebooks of all countries run in a process pool across the cores. A notebook that fails is
reported (country, notebook, reason) and the rest go on; the pack then says what is missing.
Every file is written atomically, and a country's pack replaces the old one only when done.

``lang`` (``digit4sd pack --lang fr``) makes the packs in another language of the course:
the notebooks' text translated (:func:`digit4sd_widgets.course.translate.translate_notebook`),
the kernels run with ``DIGIT4SD_LANG`` so that every widget speaks it, and the profile and
the index in it too. A pack in English is ``<out>/<ISO3>/``; in another language it is
``<out>/<ISO3>-<lang>/`` (``packs/BGD-fr/``), so both can sit side by side.
"""

from __future__ import annotations

import copy
import html
import json
import logging
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import data, i18n
from ..atomic import shared_mode, swap_folder, write_atomic
from ..course import SUBMODULES, Submodule, submodule
from ..course.apps import LAB_ONLY
from ..i18n import N_, _, ngettext
from ..workbook import ENV_VAR, FILENAME, Workbook

PAGE_LIMIT = 2_000_000  # bytes: a notebook page for a slow connection
PROFILE_LIMIT = 1_000_000  # bytes: the one-page profile
CELL_TIMEOUT = 180  # seconds a notebook cell may run
SETUP_TAG = "digit4sd-pack-setup"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
SETUP_SOURCE = "from digit4sd_widgets.static import register\n\nregister()"
#: the notes that stand for what a reading copy leaves out (translated when a pack is made)
CODING_NOTE = N_("> **Answering with code.** In your own copy of the notebook in JupyterLab, "
                 "the questions above can also be answered with code. That part is left out "
                 "of this printed copy.")
CHECK_NOTE = N_("> **Check.** This check runs in your own copy of the notebook in JupyterLab, "
                "once you have done the exercise above.")
NO_STATIC = N_("An interactive part: open the notebook in JupyterLab to see it.")
GROUP_WORDS = {"ldc": "ldc", "ldcs": "ldc", "lldc": "lldc", "lldcs": "lldc",
               "sids": "sids"}
EXTERNAL = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?"
    r"\b(?:src|href|data)\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)
CSS_EXTERNAL = re.compile(r"(?:@import\s+|url\(\s*[\"']?)\s*(?:https?:)?//", re.IGNORECASE)

__all__ = ["PackError", "PackReport", "Page", "build_packs", "external_references",
           "pack_folder", "pack_language", "resolve_countries", "select_notebooks"]


class PackError(ValueError):
    """A request the packer cannot carry out (unknown country or notebook)."""


# ============================================================================ what to pack
def resolve_countries(names: Iterable[str]) -> list[str]:
    """ISO3 codes for codes, names and group names (LDC, LLDC, SIDS: their current
    members), in the order given, without repeats. Unknown names raise :class:`PackError`
    with the closest names as suggestions."""
    codes: list[str] = []
    countries = data.load_countries()
    for name in names:
        group = GROUP_WORDS.get(str(name).strip().casefold())
        if group:
            members = countries[countries[group]].sort_values("name")
            codes += [str(c) for c in members["iso3"]]
            continue
        try:
            codes.append(data.find_country(str(name)))
        except ValueError as exc:
            raise PackError(f"{exc} Or name a group: LDC, LLDC, SIDS.") from None
    if not codes:
        raise PackError("Name at least one country (an ISO3 code or a name) or a group "
                        "(LDC, LLDC, SIDS).")
    return list(dict.fromkeys(codes))


def select_notebooks(ids: Iterable[str] | None) -> list[Submodule]:
    """The notebooks to run: all 19 by default, else the given submodule ids (``"2.3"``);
    ``"none"`` gives only the profile."""
    if ids is None:
        return list(SUBMODULES)
    if isinstance(ids, str):
        ids = [ids]
    wanted = [i.strip() for part in ids for i in str(part).split(",") if i.strip()]
    if [w.casefold() for w in wanted] == ["none"]:
        return []
    chosen = []
    for sub_id in wanted:
        try:
            chosen.append(submodule(sub_id))
        except KeyError as exc:
            raise PackError(str(exc.args[0])) from None
    return sorted(set(chosen), key=SUBMODULES.index)


def release_folder() -> Path:
    from ..course.lab import release_source

    return release_source()


# ============================================================================ notebooks
def reading_copy(nb: Any) -> Any:
    """The learner notebook as reading material: coding tasks (solution cells) and graded
    checks left out, each run of them replaced by one short note (in the current language);
    nbgrader's cell metadata removed; a first cell that makes every widget carry a static
    copy of itself."""
    import nbformat

    nb = copy.deepcopy(nb)
    cells = []
    left_out: list[str] = []

    def flush() -> None:
        if left_out:
            note = CODING_NOTE if "solution" in left_out else CHECK_NOTE
            cells.append(nbformat.v4.new_markdown_cell(_(note)))
            left_out.clear()

    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("solution") or meta.get("grade")):
            left_out.append("solution" if meta.get("solution") else "check")
            continue
        if LAB_ONLY in cell.metadata.get("tags", []):  # what speaks of code: Lab only
            if cell.cell_type == "code":
                left_out.append("solution")
            continue
        flush()
        cell.metadata.pop("nbgrader", None)
        cells.append(cell)
    flush()
    setup = nbformat.v4.new_code_cell(SETUP_SOURCE)
    setup.metadata["tags"] = [SETUP_TAG]
    nb.cells = [setup, *cells]
    return nb


def finish_notebook(nb: Any) -> Any:
    """After the run: drop the setup cell, the stored widget state and the live-widget
    entries of outputs (their static copy stays), and the run's local paths."""
    setup = [c for c in nb.cells if SETUP_TAG in c.metadata.get("tags", [])]
    nb.cells = [c for c in nb.cells if c not in setup]
    shift = sum(1 for c in setup if c.get("execution_count"))
    nb.metadata.pop("widgets", None)
    pm = nb.metadata.get("papermill", {})
    for key in ("input_path", "output_path", "cwd"):
        pm.pop(key, None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.get("execution_count"):  # number the cells as if the setup cell never ran
            cell.execution_count -= shift
        for out in cell.get("outputs", []):
            if out.get("execution_count"):
                out["execution_count"] -= shift
            bundle = out.get("data")
            if not bundle or WIDGET_MIME not in bundle:
                continue
            del bundle[WIDGET_MIME]
            bundle.setdefault("text/html", f"<p><i>{html.escape(_(NO_STATIC))}</i></p>")
            plain = str(bundle.get("text/plain", "widget"))
            bundle["text/plain"] = plain.split("(", 1)[0][:80] + "(...)"
    return nb


def notebook_problems(nb: Any) -> list[str]:
    """Reasons a run notebook must not go into a pack (error outputs, tracebacks)."""
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"{out.get('ename')}: {out.get('evalue', '')}".strip())
            text = json.dumps(out)
            if "NotImplementedError" in text or "Traceback (most recent call last)" in text:
                found.append("a cell shows an error traceback")
    return found


@lru_cache(maxsize=4)
def _exporter(lang: str = i18n.SOURCE):
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="pack",
                            extra_template_basedirs=[str(Path(__file__).parent / "templates")])
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.language_code = lang
    return exporter


def export_html(nb: Any, *, title: str, nav: str = "") -> str:
    """A run notebook as one static HTML page with nothing loaded from outside, its
    ``lang`` and ``dir`` the current language's."""
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    lang = i18n.get_language()
    body, _resources = _exporter(lang).from_notebook_node(nb,
                                                          resources={"digit4sd_nav": nav})
    return body.replace(f'<html lang="{lang}">',
                        f'<html lang="{lang}" dir="{i18n.direction(lang)}">', 1)


def external_references(page: str) -> list[str]:
    """Tags and styles in an HTML page that would load something from another host."""
    found = [m.group(0)[:120] for m in EXTERNAL.finditer(page)]
    found += [m.group(0)[:120] for m in CSS_EXTERNAL.finditer(page)]
    return found


# ============================================================================ results
@dataclass
class Page:
    """One page of a pack: a notebook or the profile, with its size or why it failed."""

    iso3: str
    kind: str  # "notebook" | "profile"
    sub_id: str = ""
    title: str = ""
    html: str = ""  # path inside the pack
    ipynb: str = ""
    size: int = 0  # bytes of the HTML page
    seconds: float = 0.0
    error: str = ""

    @property
    def limit(self) -> int:
        return PROFILE_LIMIT if self.kind == "profile" else PAGE_LIMIT

    @property
    def over(self) -> bool:
        return self.size > self.limit

    @property
    def label(self) -> str:
        return "Country profile" if self.kind == "profile" else f"{self.sub_id} {self.title}"


@dataclass
class Pack:
    iso3: str
    name: str
    folder: Path
    pages: list[Page] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)  # editions without figures
    lang: str = i18n.SOURCE

    @property
    def failures(self) -> list[Page]:
        return [p for p in self.pages if p.error]

    @property
    def total(self) -> int:
        return sum(p.size for p in self.pages)


@dataclass
class PackReport:
    packs: list[Pack]
    seconds: float
    jobs: int

    @property
    def failures(self) -> list[Page]:
        return [p for pack in self.packs for p in pack.failures]

    @property
    def ok(self) -> bool:
        return not self.failures

    def size_lines(self, per_page: bool = True) -> list[str]:
        lines = []
        for pack in self.packs:
            over = [p for p in pack.pages if p.over]
            lines.append(f"{pack.iso3} {pack.name}: {pack.folder / 'index.html'}  "
                         f"total {human(pack.total)} in {len(pack.pages)} pages"
                         + (f", {len(pack.failures)} failed" if pack.failures else "")
                         + (f", {len(over)} over target" if over else ""))
            for p in pack.pages:
                if not (per_page or p.over or p.error):
                    continue
                state = (f"FAILED: {p.error}" if p.error
                         else f"{human(p.size):>9}" + (f"  OVER the {human(p.limit)} target"
                                                        if p.over else ""))
                lines.append(f"  {p.label[:46]:<46} {state}")
        done = sum(len(p.pages) for p in self.packs)
        lines.append(f"{len(self.packs)} pack(s), {done} pages, {len(self.failures)} failed, "
                     f"in {self.seconds:.1f} s with {self.jobs} job(s). Targets: notebook page "
                     f"< {human(PAGE_LIMIT)}, profile < {human(PROFILE_LIMIT)}.")
        return lines


def human(size: int) -> str:
    """A file size as the reader writes it (``1.20 MB``, ``1,20 Mo``)."""
    if size >= 1_000_000:
        return _("{size} MB").format(size=i18n.number(round(size / 1_000_000, 2), 2))
    return _("{size} kB").format(size=i18n.number(round(size / 1000), 0))


# ============================================================================ writing
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write(path: Path, text: str) -> None:
    """Packs are meant to be shared: files get the usual permissions, not a temporary
    file's."""
    write_atomic(path, text, mode=shared_mode())


def _nav(depth: int) -> str:
    up = "../" * depth
    contents, profile = html.escape(_("Contents of this pack")), html.escape(_("Country profile"))
    return (f'<nav class="d4-nav"><a href="{up}index.html">{contents}</a>'
            f'<a href="{up}profile.html">{profile}</a></nav>')


def _one_line(text: str, limit: int = 160) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


@dataclass(frozen=True)
class Task:
    iso3: str
    kind: str
    sub_id: str
    staging: str
    release: str
    timeout: int
    lang: str = i18n.SOURCE


def _init_worker() -> None:
    """A quiet worker: results and errors travel back as values, so what kernels print at
    start-up (ipykernel's transport warning) and library log lines go nowhere."""
    for name in ("papermill", "traitlets", "nbconvert"):
        logging.getLogger(name).setLevel(logging.ERROR)
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def run_task(task: Task) -> Page:
    """Make one page of one pack (runs in a worker process)."""
    start = time.perf_counter()
    page = Page(task.iso3, task.kind, task.sub_id)
    try:
        with i18n.language(task.lang):
            if task.kind == "profile":
                _make_profile(task, page)
            else:
                _make_notebook(task, page)
    except Exception as exc:
        page.error = _reason(exc)
    page.seconds = round(time.perf_counter() - start, 2)
    return page


def _reason(exc: Exception) -> str:
    ename = getattr(exc, "ename", None)
    if ename:  # a failing cell (papermill)
        evalue = getattr(exc, "evalue", "")
        count = getattr(exc, "exec_count", None)
        where = f"cell {count}: " if count else ""
        return _one_line(f"{where}{ename}: {evalue}")
    return _one_line(f"{type(exc).__name__}: {exc}")


def _make_profile(task: Task, page: Page) -> None:
    from .profile import profile_html

    page.title = "Country profile"
    text = profile_html(task.iso3)
    _check_page(text)
    _write(Path(task.staging) / "profile.html", text)
    page.html = "profile.html"
    page.size = len(text.encode("utf-8"))


def _check_page(text: str) -> None:
    from ..course.release import LEAK_MARKERS

    outside = external_references(text)
    if outside:
        raise RuntimeError(f"the page would load from the internet: {outside[0]}")
    leaked = [m for m in LEAK_MARKERS if m in text]
    if leaked:
        raise RuntimeError(f"the page holds instructor material ({leaked[0]})")


def _make_notebook(task: Task, page: Page) -> None:
    import nbformat
    import papermill

    from ..course.translate import translate_notebook

    sub = submodule(task.sub_id)
    page.title = sub.title
    source = nbformat.read(Path(task.release) / sub.path, as_version=4)
    reading = reading_copy(translate_notebook(source, task.lang))
    with tempfile.TemporaryDirectory(prefix="digit4sd-pack-") as tmp:
        workbook = Path(tmp) / FILENAME
        book = Workbook.open(workbook, siblings=False)
        book.set_case(country=task.iso3)
        if task.lang != i18n.SOURCE:
            book.set_language(task.lang)
        # the kernel's widgets speak the pack's language; its workbook is the pack's own
        env = {ENV_VAR: str(workbook), i18n.ENV: task.lang}
        before = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            executed = papermill.execute_notebook(
                reading, None, parameters={"country": task.iso3}, cwd=tmp,
                progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                execution_timeout=task.timeout)
        finally:
            for key, value in before.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    finished = finish_notebook(executed)
    problems = notebook_problems(finished)
    if problems:
        raise RuntimeError(problems[0])
    name = data.load_countries().set_index("iso3").loc[task.iso3, "name"]
    title = _("{id} {title}: {country}").format(
        id=sub.id, title=_(sub.title), country=i18n.country_name(task.iso3, str(name)))
    text = export_html(finished, title=title, nav=_nav(1))
    _check_page(text)
    staging = Path(task.staging)
    page.ipynb = f"notebooks/{sub.path}"
    page.html = f"pages/{sub.notebook}.html"
    _write(staging / page.ipynb, nbformat.writes(finished))
    _write(staging / page.html, text)
    page.size = len(text.encode("utf-8"))


# ============================================================================ index
INDEX_CSS = """
body { font-family: 'DejaVu Sans', Arial, Helvetica, sans-serif; color: #1d2327;
       max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { color: #1f5fa8; margin-bottom: 0.2rem; } h2 { color: #1f5fa8; margin-top: 1.4rem; }
.meta, .size { color: #5f6b73; } .size { font-size: 0.85rem; }
.failed { color: #b00020; } .note { background: #fff4e0; padding: 0.3rem 0.6rem; }
li { margin: 0.2rem 0; }
"""


def index_html(pack: Pack) -> str:
    from ..course import MODULES

    by_sub = {p.sub_id: p for p in pack.pages if p.kind == "notebook"}
    profile = next((p for p in pack.pages if p.kind == "profile"), None)

    def entry(p: Page, label: str) -> str:
        if p.error:
            reason = _("(not available: {reason})").format(reason=_(p.error))
            return (f'<li>{html.escape(label)} <span class="failed">{html.escape(reason)}'
                    "</span></li>")
        link = html.escape(_("notebook file"))
        extra = f' · <a href="{html.escape(p.ipynb)}">{link}</a>' if p.ipynb else ""
        return (f'<li><a href="{html.escape(p.html)}">{html.escape(label)}</a> '
                f'<span class="size">({html.escape(human(p.size))}{extra})</span></li>')

    parts = []
    if profile is not None:
        label = _("Country profile (one page, to print)")
        parts.append(f"<ul>{entry(profile, label)}</ul>")
    for module in MODULES:
        items = [entry(by_sub[s.id], s.id + " " + _(s.title)) for s in module.submodules
                 if s.id in by_sub]
        if items:
            heading = _("Module {number}: {title}").format(number=module.number,
                                                           title=_(module.title))
            parts.append(f"<h2>{html.escape(heading)}</h2><ul>{''.join(items)}</ul>")
    name = i18n.country_name(pack.iso3, pack.name)
    missing = ""
    if pack.missing:
        from .profile import _spans

        note = _("The UN E-Government Survey has no EGDI for {country} in {years}: the "
                 "profile and the exercises show the editions that have figures.").format(
            country=name, years=_spans(pack.missing))
        missing = f'<p class="note">{html.escape(note)}</p>'
    failed = ""
    if pack.failures:
        count = len(pack.failures)
        note = ngettext("{n} page could not be made; the rest of the pack is complete.",
                        "{n} pages could not be made; the rest of the pack is complete.",
                        count).format(n=count)
        failed = f'<p class="note failed">{html.escape(note)}</p>'
    stamp = i18n.date(datetime.now(UTC))
    title = _("DIGIT4SD course pack: {country}").format(country=name)
    count = len(pack.pages)
    meta = ngettext("{code} · made {date} · {n} page, {size} in all.",
                    "{code} · made {date} · {n} pages, {size} in all.", count).format(
        code=pack.iso3, date=stamp, n=count, size=human(pack.total))
    meta += " " + _("Every page opens offline in a browser and prints; the notebook files "
                    "open in JupyterLab.")
    lang = i18n.get_language()
    return (f'<!DOCTYPE html>\n<html lang="{lang}" dir="{i18n.direction(lang)}"><head>'
            '<meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{INDEX_CSS}</style></head><body>"
            f"<h1>{html.escape(title)}</h1>"
            f'<p class="meta">{html.escape(meta)}</p>'
            f"{missing}{failed}{''.join(parts)}</body></html>\n")


#: why a page was left out of a pack, shown on its index
LEFT_OUT = N_("left out: it held instructor material")


def _finalise(pack: Pack, staging: Path) -> None:
    """Write the index and manifest, check for leaks, then put the pack in place."""
    from ..course.release import leaks

    for rel in leaks(staging):
        (staging / rel).unlink()
        for p in pack.pages:
            if rel in (p.html, p.ipynb):
                p.error = p.error or LEFT_OUT
    order = {s.id: i for i, s in enumerate(SUBMODULES)}
    pack.pages.sort(key=lambda p: -1 if p.kind == "profile" else order.get(p.sub_id, 99))
    with i18n.language(pack.lang):
        _write(staging / "index.html", index_html(pack))
    manifest = {"country": pack.iso3, "name": pack.name, "lang": pack.lang,
                "made": datetime.now(UTC).isoformat(timespec="seconds"),
                "missing_editions": pack.missing,
                "limits": {"notebook_page": PAGE_LIMIT, "profile": PROFILE_LIMIT},
                "pages": [{**asdict(p), "over_limit": p.over} for p in pack.pages]}
    _write(staging / "pack.json", json.dumps(manifest, indent=1) + "\n")
    swap_folder(staging, pack.folder)


# ============================================================================ the run
def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover (not on Linux)
        return max(1, os.cpu_count() or 1)


def pack_language(lang: str | None) -> str:
    """The language code of a pack (``"fr-FR"`` -> ``"fr"``); :class:`PackError` for a
    language the course is not offered in."""
    code = i18n.normalise(lang or i18n.SOURCE)
    if code is None:
        raise PackError(f"The course is not offered in the language {lang!r}. Choose one "
                        f"of: {', '.join(i18n.languages())}.")
    return code


def pack_folder(out: Path, iso3: str, lang: str = i18n.SOURCE) -> Path:
    """Where a country's pack goes: ``<out>/<ISO3>`` in English, ``<out>/<ISO3>-<lang>``
    in another language."""
    return out / (iso3 if lang == i18n.SOURCE else f"{iso3}-{lang}")


def build_packs(countries: Sequence[str], out: str | os.PathLike = "packs", *,
                jobs: int | None = None, notebooks: Sequence[str] | None = None,
                release: str | os.PathLike | None = None, progress: bool | None = None,
                timeout: int = CELL_TIMEOUT, profile: bool = True,
                on_failure: Callable[[Page], None] | None = None,
                lang: str | None = None) -> PackReport:
    """Make one pack per country in ``out`` (see the module text) and return the report.

    ``countries``: ISO3 codes, names or group names. ``notebooks``: submodule ids (default
    all). ``progress``: a progress bar on stderr (default: when stderr is a terminal).
    ``on_failure`` is called with each failed page as soon as it is known. ``lang``: the
    language of the packs (default English), each in ``<out>/<ISO3>-<lang>/``.

    Workers are started with "spawn" (a fresh interpreter, safe whatever threads the caller
    runs): call this from a script guarded by ``if __name__ == "__main__":``, from the
    command line, or from a notebook.
    """
    from tqdm import tqdm

    lang = pack_language(lang)
    codes = resolve_countries(countries)
    subs = select_notebooks(notebooks)
    jobs = max(1, int(jobs or default_jobs()))
    release_dir = Path(release) if release is not None else release_folder()
    out_dir = Path(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    names = data.load_countries().set_index("iso3")["name"]
    survey = data.load_survey()

    packs: dict[str, Pack] = {}
    stagings: dict[str, Path] = {}
    tasks: list[Task] = []
    for iso3 in codes:
        missing = [int(y) for y in survey[(survey["iso3"] == iso3)
                                          & survey["egdi"].isna()]["year"]]
        packs[iso3] = Pack(iso3, str(names[iso3]), pack_folder(out_dir, iso3, lang),
                           missing=missing, lang=lang)
        staging = Path(tempfile.mkdtemp(prefix=f".{iso3}.partial-", dir=out_dir))
        staging.chmod(0o777 & ~_umask())
        stagings[iso3] = staging
        if profile:
            tasks.append(Task(iso3, "profile", "", str(staging), str(release_dir), timeout,
                              lang))
        tasks += [Task(iso3, "notebook", s.id, str(staging), str(release_dir), timeout, lang)
                  for s in subs]
    remaining = {iso3: sum(t.iso3 == iso3 for t in tasks) for iso3 in codes}
    start = time.perf_counter()
    bar = tqdm(total=len(tasks), unit="page", desc="Packing", file=sys.stderr,
               disable=None if progress is None else not progress,
               ncols=min(100, shutil.get_terminal_size().columns))
    context = multiprocessing.get_context("spawn")
    try:
        for iso3 in [c for c in codes if remaining[c] == 0]:
            _finalise(packs[iso3], stagings.pop(iso3))
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                 initializer=_init_worker) as pool:
            futures = {pool.submit(run_task, t): t for t in tasks}
            for future in as_completed(futures):
                task = futures[future]
                try:
                    page = future.result()
                except Exception as exc:  # the worker process itself died
                    page = Page(task.iso3, task.kind, task.sub_id,
                                error=_one_line(f"the worker stopped: {exc}"))
                    if task.kind == "notebook":
                        page.title = submodule(task.sub_id).title
                pack = packs[task.iso3]
                pack.pages.append(page)
                if page.error:
                    bar.write(f"FAILED {task.iso3} {page.label}: {page.error}", file=sys.stderr)
                    if on_failure is not None:
                        on_failure(page)
                bar.update(1)
                remaining[task.iso3] -= 1
                if remaining[task.iso3] == 0:
                    _finalise(pack, stagings.pop(task.iso3))
    finally:
        bar.close()
        for staging in stagings.values():  # stopped before the end: leave no half pack
            shutil.rmtree(staging, ignore_errors=True)
    return PackReport([packs[c] for c in codes], round(time.perf_counter() - start, 2), jobs)


def main(args: Any) -> int:
    """``digit4sd pack`` (called by the command line)."""
    try:
        report = build_packs(args.countries, args.out, jobs=args.jobs,
                             notebooks=args.notebooks,
                             progress=False if args.no_progress else None,
                             timeout=args.timeout, lang=getattr(args, "lang", None))
    except PackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # no course release, or the output folder cannot be written
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("stopped: no unfinished pack was kept", file=sys.stderr)
        return 130
    per_page = args.all_sizes or len(report.packs) <= 4
    print("\n".join(report.size_lines(per_page=per_page)))
    if not per_page:
        print("(pages within target are not listed; --all-sizes lists every page)")
    return 0 if report.ok else 1
