"""The web app as a user drives it, in headless Chromium (Debian's), with the network blocked.

Every request that is not to the app's own address is aborted and recorded; the test ends by
asserting there were none, so the page needs nothing from the internet. Screenshots go to
``artefacts/web/`` (ignored by git).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.web.conftest import LiveServer

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
SHOTS = Path(__file__).resolve().parents[2] / "artefacts" / "web"


def fills(page) -> dict[str, str]:
    return page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('#cells .cell')]"
        ".map(p => [p.dataset.region, p.getAttribute('fill')]))"
    )


def set_date(page, index: int) -> None:
    page.evaluate(
        "i => { const r = document.querySelector('#date'); r.value = i;"
        " r.dispatchEvent(new Event('input')); }",
        index,
    )


@pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)
def test_a_user_explores_a_war(web_root, tmp_path):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright

    # A shared or slow machine answers in seconds, not milliseconds: wait up to 30 s per step
    # rather than Playwright's 5 (the first map of a folder computes its cells).
    expect.set_options(timeout=30_000)
    root = tmp_path / "results"
    root.mkdir()
    shutil.copytree(web_root / "poland", root / "poland")
    shutil.copytree(web_root / "canon", root / "canon")
    SHOTS.mkdir(parents=True, exist_ok=True)
    offsite: list[str] = []
    errors: list[str] = []
    with LiveServer(root) as srv, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})

        def gate(route):
            if route.request.url.startswith(srv.url + "/"):
                route.continue_()
            else:
                offsite.append(route.request.url)
                route.abort()

        context.route("**/*", gate)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(srv.url + "/")

        # Open, pick an ensemble.
        expect(page.locator("#ensemble option")).to_have_count(2)
        page.select_option("#ensemble", "poland")
        expect(page.locator("#ens-info")).to_contain_text("6 runs")
        expect(page.locator("#cells .cell[data-region=warsaw]")).to_have_count(1)
        expect(page.locator("#land-layer path")).not_to_have_count(0)
        # Names at this zoom: Warsaw at least; the theatre list comes from the data.
        expect(page.locator("#labels text", has_text="Warsaw")).to_have_count(1)
        views = page.locator("#view option").all_inner_texts()
        assert any(v.startswith("Poland") for v in views) and not any(
            "Manchuria" in v for v in views
        )

        # Play a run and see the map change.
        expect(page.locator("#date-label")).to_have_text("1939-08-25")
        page.wait_for_function("document.querySelector('#cells .cell').getAttribute('fill')")
        first = fills(page)
        last_index = int(page.locator("#date").get_attribute("max"))
        set_date(page, last_index)
        expect(page.locator("#date-label")).to_have_text("1939-10-20")
        page.wait_for_function(
            "f => [...document.querySelectorAll('#cells .cell')]"
            ".some(p => p.getAttribute('fill') !== f[p.dataset.region])",
            arg=first,
        )
        assert fills(page) != first
        expect(page.locator("#legend")).to_contain_text("axis")
        # Before the war nobody is at war; on 10 September Germany and Poland are.
        set_date(page, 0)
        expect(page.locator("#legend")).to_contain_text("No wars on 1939-08-25.")
        page.click("#play")
        expect(page.locator("#date-label")).not_to_have_text("1939-08-25", timeout=10_000)
        page.click("#play")  # pause
        expect(page.locator("#legend")).to_contain_text("GER–POL")
        # A front runs between German- and Polish-held cells while they are at war.
        expect(page.locator("#fronts .front").first).to_be_attached()
        # Events as markers: find a snapshot with battles and open one.
        for i in range(1, last_index + 1):
            set_date(page, i)
            try:  # the markers come with the day's events, fetched after the slider moves
                page.locator("#markers .marker.battle").first.wait_for(
                    state="attached", timeout=1_500
                )
                break
            except PlaywrightTimeout:
                continue
        page.locator("#markers .marker.battle").first.click()
        expect(page.locator("#details")).to_contain_text("attacks")
        expect(page.locator("#details")).to_contain_text("attacker losses")
        page.screenshot(path=str(SHOTS / "playback.png"))

        # The chronicle beside the map: the map follows the text.
        page.click("#load-chronicle")
        expect(page.locator("#chronicle .sentence").first).to_be_visible()
        # The first sentence dated from 10 September on (which day that is depends on the run).
        day = page.evaluate(
            "() => [...document.querySelectorAll('#chronicle .sentence')]"
            ".map(s => s.dataset.day).find(d => d && d >= '1939-09-10')"
        )
        assert day, "no sentence of the chronicle is dated from 10 September on"
        sentence = page.locator(f"#chronicle .sentence[data-day='{day}']").first
        sentence.click()
        label = page.locator("#date-label").inner_text()
        assert label <= day and label >= "1939-09-0"
        expect(page.locator("#chronicle .sentence.now").first).to_be_visible()
        page.screenshot(path=str(SHOTS / "chronicle.png"))

        # Odds of the ensemble; a region's timeline across runs.
        page.check("input[name=mode][value=odds]")
        expect(page.locator("#legend")).to_contain_text("Share of 6 runs")
        page.locator("#cells .cell[data-region=warsaw]").click()
        expect(page.locator("#details h3")).to_have_text("Warsaw")
        expect(page.locator("#details polyline")).not_to_have_count(0)
        page.screenshot(path=str(SHOTS / "odds.png"))

        # A theatre view and zoom.
        page.select_option("#view", "poland")
        expect(page.locator("#labels text", has_text="Kraków")).to_have_count(1)

        # The plausibility dashboard.
        page.click("#tab-plaus")
        expect(page.locator("#checkpoints tbody tr").first).to_contain_text("Warsaw is German")
        expect(page.locator("#checkpoints")).to_contain_text("%")
        expect(page.locator("#timing rect")).not_to_have_count(0)
        expect(page.locator("#outcomes tbody tr")).not_to_have_count(0)
        page.screenshot(path=str(SHOTS / "plausibility.png"), full_page=True)

        # Claims and compare.
        page.click("#tab-claims")
        page.fill("#claim", "warsaw held by GER,SOV on 1939-10-20")
        page.click("#claim-form button")
        expect(page.locator("#claim-result")).to_contain_text("of 6 runs")
        page.fill("#claim", "warsaw held by NOBODY on 1939-10-20")
        page.click("#claim-form button")
        expect(page.locator("#claim-result")).to_contain_text("column")
        page.select_option("#cmp-a", "poland")
        page.select_option("#cmp-b", "canon/poland")
        page.click("#compare-form button")
        expect(page.locator("#compare tbody tr").first).to_contain_text("warsaw_falls")
        expect(page.locator("#diff-title")).to_contain_text("1939-10-20")

        # Launch a small ensemble and watch it finish.
        page.click("#tab-jobs")
        expect(page.locator("#scenario option[value=poland_1939]")).to_have_count(1)
        page.select_option("#scenario", "poland_1939")
        expect(page.locator("#scenario-info")).to_contain_text("Republic of Poland")
        page.fill("#l-runs", "4")
        page.fill("#l-until", "1939-09-30")
        page.fill("#l-out", "from_browser")
        page.click("#launch")
        expect(page.locator("#job-state")).to_have_attribute(
            "data-state", "complete", timeout=300_000
        )
        expect(page.locator("#job-state")).to_contain_text("4 of 4 runs")
        expect(page.locator("#ensemble option[value=from_browser]")).to_have_count(1)
        page.screenshot(path=str(SHOTS / "launch.png"))
        browser.close()
    assert (root / "from_browser" / "runs.parquet").is_file()
    assert not errors, errors
    assert not offsite, offsite
