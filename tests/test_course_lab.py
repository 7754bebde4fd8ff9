"""``digit4sd lab``: the learner's own copy of the release, never overwritten."""

from __future__ import annotations

from digit4sd_widgets.course import SUBMODULES
from digit4sd_widgets.course.lab import README_NAME, lab_command, prepare_copy, release_source


def test_first_use_copies_the_release(tmp_path):
    copied = prepare_copy(tmp_path / "mine")
    names = sorted(p.relative_to(tmp_path / "mine").as_posix() for p in copied)
    assert names == sorted(s.path for s in SUBMODULES)
    assert (tmp_path / "mine" / README_NAME).is_file()


def test_later_use_never_overwrites_the_learners_work(tmp_path):
    target = tmp_path / "mine"
    prepare_copy(target)
    mine = target / SUBMODULES[0].path
    mine.write_text("my own edits", encoding="utf-8")
    (target / "m1_getting_started" / "digit4sd_workbook.json").write_text("{}", "utf-8")
    gone = target / SUBMODULES[1].path
    gone.unlink()
    copied = prepare_copy(target)
    assert copied == [gone]  # only what is missing comes back
    assert mine.read_text(encoding="utf-8") == "my own edits"
    assert (target / "m1_getting_started" / "digit4sd_workbook.json").read_text("utf-8") == "{}"


def test_lab_command_opens_the_copy(tmp_path):
    cmd = lab_command(tmp_path, port=9999, no_browser=True)
    assert "jupyterlab" in cmd and f"--ServerApp.root_dir={tmp_path}" in cmd
    assert "--port=9999" in cmd and "--no-browser" in cmd
    assert release_source().is_dir()
