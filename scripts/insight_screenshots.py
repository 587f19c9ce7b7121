"""Takes the README screenshots of /insight with seeded counts (90 days, 100,000 made-up
conversations, 50 schools): the operator's view and one school's.

.venv/bin/python scripts/insight_screenshots.py     # needs Debian chromium; writes docs/screenshots/
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from bot.paths import ROOT  # noqa: E402
from bot.tools.insight_seed import schools_file, seed, token_for  # noqa: E402
from bot.tools.web_only import running_web  # noqa: E402

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
OUT = ROOT / "docs" / "screenshots"
OPERATOR = "operator-token-for-the-screenshots"


def shoot(browser, url: str, token: str, name: str, full_page: bool) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
    page = context.new_page()
    page.goto(url + "/insight")
    page.get_by_label("Insight token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.locator(".tiles").wait_for(timeout=30000)
    page.wait_for_timeout(300)
    clip = {"x": 0, "y": 0, "width": 1280, "height": 3200} if full_page else None
    page.screenshot(path=str(OUT / name), full_page=full_page, clip=clip)
    context.close()


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("Debian chromium is not installed", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        seed(str(tmp / "seeded.db"), days=90, conversations=100_000, schools=50)
        schools_file(tmp / "schools.yml", 50)
        env = {
            "HARBOUR_DB": str(tmp / "seeded.db"),
            "HARBOUR_SCHOOLS_FILE": str(tmp / "schools.yml"),
            "HARBOUR_INSIGHT_TOKEN": OPERATOR,
        }
        with running_web(tmp, **env) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
            shoot(browser, url, OPERATOR, "insight-operator.png", full_page=True)
            shoot(browser, url, token_for("seed-school-07"), "insight-school.png", full_page=False)
            browser.close()
    print(f"wrote {OUT / 'insight-operator.png'} and {OUT / 'insight-school.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
