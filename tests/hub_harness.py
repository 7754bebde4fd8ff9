"""A real class on this machine: a PostgreSQL server, Unix accounts, JupyterHub with its proxy.

Used by ``tests/test_hub_class.py`` and ``benchmarks/bench_hub.py``. Everything is started here and
stopped again; passwords and tokens are made fresh each time and never written to the project.
Needs root (accounts, PAM, spawning as other users), PostgreSQL's server binaries (Debian's
``postgresql``) and ``deploy/jupyterhub/node_modules`` (``npm ci`` there).
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from digit4sd_widgets.hub.deploy import user_exists

ROOT = Path(__file__).resolve().parent.parent
PROXY = ROOT / "deploy" / "jupyterhub" / "node_modules" / ".bin" / "configurable-http-proxy"
HUB_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PREFIX = "d4hub"
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"


def missing() -> str | None:
    """Why a real Hub cannot run here, or ``None``."""
    if os.geteuid() != 0:
        return "needs root (Unix accounts, PAM logins, servers started as each user)"
    if not postgres_bin():
        return "needs PostgreSQL's server (Debian package postgresql)"
    if not PROXY.exists():
        return "needs configurable-http-proxy (npm ci in deploy/jupyterhub)"
    if not Path(RUNUSER).exists() or not shutil.which("useradd"):
        return "needs runuser and useradd"
    return None


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float, what: str, every: float = 0.2):
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        try:
            value = check()
            if value:
                return value
        except Exception as exc:
            last = exc
        time.sleep(every)
    raise TimeoutError(f"{what} not ready after {timeout:.0f} s (last: {last!r})")


def _open_to_all(path: Path) -> list[tuple[Path, int]]:
    """Let other accounts reach ``path`` (x on each folder above it); return what to undo."""
    changed = []
    for folder in [*reversed(path.parents), path]:
        mode = folder.stat().st_mode & 0o7777
        if not mode & 0o001:
            os.chmod(folder, mode | 0o011)
            changed.append((folder, mode))
    return changed


# --------------------------------------------------------------------------- PostgreSQL
class Postgres:
    """A PostgreSQL cluster of its own: one database, one password-protected role."""

    def __init__(self, base: Path, database: str = "digit4sd_gradebook",
                 role: str = "digit4sd_grader"):
        self.bin = postgres_bin()
        self.base = base
        self.data = base / "data"
        self.sockets = base / "run"
        self.port = free_port()
        self.database = database
        self.role = role
        self.password = secrets.token_urlsafe(24)
        self.log = base / "postgres.log"

    @property
    def url(self) -> str:
        """The gradebook address nbgrader is given: no password in it."""
        return f"postgresql+psycopg://{self.role}@127.0.0.1:{self.port}/{self.database}"

    def _as_postgres(self, *argv: str, stdin: str | None = None) -> str:
        out = subprocess.run([RUNUSER, "-u", "postgres", "--", *argv], input=stdin,
                             capture_output=True, text=True, check=False, cwd="/")
        if out.returncode:
            raise RuntimeError(f"{argv[0]} failed: {out.stderr.strip()}")
        return out.stdout

    def psql(self, sql: str) -> str:
        return self._as_postgres(str(self.bin / "psql"), "-X", "-q", "-A", "-t", "-v",
                                 "ON_ERROR_STOP=1", "-h", str(self.sockets), "-p",
                                 str(self.port), "-d", "postgres", stdin=sql)

    def start(self) -> Postgres:
        if not user_exists("postgres"):
            subprocess.run(["useradd", "--system", "--home-dir", "/var/lib/postgresql",
                            "postgres"], check=True)
        entry = pwd.getpwnam("postgres")
        for folder in (self.base, self.data, self.sockets):
            folder.mkdir(parents=True, exist_ok=True)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        os.chmod(self.data, 0o700)
        self._as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                          "--auth-local=peer", "--auth-host=reject", "-E", "UTF8")
        # only the grader role, with its password, over TCP; the superuser by peer only
        (self.data / "pg_hba.conf").write_text(
            "local all postgres peer\n"
            f"host {self.database} {self.role} 127.0.0.1/32 scram-sha-256\n"
            "host all all 0.0.0.0/0 reject\n", encoding="utf-8")
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                          "-w", "-t", "60", "-o",
                          f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1",
                          "start")
        self.psql(f"CREATE ROLE {self.role} LOGIN PASSWORD '{self.password}';\n"
                  f"CREATE DATABASE {self.database} OWNER {self.role};\n")
        return self

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                              "-w", "stop")


# --------------------------------------------------------------------------- accounts
def remove_user(name: str) -> None:
    if user_exists(name):
        subprocess.run(["pkill", "-KILL", "-u", name], check=False)
        subprocess.run(["userdel", "--remove", name], capture_output=True, check=False)


def set_password(name: str, password: str) -> None:
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)


def as_user(name: str, code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run Python ``code`` as the account ``name``: what that user's own kernel could do."""
    entry = pwd.getpwnam(name)
    env = {"HOME": entry.pw_dir, "USER": name, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run([RUNUSER, "-u", name, "--", sys.executable, "-c", code],
                          capture_output=True, text=True, env=env, cwd=entry.pw_dir,
                          timeout=timeout, check=False)


# --------------------------------------------------------------------------- the Hub
class Hub:
    """JupyterHub running the course for one instructor and ``learners`` learners."""

    def __init__(self, learners: int = 2, instructors: int = 1, gradebook: str = "postgres"):
        self.tmp = Path(tempfile.mkdtemp(prefix=f"{PREFIX}-"))
        os.chmod(self.tmp, 0o755)
        self.state = self.tmp / "state"
        self.exchange = self.tmp / "exchange"
        self.instructors = [f"{PREFIX}-teach{i + 1}" for i in range(instructors)]
        self.learners = [f"{PREFIX}-learn{i + 1}" for i in range(learners)]
        self.grader = f"{PREFIX}-grader"
        self.passwords = {n: secrets.token_urlsafe(18) for n in self.instructors + self.learners}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_port = free_port()
        self.proxy_api_port = free_port()
        self.service_port = free_port()
        self.gradebook_kind = gradebook
        self.postgres: Postgres | None = None
        self.process: subprocess.Popen | None = None
        self.log = self.tmp / "jupyterhub.log"
        self.tokens: dict[str, str] = {}
        self._undo: list[tuple[Path, int]] = []

    @property
    def course_id(self) -> str:
        return "digit4sd"

    # -- life cycle
    def setup(self) -> list[str]:
        from digit4sd_widgets.hub.deploy import HubPlan, setup

        # the Python environment and the project must be readable by every account
        self._undo = (_open_to_all(Path(sys.base_prefix)) + _open_to_all(Path(sys.prefix))
                      + _open_to_all(ROOT))
        for name in [self.grader, *self.instructors, *self.learners]:
            remove_user(name)
        gradebook = ""
        password = None
        if self.gradebook_kind == "postgres":
            self.postgres = Postgres(self.tmp / "postgres").start()
            gradebook, password = self.postgres.url, self.postgres.password
        self.plan = HubPlan(state=self.state, instructors=self.instructors,
                            learners=self.learners, grader=self.grader, exchange=self.exchange,
                            gradebook=gradebook, proxy=str(PROXY),
                            service_port=self.service_port)
        done = setup(self.plan, create_users=True, project=ROOT, password=password)
        for name, secret in self.passwords.items():
            set_password(name, secret)
        return done

    def start(self) -> None:
        env = {**os.environ, "DIGIT4SD_HUB_STATE": str(self.state),
               "DIGIT4SD_HUB_URL": f"http://127.0.0.1:{self.port}",
               "DIGIT4SD_HUB_API_URL": f"http://127.0.0.1:{self.api_port}",
               "DIGIT4SD_PROXY_API_URL": f"http://127.0.0.1:{self.proxy_api_port}",
               "PATH": f"{Path(sys.prefix) / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}"}
        env.pop("JUPYTER_CONFIG_PATH", None)
        env.pop("DIGIT4SD_WORKBOOK", None)
        self.process = subprocess.Popen(
            [str(Path(sys.prefix) / "bin" / "jupyterhub"), "-f", str(HUB_CONFIG)],
            cwd=self.state, env=env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True)
        wait_for(lambda: self._alive() and requests.get(f"{self.url}/hub/health",
                                                        timeout=2).ok,
                 90, "JupyterHub")
        # the grading service starts beside the Hub
        wait_for(lambda: requests.get(f"http://127.0.0.1:{self.service_port}/services/{self.course_id}/api/status",
                                      timeout=2).status_code in (200, 302, 403),
                 120, "the grading service", every=0.5)

    def _alive(self) -> bool:
        if self.process and self.process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited ({self.process.returncode}):\n"
                               + self.log_tail())
        return True

    def log_tail(self, chars: int = 6000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:] \
            if self.log.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        for name in [self.grader, *self.instructors, *self.learners]:
            subprocess.run(["pkill", "-KILL", "-u", name], check=False)
        if self.postgres:
            self.postgres.stop()

    def cleanup(self) -> None:
        self.stop()
        for name in [self.grader, *self.instructors, *self.learners]:
            remove_user(name)
        for folder, mode in reversed(self._undo):
            with contextlib.suppress(OSError):
                os.chmod(folder, mode)
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- users, through the Hub as a browser would
    def login(self, name: str, password: str | None = None) -> requests.Session:
        """Log in through the Hub's login form (PAM); return the browser-like session."""
        s = requests.Session()
        s.get(f"{self.url}/hub/login", timeout=10)
        xsrf = s.cookies.get("_xsrf", path="/hub/") or s.cookies.get("_xsrf")
        r = s.post(f"{self.url}/hub/login?next=", timeout=30, allow_redirects=False,
                   data={"username": name, "password": password or self.passwords[name],
                         "_xsrf": xsrf})
        s.login_status = r.status_code
        return s

    def token(self, name: str) -> str:
        """An API token for ``name``, asked for with their login session."""
        if name not in self.tokens:
            s = self.login(name)
            if s.login_status != 302:
                raise RuntimeError(f"{name} could not log in ({s.login_status})")
            xsrf = s.cookies.get("_xsrf", path="/hub/") or s.cookies.get("_xsrf")
            r = s.post(f"{self.url}/hub/api/users/{name}/tokens", json={"note": "test"},
                       headers={"X-XSRFToken": xsrf, "Referer": f"{self.url}/hub/"}, timeout=30)
            r.raise_for_status()
            self.tokens[name] = r.json()["token"]
        return self.tokens[name]

    def api(self, name: str, method: str, path: str, **kw) -> requests.Response:
        headers = {"Authorization": f"token {self.token(name)}", **kw.pop("headers", {})}
        kw.setdefault("timeout", 300)
        return requests.request(method, f"{self.url}{path}", headers=headers,
                                allow_redirects=False, **kw)

    def start_server(self, name: str) -> float:
        """Start ``name``'s server through the Hub; return seconds until it answers."""
        t0 = time.perf_counter()
        r = self.api(name, "POST", f"/hub/api/users/{name}/server")
        if r.status_code not in (201, 202, 400):
            raise RuntimeError(f"spawn {name}: {r.status_code} {r.text}")
        wait_for(lambda: self._alive() and self.api(
            name, "GET", f"/hub/api/users/{name}").json()["servers"].get("", {}).get("ready"),
            180, f"{name}'s server", every=0.25)
        return time.perf_counter() - t0

    # -- the nbgrader round trip, through the proxy with each user's token
    def learner_action(self, name: str, action: str, assignment: str) -> dict:
        """``fetch``, ``submit`` or ``fetch_feedback`` from the learner's assignments tab."""
        body = {"course_id": self.course_id, "assignment_id": assignment}
        r = self.api(name, "POST", f"/user/{name}/assignments/{action}", json=body)
        if r.status_code != 200:
            raise RuntimeError(f"{action} for {name}: {r.status_code} {r.text[:300]}")
        return r.json()

    def upload(self, name: str, folder: Path, assignment: str) -> None:
        """Save a learner's answers into their assignment folder, as JupyterLab saves."""
        for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
            if path.suffix == ".ipynb":
                model = {"type": "notebook", "format": "json",
                         "content": json.loads(path.read_text(encoding="utf-8"))}
            else:
                model = {"type": "file", "format": "text",
                         "content": path.read_text(encoding="utf-8")}
            r = self.api(name, "PUT", f"/user/{name}/api/contents/{assignment}/{path.name}",
                         json=model)
            if r.status_code not in (200, 201):
                raise RuntimeError(f"saving {path.name} for {name}: {r.text[:300]}")

    def formgrader(self, instructor: str, action: str, assignment: str,
                   learner: str | None = None) -> dict:
        """A formgrader button: release, collect, autograde (one learner),
        generate_feedback, release_feedback."""
        base = f"/services/{self.course_id}/formgrader/api"
        path = (f"{base}/submission/{assignment}/{learner}/{action}" if learner
                else f"{base}/assignment/{assignment}/{action}")
        r = self.api(instructor, "POST", path)
        if r.status_code != 200:
            raise RuntimeError(f"{action}: {r.status_code} {r.text[:300]}")
        return r.json()

    def server_pid(self, name: str) -> int | None:
        out = subprocess.run(["pgrep", "-u", name, "-f", "jupyterhub-singleuser"],
                             capture_output=True, text=True, check=False)
        pids = [int(p) for p in out.stdout.split()]
        return pids[0] if pids else None


def rss_mib(pid: int) -> float:
    """Resident memory of a process and all its children, in MiB."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
            todo += [int(c) for c in children]
    return total / 1024
