"""A learner opens a release notebook in JupyterLab (``digit4sd lab``), runs it, and sees and
uses its widgets, in a real headless Chromium."""

from __future__ import annotations

import json
import sys
import time

import pytest

from digit4sd_widgets.course.lab import lab_command, prepare_copy

from .browser import chromium_page, free_port, require_browser, server

NOTEBOOK = "m3_planning_analysis/3_2_stakeholders.ipynb"


def wait_for_kernel(page, timeout: float = 90) -> None:
    """Until the kernel is idle; answer Lab's "Select Kernel" dialog if it asks."""
    deadline = time.monotonic() + timeout
    idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    select = page.locator(".jp-Dialog").get_by_role("button", name="Select", exact=True)
    while time.monotonic() < deadline:
        if select.count() and select.is_visible():
            select.click()
        elif idle.count() and not page.locator(".jp-Dialog").count():
            time.sleep(1)  # a dialog may still open right after the kernel starts
            if not page.locator(".jp-Dialog").count():
                return
        time.sleep(0.3)
    raise TimeoutError("the kernel did not start")


@pytest.mark.slow
def test_release_notebook_runs_in_jupyterlab_and_its_widgets_respond(tmp_path):
    require_browser()
    copy = tmp_path / "my-course"
    prepare_copy(copy)
    port = free_port()
    token = "test-token-" + str(port)
    cmd = lab_command(copy, port=port, no_browser=True,
                      extra=[f"--IdentityProvider.token={token}", "--ServerApp.ip=127.0.0.1",
                             f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
                             f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}"])
    base = f"http://127.0.0.1:{port}"
    with server(cmd, f"{base}/api/status?token={token}", log=tmp_path / "lab.log"), \
            chromium_page() as page:
        page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}", timeout=90_000)
        page.wait_for_selector(".jp-Notebook", timeout=90_000)
        # wait for the kernel, then run every cell from the Run menu
        wait_for_kernel(page)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        title = page.wait_for_selector(".d4-title:has-text('Stakeholder matrix')",
                                       state="attached", timeout=90_000)
        title.scroll_into_view_if_needed()
        assert title.is_visible()
        # the learner adds a stakeholder; the widget responds and saves it
        page.get_by_placeholder("e.g. Ministry of Health").fill("Ministry of Health")
        page.locator(".d4-exercise button[title='Add']").click()
        page.wait_for_selector(".d4-grid li:has-text('Ministry of Health')", timeout=30_000)
        workbook = copy / "m3_planning_analysis" / "digit4sd_workbook.json"
        deadline = time.monotonic() + 20
        while not workbook.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        saved = json.loads(workbook.read_text(encoding="utf-8"))
        names = [s["name"] for s in
                 saved["answers"]["3.2/stakeholder_matrix"]["data"]["stakeholders"]]
        assert names == ["Ministry of Health"]
        page.screenshot(path=str(tmp_path / "lab.png"))
    assert sys.executable  # the Lab ran from this environment
