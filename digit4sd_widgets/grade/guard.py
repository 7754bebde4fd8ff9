"""The grading guard: an IPython extension loaded in every kernel that autograde starts.

It runs before any learner code. It does three things:

1. **Limits.** It lowers the kernel's memory and CPU limits (soft and hard, so learner code
   cannot raise them again), from the limits file the grader left next to the kernel's
   connection file.
2. **A baseline.** It records how Python and IPython run a cell at that moment: IPython's
   input and AST transformers, event callbacks, custom exception handlers, the methods of
   the shell, the kernel and their session, the trace and profile functions, signal
   handlers, garbage-collector callbacks, the builtins, the running threads, and the
   functions and classes of the course package (the graded cells call them) and of pandas.
   It also adds an audit hook that refuses new audit hooks (they would see every cell the
   grader sends) and notes calls to ``sys.settrace`` and ``sys.setprofile``.
3. **A report.** Before each graded test cell the grader asks for :func:`report` through a
   ``user_expressions`` field of a silent request (evaluated directly, not through the
   input transformers a learner may have added). The report lists what differs from the
   baseline and carries a secret the grader gave only to this extension (read from a file
   that it then deletes), so a stand-in report made by learner code is recognised.

A learner who studies this module and attacks it directly (ctypes, rewriting its memory)
can still forge a report; the sandbox keeps such a learner away from the gradebook, the
hidden tests on disk and other learners. Everything else that changes how a cell runs is
named in the report, and the grader scores that cell 0.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

TOKEN_FILE = "guard-token"
LIMITS_FILE = "guard-limits.json"
WATCHED_PACKAGES = ("digit4sd_widgets", "pandas.core.frame", "pandas.core.series",
                    "pandas.core.generic", "pandas.core.indexes.base")
# names IPython itself adds to builtins while it runs a cell
BUILTINS_IN_FLUX = {"_", "__", "___", "display", "get_ipython", "__IPYTHON__", "exit", "quit",
                    "__builtins__", "_ih", "_oh", "_dh", "In", "Out", "input", "raw_input"}


def _member(value: Any) -> bool:
    """A class member that says how something runs (not a value that may change)."""
    return callable(value) or isinstance(value, (classmethod, staticmethod, property))

_state: dict[str, Any] = {}


# --------------------------------------------------------------------------- where code is
def _trusted_roots() -> tuple[str, ...]:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             str(Path(__file__).resolve().parents[1])}
    return tuple(os.path.realpath(r) + os.sep for r in roots if r)


def _code_file(obj: Any) -> str | None:
    """The file that defines ``obj``'s code (a function, a method, a class or an instance),
    None for code built into Python."""
    if hasattr(obj, "co_filename"):  # a code object
        return obj.co_filename
    for attr in ("__func__", "__wrapped__", "func"):  # methods, decorators, partials
        inner = getattr(obj, attr, None)
        if inner is not None and inner is not obj and callable(inner):
            obj = inner
    code = getattr(obj, "__code__", None)
    if code is not None:
        return code.co_filename
    target = obj if isinstance(obj, type) else type(obj)
    name = getattr(target, "__module__", "") or ""
    if name == "builtins" or name in sys.builtin_module_names:
        return None
    module = sys.modules.get(name)
    path = getattr(module, "__file__", None) if module is not None else None
    return path or f"<module {name}>"


def _trusted(obj: Any) -> bool:
    """Defined in the read-only Python environment or the course package, not in a cell."""
    path = _code_file(obj)
    if path is None:
        return True  # built into Python
    if path.startswith("<"):
        return False
    return os.path.realpath(path).startswith(_state.get("roots") or _trusted_roots())


def _ids(values) -> tuple[int, ...]:
    return tuple(id(v) for v in values)


# --------------------------------------------------------------------------- the baseline
def _hook_lists(shell) -> dict[str, Any]:
    lists = {"input_transformers_cleanup": shell.input_transformers_cleanup,
             "input_transformers_post": shell.input_transformers_post,
             "ast_transformers": shell.ast_transformers}
    manager = getattr(shell, "input_transformer_manager", None)
    for name in ("cleanup_transforms", "line_transforms", "token_transformers"):
        if manager is not None and hasattr(manager, name):
            lists[f"input_transformer_manager.{name}"] = getattr(manager, name)
    return lists


def _class_table(classes) -> dict[str, int]:
    out = {}
    for cls in classes:
        for klass in getattr(cls, "__mro__", (cls,)):
            if klass is object:
                continue
            for name, value in list(vars(klass).items()):
                if _member(value):
                    out[f"{klass.__module__}.{klass.__qualname__}.{name}"] = id(value)
    return out


def _instance_table(objects: dict[str, Any]) -> dict[str, int]:
    out = {}
    for label, obj in objects.items():
        for name, value in list(getattr(obj, "__dict__", {}).items()):
            if callable(value) and hasattr(type(obj), name):  # shadows a method
                out[f"{label}.{name}"] = id(value)
    return out


def _module_table() -> dict[str, int]:
    out = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith(WATCHED_PACKAGES) or module is None:
            continue
        out[f"module {name}"] = id(module)
        for attr, value in list(getattr(module, "__dict__", {}).items()):
            if attr.startswith("__"):
                continue
            if isinstance(value, type) and getattr(value, "__module__", "") == name:
                for key, member in list(vars(value).items()):
                    if _member(member):
                        out[f"{name}.{attr}.{key}"] = id(member)
            elif callable(value):
                out[f"{name}.{attr}"] = id(value)
    return out


def _signals() -> dict[str, int]:
    out = {}
    for sig in signal.valid_signals():
        if sig == signal.SIGINT:  # the kernel sets it for each request (interrupts)
            continue
        try:
            handler = signal.getsignal(sig)
        except (ValueError, OSError):
            continue
        out[f"signal {int(sig)}"] = id(handler)
    return out


def _snapshot(shell) -> dict[str, Any]:
    import builtins
    import gc

    kernel = getattr(shell, "kernel", None)
    session = getattr(kernel, "session", None)
    objects = {"shell": shell, "kernel": kernel, "session": session,
               "display_pub": getattr(shell, "display_pub", None),
               "displayhook": getattr(shell, "displayhook", None)}
    objects = {k: v for k, v in objects.items() if v is not None}
    return {
        "lists": {name: _ids(values) for name, values in _hook_lists(shell).items()},
        "events": {name: _ids(callbacks)
                   for name, callbacks in shell.events.callbacks.items()},
        "custom_exceptions": tuple(shell.custom_exceptions),
        "classes": _class_table(type(o) for o in objects.values()),
        "instances": _instance_table(objects),
        "modules": _module_table(),
        "sys": {"excepthook": id(sys.excepthook), "displayhook": id(sys.displayhook),
                "stdout": id(sys.stdout), "stderr": id(sys.stderr),
                "trace": id(sys.gettrace()), "profile": id(sys.getprofile()),
                "threading.trace": id(getattr(threading, "gettrace", lambda: None)()),
                "threading.profile": id(getattr(threading, "getprofile", lambda: None)())},
        "signals": _signals(),
        "gc": _ids(gc.callbacks),
        "builtins": {k: id(v) for k, v in vars(builtins).items() if k not in BUILTINS_IN_FLUX},
        "threads": set(sys._current_frames()),
    }


def _changed(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys()
                  if k in before and before[k] != after.get(k))


def _findings(shell) -> list[str]:
    """What differs from the baseline, in words for the instructor."""
    base = _state["baseline"]
    now = _snapshot(shell)
    found: list[str] = []
    lists = _hook_lists(shell)
    for name, ids in now["lists"].items():
        if ids != base["lists"].get(name, ()) and not all(
                _trusted(v) for v in lists[name] if id(v) not in base["lists"].get(name, ())):
            found.append(f"IPython's {name} were changed")
    for name in now["events"]:
        added = [cb for cb in shell.events.callbacks[name]
                 if id(cb) not in base["events"].get(name, ())]
        if any(not _trusted(cb) for cb in added):
            found.append(f"a callback was added to IPython's {name!r} event")
    if now["custom_exceptions"] != base["custom_exceptions"]:
        found.append("a custom exception handler was set (set_custom_exc)")
    for group, words in (("classes", "a method of IPython or the kernel was replaced"),
                         ("instances", "a method of IPython or the kernel was replaced"),
                         ("modules", "a function of the course package or pandas was "
                                     "replaced")):
        changed = _changed(base[group], now[group])
        if changed:
            found.append(f"{words} ({', '.join(changed[:3])})")
    if group_added := sorted(set(now["instances"]) - set(base["instances"])):
        found.append(f"a method of IPython or the kernel was replaced "
                     f"({', '.join(group_added[:3])})")
    changed = _changed(base["sys"], now["sys"])
    if changed:
        found.append(f"Python's {', '.join(changed)} hook(s) were changed")
    changed = _changed(base["signals"], now["signals"])
    if changed:
        found.append(f"signal handlers were changed ({', '.join(changed[:3])})")
    if now["gc"] != base["gc"]:
        found.append("a garbage-collector callback was added")
    changed = _changed(base["builtins"], now["builtins"])
    if changed:
        found.append(f"Python builtins were replaced ({', '.join(changed[:5])})")
    if _state["audit"]:
        found.append(f"Python's {', '.join(sorted(_state['audit']))} was called")
    for ident, frame in sys._current_frames().items():
        if ident in base["threads"] or ident == threading.get_ident():
            continue
        while frame is not None:
            if not _trusted(frame.f_code):
                found.append("a thread started by the notebook is still running")
                break
            frame = frame.f_back
        else:
            continue
        break
    return found


def report() -> str:
    """The guard's report as JSON: ``{"token": ..., "findings": [...]}``."""
    try:
        shell = _state["shell"]
        findings = _findings(shell)
    except Exception as exc:  # the check itself broken: also a finding
        findings = [f"the grader's check could not run ({type(exc).__name__})"]
    return json.dumps({"token": _state.get("token", ""), "findings": findings})


