"""The dataset build: deterministic, self-checking, atomic."""

from __future__ import annotations

import os
import shutil

import pytest

from digit4sd_widgets import atomic
from digit4sd_widgets.data import build as databuild


def test_build_reproduces_the_shipped_dataset_byte_for_byte(raw_dir, root, tmp_path):
    databuild.build(raw_dir, tmp_path)
    shipped = root / "datasets"
    for name in ["survey.csv", "countries.csv", "groups.csv", "internet_use.csv",
                 "registry.json"]:
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), (
            f"{name} drifted from data/raw: run `digit4sd data build` and commit")


def test_an_unknown_country_name_stops_the_build_and_writes_nothing(raw_dir, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    path = raw / "EGOV_DATA_2016.csv"
    path.write_text(path.read_text(encoding="utf-8").replace('"Iraq "', '"Irak "'),
                    encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(databuild.BuildError):
        databuild.build(raw, out)
    assert not out.exists() or not any(out.iterdir())


def test_a_figure_that_disagrees_with_the_world_bank_copy_stops_the_build(raw_dir, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    path = raw / "EGOV_DATA_2024.csv"
    text = path.read_text(encoding="utf-8")
    assert '"Bangladesh ",100,0.65696' in text
    path.write_text(text.replace('"Bangladesh ",100,0.65696', '"Bangladesh ",100,0.65697'),
                    encoding="utf-8")
    with pytest.raises(databuild.BuildError, match="EGDI values differ"):
        databuild.build_tables(raw)


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "t.csv"
    target.write_text("old\n", encoding="utf-8")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", boom)
    with pytest.raises(OSError):
        databuild.atomic_write_text(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_egdi_level_rejects_impossible_values():
    with pytest.raises(ValueError):
        databuild.egdi_level(-0.1)


def test_built_files_are_readable_by_every_account(tmp_path):
    """A shared server's learners and grader all read the dataset (not a temporary file's
    private mode 600)."""
    target = tmp_path / "t.csv"
    mask = os.umask(0o022)
    try:
        databuild.atomic_write_text(target, "new\n")
    finally:
        os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o644
