"""``digit4sd grade release``: the learner version regenerated and one zip per assignment to
hand out by hand."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

from .. import i18n
from ..atomic import write_atomic
from ..course import MODULES
from ..course.translate import write_translated
from .common import GradeError, assignment_module, dist_dir, project_root, visible, zip_bytes


# --------------------------------------------------------------------------- release
def release(root: Path | None = None, assignment: str | None = None,
            langs: Iterable[str] = ()) -> list[Path]:
    """Regenerate ``course/release/`` (all assignments, or one) with nbgrader and write one
    zip per assignment to ``dist/release/<assignment>.zip`` for handing out by hand; for each
    language of ``langs``, also ``dist/release/<lang>/<assignment>.zip``: the same notebooks
    (cells, grade ids, tests), their text translated
    (:func:`~digit4sd_widgets.course.translate.translate_notebook`), collected and graded
    exactly like the English ones.

    Each zip holds ``<assignment>/<notebook>.ipynb`` and any other released file, never
    checkpoints, hidden files, workbooks or instructor material (the zip is unpacked and
    checked before it is written)."""
    from ..course.release import ReleaseError, generate_release, leaks

    root = project_root(root)
    names = [assignment_module(assignment).assignment] if assignment else \
        [m.assignment for m in MODULES]
    try:
        generate_release(root, names)
    except ReleaseError as exc:
        raise GradeError(str(exc)) from None
    written = []
    offered = []
    for lang in langs:
        if i18n.normalise(lang) is None:
            raise GradeError(f"no catalogue for the language {lang!r}; offered: "
                             f"{', '.join(i18n.languages())}")
        if i18n.normalise(lang) != i18n.SOURCE:
            offered.append(i18n.normalise(lang))
    for name, lang in [(n, lg) for n in names for lg in [i18n.SOURCE, *offered]]:
        folder = root / "course" / "release" / name
        files = [(f"{name}/{p.relative_to(folder).as_posix()}", p)
                 for p in sorted(folder.rglob("*"))
                 if p.is_file() and all(visible(Path(part)) for part in
                                        p.relative_to(folder).parts)
                 and p.name != "digit4sd_workbook.json"]
        target = dist_dir(root) / "release" / f"{name}.zip"
        scratch = None
        if lang != i18n.SOURCE:
            scratch = tempfile.TemporaryDirectory()
            translated = []
            for arcname, path in files:
                if path.suffix == ".ipynb":
                    path = write_translated(path, Path(scratch.name) / arcname, lang)
                translated.append((arcname, path))
            files = translated
            target = dist_dir(root) / "release" / lang / f"{name}.zip"
        data = zip_bytes(files)
        if scratch is not None:
            scratch.cleanup()
        with tempfile.TemporaryDirectory() as tmp:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names_inside = zf.namelist()
                zf.extractall(tmp)
            found = leaks(Path(tmp))
        hidden = [n for n in names_inside if any(not visible(Path(part)) for part in
                                                 n.split("/"))]
        if found or hidden:
            raise GradeError(f"the zip of {name} would hand out instructor material or hidden "
                             f"files ({', '.join(found + hidden)}); nothing was written")
        write_atomic(target, data)
        written.append(target)
    return written
