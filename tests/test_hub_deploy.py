"""The Hub's configuration and setup rules, without starting one (test_hub_class.py does)."""

from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

import pytest
from traitlets.config import Config

from digit4sd_widgets.cli import main
from digit4sd_widgets.hub import deploy as hub
from digit4sd_widgets.hub.deploy import HubError, HubPlan

ROOT = Path(__file__).resolve().parent.parent


def plan(tmp_path: Path, **kw) -> HubPlan:
    base = dict(state=tmp_path / "state", instructors=["ama", "ben"], learners=["cy", "dee"],
                grader="grader-x", exchange=tmp_path / "exchange",
                gradebook="postgresql+psycopg://grader@db.example:5433/course",
                proxy="/opt/proxy/bin/configurable-http-proxy", service_port=9555,
                home_root=tmp_path / "home")
    base.update(kw)
    return HubPlan(**base)


def test_plan_survives_its_json_file(tmp_path):
    p = plan(tmp_path)
    again = HubPlan.from_json(p.to_json())
    assert again == p
    assert isinstance(again.state, Path)
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "hub.json").write_text(p.to_json(), encoding="utf-8")
    assert hub.load_plan(tmp_path / "state") == p


def test_load_plan_says_what_to_run_when_setup_has_not_been_run(tmp_path):
    with pytest.raises(HubError, match="digit4sd hub setup"):
        hub.load_plan(tmp_path)


def test_configure_gives_instructors_the_formgrader_and_learners_only_their_server(tmp_path):
    p = plan(tmp_path)
    c = Config()
    hub.configure(c, p, env={"DIGIT4SD_HUB_URL": "http://10.0.0.5:8000"})
    assert c.JupyterHub.bind_url == "http://10.0.0.5:8000"
    assert c.Authenticator.allowed_users == {"ama", "ben", "cy", "dee"}
    assert c.Authenticator.admin_users == set()
    groups = c.JupyterHub.load_groups
    assert groups["formgrade-digit4sd"]["users"] == ["ama", "ben"]
    assert groups["learners"]["users"] == ["cy", "dee"]
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["formgrade-digit4sd"]["groups"] == ["formgrade-digit4sd"]
    assert "access:services!service=digit4sd" in roles["formgrade-digit4sd"]["scopes"]
    # nobody but the formgrade group is given the service
    assert all("access:services" not in " ".join(r["scopes"])
               for name, r in roles.items() if name != "formgrade-digit4sd")
    (service,) = c.JupyterHub.services
    assert service["name"] == "digit4sd" and service["user"] == "grader-x"
    assert service["url"] == "http://127.0.0.1:9555"
    assert service["cwd"] == str(p.grader_workdir)
    assert c.Spawner.environment["JUPYTER_CONFIG_PATH"] == str(p.config_dir)
    assert c.ConfigurableHTTPProxy.command == ["/opt/proxy/bin/configurable-http-proxy"]
    # the Hub's secrets live in the root-only folder
    assert c.JupyterHub.cookie_secret_file.startswith(str(p.secrets_dir))
    assert str(p.secrets_dir) in c.JupyterHub.db_url


def test_the_graders_config_names_the_gradebook_but_holds_no_password(tmp_path):
    p = plan(tmp_path)
    text = hub._grader_config(p, (ROOT / "nbgrader_config.py").read_text(encoding="utf-8"))
    namespace: dict = {}
    config = Config()
    exec(compile(text, "nbgrader_config.py", "exec"), {"get_config": lambda: config}, namespace)
    assert config.CourseDirectory.db_url == "postgresql+psycopg://grader@db.example:5433/course"
    assert config.Exchange.root == str(tmp_path / "exchange")
    assert config.ExchangeFactory.collect.endswith("OwnerCheckedCollect")
    # the course's own rules are kept (hidden tracebacks in feedback, restored tests)
    assert config.OverwriteCells.add_missing_cells is True
    assert "password" not in text.lower()


def test_sqlite_stays_the_default_gradebook(tmp_path):
    p = plan(tmp_path, gradebook="")
    assert p.gradebook_url == f"sqlite:///{p.grader_workdir / 'course' / 'gradebook.db'}"


def test_pgpass_line_escapes_colons_and_backslashes():
    line = hub._pgpass_line("postgresql+psycopg://grader@db:5433/course", r"a:b\c")
    assert line == "db:5433:course:grader:a\\:b\\\\c\n"
    assert hub._pgpass_line("postgresql://g@h/d", "p") == "h:5432:d:g:p\n"


def test_setup_refuses_without_root(tmp_path, monkeypatch):
    monkeypatch.setattr(hub.os, "geteuid", lambda: 1000)
    with pytest.raises(HubError, match="as root"):
        hub.setup(plan(tmp_path))


@pytest.mark.parametrize("change, message", [
    ({"learners": ["ama"]}, "not both"),
    ({"learners": ["Robert'); DROP"]}, "not a usable account name"),
    ({"gradebook": "mysql://x@y/z"}, "postgresql:// or sqlite://"),
])
def test_setup_refuses_a_wrong_plan_before_touching_anything(tmp_path, monkeypatch,
                                                              change, message):
    monkeypatch.setattr(hub.os, "geteuid", lambda: 0)
    with pytest.raises(HubError, match=message):
        hub.setup(plan(tmp_path, **change), project=ROOT)
    assert not (tmp_path / "exchange").exists()