# --------------------------------------------------------------------------- loading
def _audit(event: str, args: tuple) -> None:
    if event == "sys.addaudithook":
        _state["audit"].add("sys.addaudithook")
        raise RuntimeError("not allowed while grading")
    if event in ("sys.settrace", "sys.setprofile") and _state.get("loaded"):
        _state["audit"].add(event)


def _apply_limits(folder: Path) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not Unix
        return
    path = folder / LIMITS_FILE
    if not path.is_file():
        return
    limits = json.loads(path.read_text(encoding="utf-8"))
    for name, key in (("memory_bytes", resource.RLIMIT_AS), ("cpu_seconds",
                                                             resource.RLIMIT_CPU)):
        value = limits.get(name)
        if value:
            resource.setrlimit(key, (int(value), int(value)))


def load_ipython_extension(shell) -> None:
    if _state.get("loaded"):
        return
    folder = Path(os.environ.pop("DIGIT4SD_GUARD_DIR", "") or ".")
    _apply_limits(folder)
    token_file = folder / TOKEN_FILE
    token = ""
    if token_file.is_file():
        token = token_file.read_text(encoding="utf-8").strip()
        token_file.unlink()
    # what the graded cells use, imported now so that their functions are in the baseline
    import digit4sd_widgets.grading  # noqa: F401

    _state.update(shell=shell, token=token, roots=_trusted_roots(), audit=set())
    _state["baseline"] = _snapshot(shell)
    sys.addaudithook(_audit)
    _state["loaded"] = True
