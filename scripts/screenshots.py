"""Takes the README screenshots (desktop and a 360 px phone) of the widget on the demo page.

.venv/bin/python scripts/screenshots.py     # needs Debian chromium; writes docs/screenshots/
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from bot.paths import ROOT  # noqa: E402
from bot.tools.stack import running_harbour, train  # noqa: E402

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUT = ROOT / "docs" / "screenshots"


def shoot(browser, url: str, viewport: dict, name: str, message: str) -> None:
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    page.goto(url)
    page.get_by_role("button", name="Talk to Harbour").click()
    chat = page.frame_locator("iframe[title='Harbour chat']")  # the conversation is in Harbour's iframe
    chat.get_by_label("Type your message").fill(message)
    chat.get_by_role("button", name="Send").click()
    chat.locator(".card").first.wait_for(timeout=30000)
    page.wait_for_timeout(300)
    page.screenshot(path=str(OUT / name))
    context.close()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    model = ROOT / "models" / "harbour.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if not model.exists():
            model = train(tmp, "screens")
        with running_harbour(model, tmp) as harbour, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
            shoot(
                browser,
                harbour.web_url + "/",
                {"width": 1280, "height": 800},
                "desktop.png",
                "my 14 year old daughter sent a nude to a boy on snapchat",
            )
            shoot(
                browser,
                harbour.web_url + "/",
                {"width": 360, "height": 740},
                "phone-360.png",
                "someone is threatening to share my son's pictures unless he pays",
            )
            browser.close()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
