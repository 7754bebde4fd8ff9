"""The ``digit4sd`` command line, run as a user runs it."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from digit4sd_widgets import __version__, cli
from digit4sd_widgets.data import loader as data


def run(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "digit4sd_widgets.cli", *args],
                          capture_output=True, text=True, timeout=120, **kwargs)


def test_version_and_help():
    assert run("--version").stdout.strip() == f"digit4sd {__version__}"
    out = run("--help").stdout
    assert "data" in out
    assert "check" in run("data", "--help").stdout


def test_data_check_prints_the_summary():
    result = run("data", "check")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "12 editions x 193 UN Member States" in lines[0]
    assert any(line.split()[:2] == ["2024", "193"] for line in lines)
    assert lines[-1] == "OK: all checks passed"
    assert len(lines) <= 24  # one screen


def test_data_check_fails_on_a_tampered_file(tmp_path, monkeypatch, capsys):
    copy = tmp_path / "datasets"
    shutil.copytree(data.dataset_dir(), copy)
    survey = copy / "survey.csv"
    survey.write_text(survey.read_text(encoding="utf-8").replace("0.65696", "0.99999"),
                      encoding="utf-8")
    monkeypatch.setattr(data, "dataset_dir", lambda: copy)
    for fn in (data._registry, data._survey, data._countries, data._groups, data._internet):
        fn.cache_clear()
    try:
        assert cli.main(["data", "check"]) == 1
        assert "survey.csv does not match its checksum" in capsys.readouterr().out
    finally:
        for fn in (data._registry, data._survey, data._countries, data._groups,
                   data._internet):
            fn.cache_clear()


def test_data_build_into_a_folder(tmp_path, raw_dir):
    result = run("data", "build", "--raw", str(raw_dir), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "survey.csv (2316 rows)" in result.stdout
    assert (tmp_path / "registry.json").is_file()


def test_data_build_without_raw_files_says_so(tmp_path):
    result = run("data", "build", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path))
    assert result.returncode == 2
    assert "no raw data folder" in result.stderr


@pytest.mark.slow
def test_installed_wheel_ships_the_dataset(root, tmp_path):
    """A normal (non-editable) install finds the data inside the package."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(wheels), str(root)], check=True, timeout=300)
    (wheel,) = wheels.glob("digit4sd_widgets-*.whl")
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
                    "--target", str(site), str(wheel)], check=True, timeout=300)
    code = ("from digit4sd_widgets.data import load_survey, dataset_dir;"
            "print(load_survey().shape, dataset_dir().parent.parent.name)")
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    # PYTHONPATH puts the installed copy ahead of the checkout; run from an unrelated folder
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["(2316,", "15)", "site"]
    # the classroom server's template and the course it builds apps from travel too
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for part in ("digit4sd_widgets/share/voila/templates/digit4sd/index.html.j2",
                 "digit4sd_widgets/share/voila/templates/digit4sd/watchdog.js",
                 "digit4sd_widgets/share/voila/templates/digit4sd/conf.json",
                 "digit4sd_widgets/course_release/m3_planning_analysis/3_2_stakeholders.ipynb"):
        assert part in names, part


def test_the_guide_is_written_as_a_page_to_print(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "guide.html"
    done = subprocess.run([sys.executable, "-m", "digit4sd_widgets.cli", "guide", "--out",
                           str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "@page" in page and "<script" not in page and "http" not in page.split("<body>")[0]
    for heading in ("The two-day timetable", "The one-day workshop", "Forming the groups",
                    "The breakouts", "The plenary", "Running the room with no internet",
                    "When something fails"):
        assert f">{heading}</h2>" in page, heading
    assert page.count("<table>") >= 3
