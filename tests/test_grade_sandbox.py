"""The sandbox and the guard on their own: one kernel in the sandbox, what it can reach, and
what the guard reports for each way of changing how IPython runs a cell."""

from __future__ import annotations

import ast
import asyncio
import json
import os
from pathlib import Path

import pytest

from digit4sd_widgets.grade.plugins import GUARD_EXPRESSION
from digit4sd_widgets.grade.sandbox import SandboxKernelManager, problem, wrap

NEED = os.environ.get("DIGIT4SD_REQUIRE_SANDBOX") == "1"  # CI: the sandbox must work
pytestmark = pytest.mark.skipif(problem() is not None and not NEED,
                                reason=f"no sandbox here: {problem()}")


def test_the_sandbox_can_be_made_here():
    assert problem() is None


def test_the_sandbox_binds_only_what_a_kernel_needs(tmp_path):
    cmd = wrap(["python"], work=tmp_path / "work", private=tmp_path / "private")
    text = " ".join(cmd)
    assert "--unshare-all" in cmd and "--clearenv" in cmd and "--die-with-parent" in cmd
    project = Path(__file__).resolve().parent.parent
    binds = [cmd[i + 1] for i, a in enumerate(cmd) if a in ("--bind", "--ro-bind")]
    for path in binds:
        assert Path(path).resolve() != project, "the whole project is never bound"
        assert "course" not in Path(path).parts or "digit4sd_widgets" in Path(path).parts
    writable = [cmd[i + 1] for i, a in enumerate(cmd) if a == "--bind"]
    assert writable == [str(tmp_path / "work"), str(tmp_path / "private")], text
    assert "/etc" not in binds  # only the few files programs need from it


class Kernel:
    """One sandboxed kernel, driven by hand."""

    def __init__(self, work: Path, private: Path) -> None:
        self.work, self.private = work, private

    async def __aenter__(self):
        self.km = SandboxKernelManager(kernel_name="python3", private_root=str(self.private))
        await self.km.start_kernel(cwd=str(self.work))
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=120)
        return self

    async def __aexit__(self, *exc):
        self.kc.stop_channels()
        await self.km.shutdown_kernel(now=True)

    async def run(self, code: str, expressions: dict | None = None, silent: bool = False):
        msg_id = self.kc.execute(code, silent=silent, user_expressions=expressions or {})
        out = []
        while True:
            msg = await self.kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            if msg["msg_type"] == "error":
                out.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        while True:
            reply = await self.kc.get_shell_msg(timeout=60)
            if reply["parent_header"]["msg_id"] == msg_id:
                return "".join(out), reply["content"]

    async def findings(self) -> list[str]:
        _, reply = await self.run("", {"r": GUARD_EXPRESSION}, silent=True)
        report = json.loads(ast.literal_eval(reply["user_expressions"]["r"]["data"]
                                             ["text/plain"]))
        assert report["token"] == self.km.guard_token
        return report["findings"]


ATTACKS = {
    "input_transformers_post": "get_ipython().input_transformers_post.append(lambda l: l)",
    "ast_transformers": "import ast\nclass T(ast.NodeTransformer): pass\n"
                        "get_ipython().ast_transformers.append(T())",
    "'pre_run_cell' event": "get_ipython().events.register('pre_run_cell', lambda i: None)",
    "custom exception handler": "get_ipython().set_custom_exc((AssertionError,), "
                                "lambda *a, **k: None)",
    "showtraceback": "get_ipython().showtraceback = lambda *a, **k: None",
    "builtins were replaced (round": "import builtins\nbuiltins.round = lambda *a: 0",
    "digit4sd_widgets.grading.load_answer": "import digit4sd_widgets.grading as g\n"
                                            "g.load_answer = print",
    "trace": "import sys\nsys.settrace(lambda *a: None)",
    "sys.addaudithook": "import sys\ntry:\n    sys.addaudithook(lambda *a: None)\n"
                        "except RuntimeError:\n    pass",
    "thread started by the notebook": "import threading, time\n"
                                      "threading.Thread(target=lambda: time.sleep(60), "
                                      "daemon=True).start()",
    "signal handlers": "import signal\nsignal.signal(signal.SIGALRM, lambda *a: None)",
}


def test_the_guard_names_every_way_of_changing_how_a_cell_runs(tmp_path):
    async def main():
        results = {}
        for expected, attack in ATTACKS.items():
            work = tmp_path / f"w{len(results)}"
            work.mkdir()
            async with Kernel(work, tmp_path / "kernels") as k:
                clean = await k.findings()
                await k.run("import pandas, digit4sd_widgets.exercises\n%matplotlib inline")
                honest = await k.findings()
                out, _ = await k.run(attack)
                results[expected] = (clean, honest, await k.findings(), out)
        return results

    results = asyncio.run(main())
    for expected, (clean, honest, found, out) in results.items():
        assert clean == [] and honest == [], (expected, clean, honest)
        assert any(expected in f for f in found), (expected, found, out)


def test_a_sandboxed_kernel_sees_only_its_folder_and_the_course_package(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "mine.txt").write_text("mine")
    secret = tmp_path / "secret.txt"
    secret.write_text("instructor")
    project = Path(__file__).resolve().parent.parent

    async def main():
        async with Kernel(work, tmp_path / "kernels") as k:
            code = (f"import os, resource\nprint(open('mine.txt').read())\n"
                    f"print(os.path.exists({str(secret)!r}), "
                    f"os.path.exists({str(project / 'course' / 'source')!r}), "
                    f"os.path.exists({str(project / 'nbgrader_config.py')!r}))\n"
                    "print(sorted(k for k in os.environ if 'DIGIT4SD' in k or 'VIRTUAL' in k))\n"
                    "print(resource.getrlimit(resource.RLIMIT_AS)[0] // 2**20)\n"
                    "import digit4sd_widgets.data as d\nprint(len(d.load_survey()) > 0)")
            out, _ = await k.run(code)
            big, _ = await k.run("x = bytearray(8 * 2**30)")
            alive, _ = await k.run("print('still here')")
            return out, big, alive

    out, big, alive = asyncio.run(main())
    lines = out.split("\n")
    assert lines[0] == "mine"
    assert lines[1] == "False False False"
    assert lines[2] == "[]"
    assert int(lines[3]) == 3072
    assert lines[4] == "True"
    assert "MemoryError" in big and "still here" in alive
