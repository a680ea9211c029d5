"""
The demo end to end: `space/app.py --tiny-random` served on 127.0.0.1, driven by headless Chromium through Playwright.

Needs Debian's `chromium` (/usr/bin/chromium) and the `playwright` package; skipped without them, unless
`PAL_REQUIRE_BROWSER=1` (CI) makes that a failure. `PAL_SCREENSHOT_DIR=runs/screenshots` also keeps the screenshot
there, as `space.png`.
"""

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from modeling_pal import PAL_STRATEGIES

ROOT = Path(__file__).parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_SECONDS = 180
REPLY_MS = 120_000


def missing_prerequisites() -> str | None:
    if not CHROMIUM.is_file():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium chromium-driver)"
    for package in ("playwright", "gradio"):
        if importlib.util.find_spec(package) is None:
            return f"the {package} package is not installed (pip install -c constraints.txt -e '.[test,space]')"
    return None


def require_browser() -> None:
    reason = missing_prerequisites()
    if reason and os.environ.get("PAL_REQUIRE_BROWSER") == "1":
        pytest.fail(f"PAL_REQUIRE_BROWSER=1 but {reason}")
    if reason:
        pytest.skip(f"Browser test of the demo skipped: {reason}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo_url(tmp_path):
    """The URL of the demo on a tiny random model, served by a subprocess for the test's duration."""
    require_browser()
    port = free_port()
    log = (tmp_path / "app.log").open("w")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    command = [sys.executable, str(ROOT / "space" / "app.py"), "--tiny-random", "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--port", str(port)], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"The demo exited with {process.returncode}:\n{(tmp_path / 'app.log').read_text()}")
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"The demo did not answer in {STARTUP_SECONDS}s:\n{(tmp_path / 'app.log').read_text()}")
                time.sleep(1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_demo_in_headless_chromium(demo_url, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    screenshot = tmp_path / "space.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            tmp_path / "chromium-profile",
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            page = browser.new_page()
            page.goto(demo_url)
            expect(page.get_by_text("This is a research demo, not a therapist")).to_be_visible(timeout=REPLY_MS)
            expect(page.locator("#warning")).to_contain_text("TINY RANDOM-WEIGHT")

            message = page.locator("#message textarea")
            message.fill("I lost my <b>job</b> and I don't know how to tell my family.")
            message.press("Enter")
            expect(page.locator('#chat [data-testid="user"]')).to_have_count(1, timeout=REPLY_MS)
            # What the seeker typed is shown as the text it is, not rendered as HTML.
            expect(page.locator('#chat [data-testid="user"]')).to_contain_text("<b>job</b>")
            assert page.locator('#chat [data-testid="user"] b').count() == 0
            expect(page.locator('#chat [data-testid="bot"]')).to_have_count(1, timeout=REPLY_MS)
            strategy = page.locator("#strategy")
            expect(strategy).to_contain_text(re.compile("|".join(map(re.escape, PAL_STRATEGIES))), timeout=REPLY_MS)
            assert page.locator('#chat [data-testid="bot"]').inner_text().strip()
            page.screenshot(path=str(screenshot), full_page=True)

            message.fill("Sometimes I want to kill myself.")
            message.press("Enter")
            expect(page.locator('#chat [data-testid="bot"]')).to_have_count(2, timeout=REPLY_MS)
            expect(strategy).to_contain_text("Safety message", timeout=REPLY_MS)
            expect(page.locator('#chat [data-testid="bot"]').last).to_contain_text("988")
            expect(page.locator("#note")).to_contain_text("did not write a reply")
        finally:
            browser.close()

    assert screenshot.stat().st_size > 10_000
    if os.environ.get("PAL_SCREENSHOT_DIR"):
        folder = Path(os.environ["PAL_SCREENSHOT_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(screenshot, folder / "space.png")
