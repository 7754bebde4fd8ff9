"""The course on JupyterHub: one server, many learners and instructors, nbgrader's exchange,
and a gradebook on PostgreSQL.

Two parts, both used by ``deploy/jupyterhub/``:

- :func:`setup` (``digit4sd hub setup``, run once as root, again after any change) prepares
  the machine: the learners' homes closed to each other, the exchange folder, the grader
  account with its copy of the course and its gradebook settings, the configuration the
  single-user servers read, the Voila apps, and ``hub.json`` that records all of it.
- :func:`configure` turns ``hub.json`` into JupyterHub's configuration: who may log in, the
  instructors' group and role, the course's grading service (the formgrader, run as the
  grader account), and how each user's server is started.

The layout follows nbgrader's "one class, several graders" arrangement: the course, its
gradebook settings and the formgrader live in one shared grader account run as a Hub service;
instructors reach it through a group; learners only ever see the exchange.

>>> plan = HubPlan(state=Path("/srv/digit4sd-hub"), instructors=["ama"], learners=["bo", "cy"])
>>> plan.formgrade_group
'formgrade-digit4sd'
>>> plan.grader_workdir
PosixPath('/home/grader-digit4sd/digit4sd')
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..atomic import write_atomic
from ..course import MODULES, SUBMODULES, course_dir
from ..course.apps import SHARE

STATE_ENV = "DIGIT4SD_HUB_STATE"
PASSWORD_ENV = "DIGIT4SD_GRADEBOOK_PASSWORD"
PLAN_FILE = "hub.json"
APPS_FOLDER = "digit4sd_apps"
_NAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")


class HubError(Exception):
    """A setup problem, told in words an administrator can act on."""


@dataclass
class HubPlan:
    """Everything the Hub needs to know about this course on this machine."""

    state: Path
    instructors: list[str] = field(default_factory=list)
    learners: list[str] = field(default_factory=list)
    admins: list[str] = field(default_factory=list)
    course_id: str = "digit4sd"
    grader: str = "grader-digit4sd"
    exchange: Path = Path("/srv/nbgrader/exchange")
    gradebook: str = ""  # nbgrader db_url; empty: SQLite in the grader's course folder
    python_bin: Path = Path(sys.prefix) / "bin"
    proxy: str = "configurable-http-proxy"
    service_port: int = 9990
    home_root: Path = Path("/home")

    # -- derived places
    @property
    def formgrade_group(self) -> str:
        # nbgrader looks for groups named formgrade-<course> to list an instructor's courses
        return f"formgrade-{self.course_id}"

    @property
    def grader_home(self) -> Path:
        try:
            return Path(pwd.getpwnam(self.grader).pw_dir)
        except KeyError:
            return self.home_root / self.grader

    @property
    def grader_workdir(self) -> Path:
        """Where the formgrader runs: ``nbgrader_config.py`` and ``course/``."""
        return self.grader_home / self.course_id

    @property
    def config_dir(self) -> Path:
        """Jupyter configuration read by every single-user server (``JUPYTER_CONFIG_PATH``)."""
        return self.state / "jupyter"

    @property
    def apps_dir(self) -> Path:
        return self.state / "apps"

    @property
    def secrets_dir(self) -> Path:
        """The Hub's own database, cookie secret and proxy state: root only."""
        return self.state / "secrets"

    @property
    def gradebook_url(self) -> str:
        return self.gradebook or f"sqlite:///{self.grader_workdir / 'course' / 'gradebook.db'}"

    def to_json(self) -> str:
        data = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(self).items()}
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> HubPlan:
        data = json.loads(text)
        for key in ("state", "exchange", "python_bin", "home_root"):
            data[key] = Path(data[key])
        return cls(**data)


