"""/insight in real headless Chromium against the whole running stack: seeded counts shown,
filters, tokens, XSS-safe labels, axe; and a real conversation in the widget (an answer, a
card click and a quick exit) counted without any of its words."""

import shutil
import sqlite3
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests
import yaml

from bot.insight import store
from bot.insight.access import digest
from bot.insight.report import build
from bot.paths import ROOT
from bot.tools.insight_seed import seed
from bot.tools.stack import running_harbour

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (.ci/run installs it)")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
OPERATOR = "operator-token-for-the-browser-tests"
SCHOOL_TOKEN = "st-marys-token-for-the-browser-tests"
XSS_SCHOOL = "<script>window.__xss = 1</script> Academy"
XSS_TOPIC = "<img src=x onerror=window.__xss=2>"
TODAY = datetime.now(timezone.utc).date()
MESSAGE = "my 14 year old daughter sent a nude to a boy on snapchat"


@pytest.fixture(scope="module")
def stack(trained_model, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("insight")
    shipped = yaml.safe_load((ROOT / "directory" / "schools.yml").read_text(encoding="utf-8"))["schools"]
    st_marys = {**shipped[0], "insight_token_sha256": digest(SCHOOL_TOKEN)}
    xss = {**shipped[0], "id": "xss-academy", "name": XSS_SCHOOL, "demo": True}
    (tmp / "schools.yml").write_text(yaml.safe_dump({"schools": [st_marys, xss]}), encoding="utf-8")
    db = tmp / "harbour.db"
    seed(str(db), days=60, conversations=6000, schools=2, end=TODAY, ids=["st-marys", "xss-academy"])
    engine = store.engine_for(str(db))
    with engine.begin() as connection:
        store.add(
            connection, {store.Key(day=TODAY.isoformat(), metric="answer", school="xss-academy", topic=XSS_TOPIC): 50}
        )
    with running_harbour(
        trained_model, tmp, HARBOUR_SCHOOLS_FILE=str(tmp / "schools.yml"), HARBOUR_INSIGHT_TOKEN=OPERATOR
    ) as harbour:
        harbour.engine = engine
        yield harbour


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, stack):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    context.route(
        lambda url: not url.startswith(stack.web_url),
        lambda route: route.fulfill(status=200, content_type="text/html", body="<html lang=en><title>x</title></html>"),
    )
    yield page
    context.close()


def sign_in(page, stack, token=OPERATOR):
    page.goto(stack.web_url + "/insight")
    page.get_by_label("Insight token").fill(token)
    page.get_by_role("button", name="Sign in").click()


def expected(stack, **filters):
    start = TODAY - timedelta(days=29)
    with stack.engine.connect() as connection:
        return build(connection, start, TODAY, school_names={} if not filters else None, **filters)


def tile(page, name):
    return page.locator(".tiles li").filter(has_text=name).locator(".figure").inner_text()


def test_the_page_shows_the_seeded_counts_and_its_filters_work(page, stack):
    sign_in(page, stack)
    page.locator(".tiles").wait_for(timeout=15000)
    everyone = expected(stack)
    assert tile(page, "Conversations") == f"{everyone['totals']['conversation']:,}"
    assert page.locator("svg[role=img]").count() >= 4
    assert page.get_by_role("heading", name="Top topics").is_visible()
    page.get_by_label("School").select_option("xss-academy")
    page.get_by_role("button", name="Show").click()
    one = expected(stack, school="xss-academy")
    page.wait_for_function(
        "n => document.querySelector('.tiles .figure').textContent === n", arg=f"{one['totals']['conversation']:,}"
    )
    page.get_by_label("From").fill((TODAY - timedelta(days=6)).isoformat())
    page.get_by_role("button", name="Show").click()
    page.get_by_role("heading", name="Conversations by day").wait_for()
    page.wait_for_function("() => document.querySelectorAll('.chart table')[0].tBodies[0].rows.length === 7")
    assert all(url.startswith(stack.web_url) for url in page.requests)
    assert "token" not in page.url and OPERATOR not in page.url


def test_school_and_topic_names_are_shown_as_text(page, stack):
    sign_in(page, stack)
    page.locator(".tiles").wait_for(timeout=15000)
    assert page.locator("#school option", has_text="<script>").count() == 1
    assert page.get_by_text(XSS_SCHOOL).count() >= 1  # the Schools table, as text
    assert page.locator("svg text", has_text="<img src=x").count() >= 1
    assert page.evaluate("window.__xss") is None
    assert page.locator("script:not([src])").count() == 0


def test_axe_finds_no_serious_or_critical_problem(page, stack):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(stack.web_url + "/insight")
    results = Axe().run(page)
    assert [v["id"] for v in results.response["violations"] if v.get("impact") in ("serious", "critical")] == []
    sign_in(page, stack)
    page.locator(".tiles").wait_for(timeout=15000)
    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert serious == [], results.generate_report()


def test_tokens_are_enforced(page, stack):
    sign_in(page, stack, token="a-token-nobody-was-given")
    page.get_by_text("Sign in with your insight token.").wait_for()
    assert page.locator(".tiles").count() == 0
    sign_in(page, stack, token=SCHOOL_TOKEN)
    page.locator(".tiles").wait_for(timeout=15000)
    assert page.locator("#school option").all_inner_texts() == ["St Mary's High School (demo)"]
    assert page.locator("h3", has_text="Schools").count() == 0
    api = stack.web_url + "/insight/api"
    assert requests.get(api, timeout=10).status_code == 401
    other = requests.get(api, params={"school": "xss-academy"}, headers={"Authorization": f"Bearer {SCHOOL_TOKEN}"})
    assert other.status_code == 403 and "Academy" not in other.text


def counted(stack, metric):
    with sqlite3.connect(stack.db) as db:
        return db.execute(
            "SELECT school, topic, detail, SUM(count) FROM insight_daily WHERE metric = ? AND day = ? "
            "AND school = 'st-marys' GROUP BY school, topic, detail",
            (metric, TODAY.isoformat()),
        ).fetchall()


def test_a_real_conversation_a_card_click_and_a_quick_exit_are_counted_without_words(page, stack):
    before = {m: counted(stack, m) for m in ("conversation", "answer", "click_website", "quick_exit")}
    page.goto(stack.web_url + "/")
    page.get_by_role("button", name="Talk to Harbour").click()
    frame = page.frame_locator("iframe[title='Harbour chat']")  # the chat runs in Harbour's own iframe
    frame.get_by_label("Type your message").fill(MESSAGE)
    frame.get_by_role("button", name="Send").click()
    frame.locator(".card").first.wait_for(timeout=30000)
    website = frame.locator(".card a[target=_blank]").first
    with page.context.expect_page():
        website.click()
    frame.get_by_role("button", name="Quick exit: leave this page now").click()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and counted(stack, "quick_exit") == before["quick_exit"]:
        time.sleep(0.2)
    assert counted(stack, "conversation") != before["conversation"]
    assert any(topic == "nude_shared_by_child" for _, topic, _, _ in counted(stack, "answer"))
    clicks = counted(stack, "click_website")
    assert clicks != before["click_website"] and all(detail for _, _, detail, _ in clicks)
    assert counted(stack, "quick_exit") != before["quick_exit"]
    with sqlite3.connect(stack.db) as db:
        dump = "\n".join(line for line in db.iterdump() if "insight_daily" in line)
    assert "snapchat" not in dump and "daughter" not in dump and MESSAGE not in dump
