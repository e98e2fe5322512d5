"""The report as a reader sees it: opened in headless Chromium (Debian's), nothing fetched."""

import shutil

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def twin_vipers_report(tmp_path_factory):
    """A small canon ensemble of the flagship scenario (its checkpoints span four theatres)."""
    from twinvipers.ensemble.runner import Spec, run_ensemble
    from twinvipers.report.html import write_report

    out = tmp_path_factory.mktemp("tv") / "tv"
    run_ensemble(Spec("twin_vipers_1939", 4, seed=1, chunk_size=4, canon=True), out, workers=1)
    return write_report(out)


@pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)
def test_the_report_reads_in_a_browser(twin_vipers_report, tmp_path):
    from playwright.sync_api import sync_playwright

    requests = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(twin_vipers_report.as_uri())
        # Checkpoints in words: each row leads with its description and the seed's quote.
        words = page.locator("table.checkpoints .cp").all_inner_texts()
        assert any("Petsamo" in w for w in words) and any("Harbin" in w for w in words)
        assert page.locator("table.checkpoints blockquote").count() >= 1
        # At least one checkpoint was missed in some run and says what happened instead.
        instead = page.locator("tr.instead").all_inner_texts()
        assert instead and all("What happened instead" in t for t in instead)
        assert any("was held on" in t or "outside the window" in t for t in instead)
        # Theatre maps carry place names.
        theatres = page.locator("h3").all_inner_texts()
        assert any("Viipuri" in t for t in theatres) and any("Harbin" in t for t in theatres)
        alts = [
            page.locator("img").nth(i).get_attribute("alt")
            for i in range(page.locator("img").count())
        ]
        named = [a for a in alts if a and a.startswith("Theatre map")]
        assert named and all("places:" in a for a in named)
        assert any("Helsinki" in a or "Viipuri" in a for a in named)
        # Every image decoded (the report is self-contained).
        assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        browser.close()
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
