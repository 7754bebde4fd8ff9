"""Learner code runs in a sandbox while it is graded (bubblewrap).

Autograde runs every learner's notebook in a kernel. That kernel runs code the learner wrote,
so it runs in a sandbox made with Debian's ``bubblewrap`` (``bwrap``, the sandbox of Flatpak):
new user, process, network, IPC and host-name namespaces, in which the kernel sees

- read-only: the system's programs and libraries, the Python environment, the course package
  and its public datasets;
- read-write: its own copy of the learner's submission (its working folder), the folder of
  its connection sockets, and a private, empty ``/tmp``;
- nothing else: no project folder (so no ``course/source/`` with the solutions and hidden
  tests, no gradebook, no other learner's submission, no instructor's files), no network, no
  other process, and none of the grader's environment variables.

Memory and CPU time are capped (the guard, :mod:`.guard`, sets the limits in the kernel
before any learner code runs). The worker that runs nbgrader and writes the scratch
gradebook stays outside the sandbox; the parent process alone writes the course's gradebook.

:class:`SandboxKernelManager` is the jupyter_client kernel manager that starts each kernel in
the sandbox. :func:`problem` says, in one sentence, why a sandbox cannot be made on this
machine (None when it can).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Integer, Unicode

from .guard import LIMITS_FILE, TOKEN_FILE

GUARD_EXTENSION = "digit4sd_widgets.grade.guard"
DEFAULT_MEMORY_MB = 3072
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# what programs need from /etc (shared libraries, fonts, time zone, user names); not all of
# /etc: a server's configuration may hold passwords
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "fonts", "localtime", "timezone",
             "zoneinfo", "passwd", "group", "nsswitch.conf", "hosts", "alternatives",
             "mime.types", "matplotlibrc")


def readable_roots() -> list[Path]:
    """The folders a graded kernel may read: the Python environment, the course package and
    its datasets (each once, the outermost)."""
    import digit4sd_widgets

    from ..data import dataset_dir

    found = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix,
                                         sys.base_exec_prefix)}
    found.add(Path(digit4sd_widgets.__file__).resolve().parent)
    found.add(dataset_dir().resolve())
    # an interpreter linked elsewhere (a virtual environment's python is a link)
    found.add(Path(sys.executable).resolve().parent.parent)
    outermost = []
    for path in sorted(found, key=lambda p: len(p.parts)):
        if not any(path.is_relative_to(o) for o in outermost):
            outermost.append(path)
    return outermost


def _system_args() -> list[str]:
    args: list[str] = []
    for name in SYSTEM_DIRS:
        path = Path(name)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), name]
        elif path.is_dir():
            args += ["--ro-bind", name, name]
    for name in ETC_FILES:
        path = Path("/etc") / name
        if path.exists():
            args += ["--ro-bind", str(path), str(path)]
    return args


def wrap(cmd: list[str], *, work: Path, private: Path) -> list[str]:
    """``cmd`` as a command that runs it in the sandbox, with ``work`` (the learner's
    folder) as its working folder and ``private`` (its sockets, the guard's files)
    writable."""
    bindir = str(Path(sys.executable).parent)
    env = {
        "PATH": os.pathsep.join([bindir, "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": "/tmp/home", "IPYTHONDIR": "/tmp/ipython", "MPLCONFIGDIR": "/tmp/matplotlib",
        "JUPYTER_RUNTIME_DIR": "/tmp/jupyter", "LANG": "C.UTF-8", "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1", "DIGIT4SD_GUARD_DIR": str(private), "PWD": str(work),
    }
    args = [shutil.which("bwrap") or "bwrap", "--unshare-all", "--die-with-parent",
            "--uid", "65534", "--gid", "65534", "--hostname", "grading", *_system_args(),
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for root in readable_roots():
        args += ["--ro-bind", str(root), str(root)]
    args += ["--bind", str(work), str(work), "--bind", str(private), str(private),
             "--chdir", str(work), "--clearenv"]
    for key, value in env.items():
        args += ["--setenv", key, value]
    return [*args, "--", *cmd]


@lru_cache(maxsize=1)
def problem() -> str | None:
    """Why no sandbox can be made here (one sentence for the instructor), or None."""
    if sys.platform != "linux":
        return "learner code can only be sandboxed on Linux (bubblewrap)"
    if shutil.which("bwrap") is None:
        return ("bubblewrap is not installed: install it (on Debian or Ubuntu: "
                "`sudo apt-get install bubblewrap`)")
    with tempfile.TemporaryDirectory(prefix="digit4sd-sandbox-") as tmp:
        work, private = Path(tmp, "work"), Path(tmp, "private")
        work.mkdir()
        private.mkdir()
        probe = "import digit4sd_widgets.data as d; print(len(d.load_countries()) > 0)"
        try:
            done = subprocess.run(wrap([sys.executable, "-c", probe], work=work,
                                       private=private),
                                  capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"bubblewrap could not run ({exc})"
        if done.returncode != 0 or done.stdout.strip() != "True":
            detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
            return (f"bubblewrap cannot make a sandbox on this machine ({detail[:200]}); "
                    "user namespaces may be disabled")
    return None


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run in the sandbox, each with its own private folder
    for its sockets and the guard's token, and the guard loaded before any cell."""

    memory_mb = Integer(DEFAULT_MEMORY_MB, help="memory cap of a graded kernel (MB)"
                        ).tag(config=True)
    cpu_seconds = Integer(0, help="CPU-time cap of a graded kernel (s); 0: none"
                          ).tag(config=True)
    private_root = Unicode("", help="where kernels' private folders are made").tag(config=True)
    guard_token = Unicode("")

    _private: Path | None = None

    async def _async_pre_start_kernel(self, **kw):
        root = Path(self.private_root or tempfile.gettempdir())
        root.mkdir(parents=True, exist_ok=True)
        self._private = Path(tempfile.mkdtemp(prefix="k-", dir=root))
        self.transport = "ipc"
        self.ip = str(self._private / "s")
        self.connection_file = str(self._private / "connection.json")
        self.guard_token = secrets.token_hex(16)
        (self._private / TOKEN_FILE).write_text(self.guard_token, encoding="utf-8")
        limits = {"memory_bytes": self.memory_mb * 1024 * 1024 if self.memory_mb else 0,
                  "cpu_seconds": self.cpu_seconds}
        (self._private / LIMITS_FILE).write_text(json.dumps(limits), encoding="utf-8")
        # interrupts go as a message on the control channel: a signal to the process group
        # would also reach bubblewrap, whose end ends the kernel
        self.kernel_spec.interrupt_mode = "message"
        extra = list(kw.pop("extra_arguments", None) or [])
        extra.append(f"--IPKernelApp.extensions={GUARD_EXTENSION}")
        return await super()._async_pre_start_kernel(extra_arguments=extra, **kw)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        work = Path(kw.get("cwd") or os.getcwd()).resolve()
        assert self._private is not None
        kw["env"] = {}  # the sandbox sets its own (--clearenv)
        await super()._async_launch_kernel(wrap(kernel_cmd, work=work,
                                                private=self._private), **kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if self._private is not None and not restart:
            shutil.rmtree(self._private, ignore_errors=True)