def load_plan(state: str | os.PathLike | None = None) -> HubPlan:
    """The plan written by :func:`setup` (``$DIGIT4SD_HUB_STATE/hub.json``)."""
    folder = Path(state or os.environ.get(STATE_ENV) or "/srv/digit4sd-hub")
    path = folder / PLAN_FILE
    if not path.is_file():
        raise HubError(f"{path} is missing: run `digit4sd hub setup --state {folder}` first")
    return HubPlan.from_json(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- small helpers
def _write(path: Path, text: str) -> None:
    """Configuration every account reads (mode 644), written atomically."""
    write_atomic(path, text, mode=0o644)


def _chown_tree(path: Path, user: str) -> None:
    entry = pwd.getpwnam(user)
    for folder, dirs, files in os.walk(path):
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        for name in dirs + files:
            os.chown(os.path.join(folder, name), entry.pw_uid, entry.pw_gid, follow_symlinks=False)


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def run_as(user: str, argv: list[str], cwd: Path | None = None,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a command as ``user`` (root only), with a clean environment."""
    entry = pwd.getpwnam(user)
    base = {"HOME": entry.pw_dir, "USER": user, "LOGNAME": user, "LANG": "C.UTF-8",
            "PATH": f"{Path(sys.prefix) / 'bin'}:/usr/local/bin:/usr/bin:/bin"}
    base.update(env or {})
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    return subprocess.run([runuser, "-u", user, "--", *argv], cwd=cwd, env=base,
                          capture_output=True, text=True, check=False)


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise HubError(f"{name!r} is not a usable account name (lower-case letters, digits, "
                       "'-' and '_', starting with a letter)")
    return name


# --------------------------------------------------------------------------- setup
def _ensure_user(name: str, create: bool) -> list[str]:
    if user_exists(name):
        return []
    if not create:
        raise HubError(f"there is no account {name!r} on this machine: create it, or run "
                       "setup with --create-users")
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "-K", "HOME_MODE=0700",
                    "-K", "UMASK=077", name], check=True, capture_output=True, text=True)
    return [f"created the account {name}"]


def _close_home(name: str) -> list[str]:
    home = Path(pwd.getpwnam(name).pw_dir)
    if not home.is_dir():
        entry = pwd.getpwnam(name)
        home.mkdir(parents=True)
        os.chown(home, entry.pw_uid, entry.pw_gid)
    mode = home.stat().st_mode & 0o777
    if mode & 0o077:
        os.chmod(home, mode & 0o700)
        return [f"closed {home} to other accounts (was {oct(mode)})"]
    return []


def _pgpass_line(url: str, password: str) -> str:
    parts = urlsplit(url)
    fields = [parts.hostname or "localhost", str(parts.port or 5432),
              parts.path.lstrip("/") or "*", parts.username or "*", password]
    return ":".join(f.replace("\\", "\\\\").replace(":", "\\:") for f in fields) + "\n"


def _grader_config(plan: HubPlan, project_config: str) -> str:
    """The course's own nbgrader settings, then where this machine keeps things."""
    return (
        project_config.rstrip() + "\n\n"
        "# --- on the Hub (written by `digit4sd hub setup`; change the plan, not this file)\n"
        f"c.CourseDirectory.root = {str(plan.grader_workdir / 'course')!r}\n"
        f"c.CourseDirectory.db_url = {plan.gradebook_url!r}\n"
        f"c.Exchange.root = {str(plan.exchange)!r}\n"
        "# a submission is collected only from the account of the learner it names\n"
        "c.ExchangeFactory.collect = 'digit4sd_widgets.hub.exchange.OwnerCheckedCollect'\n"
    )


def _user_nbgrader_config(plan: HubPlan) -> str:
    return (
        '"""nbgrader on the DIGIT4SD hub: written by `digit4sd hub setup`."""\n\n'
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {plan.course_id!r}\n"
        f"c.Exchange.root = {str(plan.exchange)!r}\n"
        "c.ExchangeFactory.collect = 'digit4sd_widgets.hub.exchange.OwnerCheckedCollect'\n"
    )


def _user_server_config(plan: HubPlan) -> str:
    return (
        '"""Every single-user server on the DIGIT4SD hub: written by `digit4sd hub setup`."""\n\n'
        "from digit4sd_widgets.hub.deploy import sync_apps\n\n"
        "c = get_config()  # noqa: F821\n"
        "# the formgrader belongs to the course's grading service, not to each user's server\n"
        "c.ServerApp.jpserver_extensions = {'nbgrader.server_extensions.formgrader': False}\n"
        "# the apps as in a workshop room: no code, no tracebacks, nothing from the internet\n"
        "c.VoilaConfiguration.template = 'digit4sd'\n"
        "c.VoilaConfiguration.strip_sources = True\n"
        "c.VoilaConfiguration.show_tracebacks = False\n"
        "c.VoilaConfiguration.theme = 'light'\n"
        "c.ServerApp.tornado_settings = {'mathjax_url': ''}  # Voila's default is a CDN\n"
        "# kernels talk over socket files in the user's private runtime folder, not loopback\n"
        "# TCP ports, where another account on the machine could listen to their output\n"
        "c.KernelManager.transport = 'ipc'\n"
        f"sync_apps({str(plan.apps_dir)!r})\n"
    )


_PAGE_CONFIG = {"disabledExtensions": {
    "@jupyter/nbgrader:formgrader": True,
    "@jupyter/nbgrader:create-assignment": True,
    # JupyterLab's news would ask the internet for updates; the course works offline
    "@jupyterlab/apputils-extension:announcements": True,
}}


def _previous_plan(state: Path) -> HubPlan | None:
    try:
        return load_plan(state)
    except (HubError, ValueError, TypeError, KeyError):
        return None


def setup(plan: HubPlan, *, create_users: bool = False, project: Path | None = None,
          password: str | None = None, update_course: bool = False) -> list[str]:
    """Prepare this machine for the plan; return what was done, one line per step.

    Run it again after adding learners: the grader's copy of the course (which instructors
    may have edited) and the gradebook are kept; ``update_course`` replaces the course from
    the project, setting the old copy aside.
    """
    if os.geteuid() != 0:
        raise HubError("hub setup changes accounts and folders of several users: run it as "
                       "root (sudo)")
    for name in [plan.grader, *plan.instructors, *plan.learners, *plan.admins]:
        _check_name(name)
    overlap = set(plan.instructors) & set(plan.learners)
    if overlap:
        raise HubError(f"{', '.join(sorted(overlap))}: an account is an instructor or a "
                       "learner, not both")
    if plan.gradebook and not plan.gradebook.startswith(("postgresql", "sqlite")):
        raise HubError("the gradebook is a postgresql:// or sqlite:// address")
    root = Path(project) if project else Path.cwd()
    if not (root / "nbgrader_config.py").is_file() or not (root / "course" / "source").is_dir():
        raise HubError(f"{root} is not the course project: run setup from a clone of it (the "
                       "folder with nbgrader_config.py and course/), or give --project")
    done: list[str] = []

    # accounts, each home closed to the others
    # the grader has no password (no one logs in as it); its shell serves the instructors'
    # terminal in the grading service, for digit4sd grade and nbgrader commands
    done += _ensure_user(plan.grader, create_users)
    for name in [*plan.instructors, *plan.learners, *plan.admins]:
        done += _ensure_user(name, create_users)
    for name in sorted({plan.grader, *plan.instructors, *plan.learners, *plan.admins}):
        done += _close_home(name)

    # the exchange: anyone may create entries, nobody may rename or remove another's
    plan.exchange.mkdir(parents=True, exist_ok=True)
    os.chown(plan.exchange, 0, 0)
    os.chmod(plan.exchange, 0o1777)
    course_box = plan.exchange / plan.course_id
    course_box.mkdir(exist_ok=True)
    grader = pwd.getpwnam(plan.grader)
    os.chown(course_box, grader.pw_uid, grader.pw_gid)
    os.chmod(course_box, 0o755)
    done.append(f"exchange ready at {plan.exchange} (course folder owned by {plan.grader})")

    # the grader's copy of the course, and where its grades go. Instructors may edit it (the
    # formgrader's Edit buttons), so a second setup keeps it unless asked to replace it.
    work = plan.grader_workdir
    # learners' code runs as the grader while it is graded: never follow a link planted there
    for path in (plan.grader_home, work, work / "course", plan.grader_home / ".pgpass",
                 *(work / "course" / part for part in ("source", "release"))):
        if path.is_symlink():
            raise HubError(f"{path} is a symbolic link; setup writes there as root and will "
                           "not follow it. Remove it and run setup again.")
    (work / "course").mkdir(parents=True, exist_ok=True)
    src = course_dir(root)
    fresh = update_course or not (work / "course" / "source").exists()
    if fresh:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for part in ("source", "release"):
            target = work / "course" / part
            if target.exists():  # set aside, never deleted
                target.rename(target.with_name(f"{part}.replaced-{stamp}"))
            shutil.copytree(src / part, target)
        done.append(f"course copied into {work / 'course'}")
    else:
        done.append(f"kept the grader's course in {work / 'course'} (--update-course replaces "
                    "it from the project; the old one is set aside)")
    previous = _previous_plan(plan.state)
    new_gradebook = previous is None or previous.gradebook_url != plan.gradebook_url
    _write(work / "nbgrader_config.py",
           _grader_config(plan, (root / "nbgrader_config.py").read_text(encoding="utf-8")))
    _chown_tree(plan.grader_home, plan.grader)
    os.chmod(plan.grader_home, 0o700)
    if plan.gradebook.startswith("postgresql"):
        secret = password if password is not None else os.environ.get(PASSWORD_ENV)
        if secret:
            write_atomic(plan.grader_home / ".pgpass", _pgpass_line(plan.gradebook, secret),
                         mode=0o600, owner=plan.grader)
            done.append(f"gradebook password stored in {plan.grader_home}/.pgpass (mode 600)")
        elif not (plan.grader_home / ".pgpass").exists():
            raise HubError(f"the gradebook needs a password: set {PASSWORD_ENV} for setup "
                           "(it is stored in the grader's ~/.pgpass, never in a config file)")
    # nbgrader puts the assignments into the gradebook (and makes the tables) as the grader:
    # for a new course or a new gradebook
    where = plan.gradebook_url.split("@")[-1]
    if fresh or new_gradebook:
        for m in MODULES:
            out = run_as(plan.grader, [str(plan.python_bin / "nbgrader"), "generate_assignment",
                                       m.assignment, "--force", "--log-level=ERROR"], cwd=work)
            if out.returncode:
                raise HubError(f"nbgrader could not add {m.assignment} to the gradebook "
                               f"({where}):\n{out.stderr[-2000:]}")
        done.append(f"{len(MODULES)} assignments in the gradebook at {where}")

    # configuration read by every single-user server, and the Voila apps
    from ..course.apps import build_apps

    plan.config_dir.mkdir(parents=True, exist_ok=True)
    _write(plan.config_dir / "nbgrader_config.py", _user_nbgrader_config(plan))
    _write(plan.config_dir / "jupyter_server_config.py", _user_server_config(plan))
    _write(plan.config_dir / "labconfig" / "page_config.json",
           json.dumps(_PAGE_CONFIG, indent=2) + "\n")
    with tempfile.TemporaryDirectory() as tmp:
        built = build_apps(Path(tmp), root / "course" / "release")
        plan.apps_dir.mkdir(parents=True, exist_ok=True)
        for path in built:
            _write(plan.apps_dir / path.name, path.read_text(encoding="utf-8"))
    done.append(f"{len(built)} Voila apps in {plan.apps_dir}")

    plan.secrets_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(plan.secrets_dir, 0o700)
    for folder in (plan.state, plan.config_dir, plan.config_dir / "labconfig", plan.apps_dir):
        os.chmod(folder, 0o755)
    _write(plan.state / PLAN_FILE, plan.to_json())
    done.append(f"plan written to {plan.state / PLAN_FILE}")
    return done


# --------------------------------------------------------------------------- user servers
def sync_apps(source: str | os.PathLike, home: str | os.PathLike | None = None) -> int:
    """Copy the course's Voila apps into ``~/digit4sd_apps/``; return how many changed.

    Runs in each user's server as it starts, as that user. The apps sit beside the learner's
    assignment folders, so their workbook carries the same case (see ``workbook.py``).
    """
    src = Path(source)
    target = Path(home or Path.home()) / APPS_FOLDER
    if not src.is_dir():
        return 0
    target.mkdir(exist_ok=True)
    changed = 0
    for app in sorted(src.glob("*.ipynb")):
        dest = target / app.name
        data = app.read_bytes()
        if dest.is_file() and dest.read_bytes() == data:
            continue
        tmp = dest.with_name(f".{dest.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, dest)
        changed += 1
    return changed


def app_url(base: str, user: str, notebook: str) -> str:
    """The address of one app served by Voila inside a user's server."""
    return f"{base.rstrip('/')}/user/{user}/voila/render/{APPS_FOLDER}/{notebook}.ipynb"


# --------------------------------------------------------------------------- JupyterHub config
def configure(c, plan: HubPlan, env: dict[str, str] | None = None) -> None:
    """Fill JupyterHub's config object ``c`` from the plan (called by jupyterhub_config.py).

    Addresses can be moved with ``DIGIT4SD_HUB_URL`` (public, default ``http://:8000``),
    ``DIGIT4SD_HUB_API_URL`` (the Hub's own, ``http://127.0.0.1:8081``) and
    ``DIGIT4SD_PROXY_API_URL`` (``http://127.0.0.1:8001``).
    """
    env = dict(os.environ if env is None else env)
    secrets = plan.secrets_dir
    c.JupyterHub.bind_url = env.get("DIGIT4SD_HUB_URL", "http://:8000")
    c.JupyterHub.hub_bind_url = env.get("DIGIT4SD_HUB_API_URL", "http://127.0.0.1:8081")
    c.JupyterHub.cookie_secret_file = str(secrets / "jupyterhub_cookie_secret")
    c.JupyterHub.db_url = env.get("DIGIT4SD_HUB_DB_URL",
                                  f"sqlite:///{secrets / 'jupyterhub.sqlite'}")
    c.JupyterHub.pid_file = str(secrets / "jupyterhub.pid")
    c.ConfigurableHTTPProxy.command = [plan.proxy]
    c.ConfigurableHTTPProxy.api_url = env.get("DIGIT4SD_PROXY_API_URL", "http://127.0.0.1:8001")
    c.ConfigurableHTTPProxy.pid_file = str(secrets / "proxy.pid")
    c.JupyterHub.cleanup_servers = True

    # who may come in: system accounts checked by PAM, as on The Littlest JupyterHub
    c.JupyterHub.authenticator_class = env.get("DIGIT4SD_HUB_AUTHENTICATOR", "pam")
    c.Authenticator.allowed_users = set(plan.instructors) | set(plan.learners) | set(plan.admins)
    c.Authenticator.admin_users = set(plan.admins)
    c.JupyterHub.load_groups = {
        plan.formgrade_group: {"users": list(plan.instructors)},
        "instructors": {"users": list(plan.instructors)},
        "learners": {"users": list(plan.learners)},
    }
    c.JupyterHub.load_roles = [
        {"name": plan.formgrade_group, "groups": [plan.formgrade_group],
         "scopes": [f"access:services!service={plan.course_id}", "list:services",
                    f"read:services!service={plan.course_id}"]},
        # a server acts with its owner's rights (the course list looks up the services)
        {"name": "server", "scopes": ["inherit"]},
    ]

    # every user's own server: JupyterLab with the assignments tab, and Voila for the apps
    user_env = {"JUPYTER_CONFIG_PATH": str(plan.config_dir),
                # where Voila finds the course's offline template
                "JUPYTER_PATH": str(SHARE),
                "PATH": f"{plan.python_bin}:/usr/local/bin:/usr/bin:/bin",
                "LANG": "C.UTF-8"}
    c.Spawner.cmd = [str(plan.python_bin / "jupyterhub-singleuser")]
    c.Spawner.environment = user_env
    c.Spawner.default_url = "/lab"
    c.Spawner.start_timeout = 120
    c.Spawner.http_timeout = 90

    # the course's grading service: the formgrader, run as the grader account
    c.JupyterHub.services = [{
        "name": plan.course_id,
        "url": f"http://127.0.0.1:{plan.service_port}",
        "command": [str(plan.python_bin / "jupyterhub-singleuser"), "--ServerApp.root_dir="
                    + str(plan.grader_workdir)],
        "user": plan.grader,
        "cwd": str(plan.grader_workdir),
        "environment": {**user_env, "JUPYTER_CONFIG_PATH": "",
                        "JUPYTERHUB_DEFAULT_URL": "/formgrader"},
        "oauth_no_confirm": True,
    }]


# --------------------------------------------------------------------------- command line
def _split(values: list[str] | None) -> list[str]:
    return [n.strip() for v in values or [] for n in v.split(",") if n.strip()]


def add_parser(sub) -> None:
    hub = sub.add_parser("hub", help="run the course on JupyterHub (several instructors, many "
                                     "learners)")
    actions = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)
    p = actions.add_parser("setup", help="prepare this machine (as root): accounts, exchange, "
                                         "grader, gradebook, apps")
    p.add_argument("--state", default="/srv/digit4sd-hub",
                   help="folder for the Hub's plan, configuration and secrets "
                        "(default: /srv/digit4sd-hub)")
    p.add_argument("--instructor", action="append", metavar="NAME",
                   help="an instructor's account (repeat, or separate with commas)")
    p.add_argument("--learner", action="append", metavar="NAME",
                   help="a learner's account (repeat, or separate with commas)")
    p.add_argument("--admin", action="append", metavar="NAME",
                   help="a Hub administrator (can reach every server; keep it to IT staff)")
    p.add_argument("--learners-file", help="a text file with one learner account per line")
    p.add_argument("--exchange", default="/srv/nbgrader/exchange",
                   help="nbgrader's exchange folder (default: /srv/nbgrader/exchange)")
    p.add_argument("--grader", default="grader-digit4sd",
                   help="the account the formgrader runs as (default: grader-digit4sd)")
    p.add_argument("--gradebook", default="",
                   help="the gradebook's address, e.g. postgresql+psycopg://grader@db:5432/"
                        f"digit4sd (password from ${PASSWORD_ENV}); default: SQLite")
    p.add_argument("--proxy", default="configurable-http-proxy",
                   help="the configurable-http-proxy command")
    p.add_argument("--service-port", type=int, default=9990,
                   help="local port of the grading service (default: 9990)")
    p.add_argument("--project", help="the course project the Hub serves: a clone of this "
                                     "repository (default: the current folder)")
    p.add_argument("--update-course", action="store_true",
                   help="replace the grader's copy of the course with the project's (the old "
                        "copy is set aside, not deleted)")
    p.add_argument("--create-users", action="store_true",
                   help="create missing accounts (homes closed to other accounts)")
    p.set_defaults(func=_cmd_setup)


def _cmd_setup(args) -> int:
    learners = _split(args.learner)
    if args.learners_file:
        learners += [line.strip() for line in
                     Path(args.learners_file).read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#")]
    plan = HubPlan(state=Path(args.state).resolve(), instructors=_split(args.instructor),
                   learners=learners, admins=_split(args.admin), grader=args.grader,
                   exchange=Path(args.exchange).resolve(), gradebook=args.gradebook,
                   proxy=args.proxy, service_port=args.service_port)
    try:
        for line in setup(plan, create_users=args.create_users, project=args.project,
                          update_course=args.update_course):
            print(f"- {line}")
    except HubError as exc:
        print(f"digit4sd hub setup: {exc}", file=sys.stderr)
        return 2
    print(f"Start the Hub with: {STATE_ENV}={plan.state} jupyterhub -f "
          "deploy/jupyterhub/jupyterhub_config.py")
    print(f"{len(plan.learners)} learners, {len(plan.instructors)} instructors; "
          f"{len(SUBMODULES)} apps at /user/<name>/voila/render/{APPS_FOLDER}/")
    return 0