def test_cli_explains_instead_of_a_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(hub.os, "geteuid", lambda: 1000)
    code = main(["hub", "setup", "--state", str(tmp_path), "--learner", "cy,dee"])
    assert code == 2
    assert "run it as root" in capsys.readouterr().err


def test_sync_apps_copies_new_and_changed_apps_only(tmp_path):
    src = tmp_path / "apps"
    src.mkdir()
    (src / "3_2_stakeholders.ipynb").write_text("{}", encoding="utf-8")
    (src / "4_1_canvas.ipynb").write_text("{}", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    assert hub.sync_apps(src, home) == 2
    assert hub.sync_apps(src, home) == 0
    (src / "4_1_canvas.ipynb").write_text('{"new": 1}', encoding="utf-8")
    assert hub.sync_apps(src, home) == 1
    assert json.loads((home / "digit4sd_apps" / "4_1_canvas.ipynb").read_text()) == {"new": 1}
    assert hub.sync_apps(tmp_path / "missing", home) == 0


def test_app_url():
    assert hub.app_url("https://hub.example/", "cy", "3_2_stakeholders") == \
        "https://hub.example/user/cy/voila/render/digit4sd_apps/3_2_stakeholders.ipynb"


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to hand folders to other accounts")
def test_collect_refuses_a_submission_handed_in_under_another_learners_name(tmp_path,
                                                                          monkeypatch):
    """'nobody' hands in twice, then 'daemon' hands in as 'nobody' (later) and as itself;
    'daemon' also makes a folder in the name of 'games' only. Only genuine work is taken."""
    import logging
    import sys

    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory

    from digit4sd_widgets.hub.exchange import OwnerCheckedCollect

    # a new gradebook runs nbgrader's database migrations with the alembic command
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    inbound = tmp_path / "exchange" / "c1" / "inbound"
    inbound.mkdir(parents=True)

    def hand_in(owner: str, name: str, stamp: str, text: str) -> None:
        folder = inbound / f"{name}+a1+{stamp}+r{len(text)}"
        folder.mkdir()
        (folder / "nb.ipynb").write_text(text, encoding="utf-8")
        (folder / "timestamp.txt").write_text(stamp, encoding="utf-8")
        entry = pwd.getpwnam(owner)
        for path in (folder, folder / "nb.ipynb", folder / "timestamp.txt"):
            os.chown(path, entry.pw_uid, entry.pw_gid)

    hand_in("nobody", "nobody", "2026-01-01 10:00:00.000000 UTC", "first")
    hand_in("nobody", "nobody", "2026-01-02 10:00:00.000000 UTC", "second")
    hand_in("daemon", "nobody", "2026-01-03 10:00:00.000000 UTC", "forged")
    hand_in("daemon", "daemon", "2026-01-02 10:00:00.000000 UTC", "own")
    hand_in("daemon", "games", "2026-01-02 10:00:00.000000 UTC", "forged-only")

    config = Config()
    config.CourseDirectory.root = str(tmp_path / "course")
    config.CourseDirectory.course_id = "c1"
    config.CourseDirectory.db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    config.Exchange.root = str(tmp_path / "exchange")
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = "a1"
    collect = OwnerCheckedCollect(coursedir=coursedir, authenticator=Authenticator(config=config),
                                  config=config)
    messages: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record):
            messages.append(record.getMessage())

    handler = Catch(logging.ERROR)
    collect.log.addHandler(handler)
    try:
        collect.start()
    finally:
        collect.log.removeHandler(handler)
    submitted = tmp_path / "course" / "submitted"
    assert (submitted / "nobody" / "a1" / "nb.ipynb").read_text() == "second"
    assert (submitted / "daemon" / "a1" / "nb.ipynb").read_text() == "own"
    assert not (submitted / "games").exists()
    refused = [m for m in messages if m.startswith("Refused")]
    assert len(refused) == 2
    assert any("handed in as nobody but belongs to the account daemon" in m for m in refused)


@pytest.mark.skipif(os.geteuid() != 0, reason="setup runs as root")
def test_setup_will_not_follow_a_link_planted_in_the_graders_home(tmp_path, monkeypatch):
    """Learners' code runs as the grader during grading; setup (root) must not be steered
    into writing elsewhere through a link there."""
    p = plan(tmp_path, instructors=[], learners=[], grader="nobody", gradebook="")
    home = tmp_path / "grader-home"
    (home / "digit4sd").mkdir(parents=True)
    (home / "digit4sd" / "course").symlink_to(tmp_path / "elsewhere")
    monkeypatch.setattr(HubPlan, "grader_home", property(lambda self: home))
    monkeypatch.setattr(hub, "_close_home", lambda name: [])
    with pytest.raises(HubError, match="symbolic link"):
        hub.setup(p, project=ROOT)
    assert not (tmp_path / "elsewhere").exists()


def test_setup_needs_the_course_project(tmp_path, monkeypatch):
    monkeypatch.setattr(hub.os, "geteuid", lambda: 0)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(HubError, match="not the course project"):
        hub.setup(plan(tmp_path))
    assert not (tmp_path / "exchange").exists()
