"""A country pack opened in a real headless Chromium with the network cut off: every page
shows in full (charts loaded, exercises as their static copies) without one request leaving
the computer, and the profile prints on one A4 sheet."""

from __future__ import annotations

import re

import pytest

from digit4sd_widgets.pack.build import build_packs

from .browser import chromium_page, require_browser


@pytest.mark.slow
def test_a_pack_opens_offline_and_the_profile_prints_on_one_page(tmp_path):
    require_browser()
    report = build_packs(["ETH"], tmp_path, jobs=2, notebooks=["2.3"], progress=False)
    assert report.ok, report.failures
    folder = tmp_path / "ETH"
    outside: list[str] = []

    def offline(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with chromium_page(width=1100, height=900) as page:
        page.route("**/*", offline)
        page.goto((folder / "index.html").as_uri())
        page.get_by_role("link", name="2.3 The UN E-Government Survey").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("pages/2_3_egov_survey.html")
        assert page.locator(".d4-static").count() >= 3
        assert page.get_by_text("Loading widget").count() == 0
        assert page.locator(".d4-static").first.is_visible()
        assert page.evaluate("Array.from(document.images).length") >= 2  # map, trend
        assert page.evaluate(
            "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
        page.get_by_role("link", name="Country profile").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/ETH/profile.html")
        assert "Ethiopia (ETH)" in page.locator("h1").inner_text()
        assert page.evaluate(
            "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
        pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1, "the profile prints on one page"
    assert outside == [], f"requests left the computer: {outside[:3]}"
