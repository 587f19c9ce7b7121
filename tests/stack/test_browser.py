"""The widget in real headless Chromium, on the demo page, against the whole running stack."""

import shutil

import pytest

from bot.tools.stack import running_harbour

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (.ci/run installs it)")
EXIT_URL = "https://www.bbc.co.uk/weather"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def stack(trained_model, tmp_path_factory):
    with running_harbour(trained_model, tmp_path_factory.mktemp("browser")) as harbour:
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
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.route(
        EXIT_URL,
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<html lang=en><title>Weather</title><h1>Weather</h1></html>"
        ),
    )
    page.goto(stack.web_url + "/")
    yield page
    context.close()


def open_widget(page):
    page.get_by_role("button", name="Talk to Harbour").click()
    return page.get_by_label("Type your message")


def send(page, text):
    open_widget(page) if not page.get_by_label("Type your message").is_visible() else None
    page.get_by_label("Type your message").fill(text)
    page.get_by_role("button", name="Send").click()


def test_nothing_is_requested_or_stored_before_the_first_message(page):
    open_widget(page)
    assert not [u for u in page.requests if "/api/chat" in u]
    assert page.evaluate("sessionStorage.length") == 0
    assert page.context.cookies() == []


def test_parent_sends_a_message_and_sees_the_answer_and_a_service_card(page):
    send(page, "my 14 year old daughter sent a nude to a boy on snapchat")
    page.locator(".card").first.wait_for(timeout=30000)
    assert page.locator(".msg.bot").filter(has_text="Don't look at, copy, forward or screenshot").count() == 1
    assert page.locator(".card a[href^='tel:'], .card a[href^='http']").count() >= 1
    assert page.context.cookies() == []
    assert page.evaluate("Object.keys(sessionStorage)") == ["harbour-session"]


def test_quick_reply_sends_its_payload_and_stays_usable(page):
    send(page, "my son sent a nude to a girl in his class")
    reply = page.get_by_role("button", name="How do I get it taken down?")
    reply.wait_for(timeout=30000)
    reply.click()
    page.locator(".msg.bot").filter(has_text="Report Remove").first.wait_for(timeout=30000)
    assert reply.is_enabled()


def test_message_with_html_is_shown_as_text_and_runs_nothing(page):
    attack = '<img src=x onerror="window.__pwned=1">'
    send(page, attack)
    page.locator(".msg.bot").nth(1).wait_for(timeout=30000)
    assert page.locator(".msg.user").last.inner_text().endswith(attack)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#harbour-widget img").count() == 0


def test_clear_chat_empties_the_conversation(page):
    send(page, "hello")
    page.locator(".msg.bot").nth(1).wait_for(timeout=30000)
    page.get_by_role("button", name="Clear chat").click()
    assert page.locator(".msg").count() == 1  # just the welcome line
    assert page.locator(".msg.user").count() == 0
    assert page.evaluate("sessionStorage.length") == 0


def test_quick_exit_button_leaves_for_a_neutral_site_without_history(page, stack):
    send(page, "hello")
    page.locator(".msg.bot").nth(1).wait_for(timeout=30000)
    entries_before = page.evaluate("history.length")
    page.get_by_role("button", name="Quick exit: leave this page now").click()
    page.wait_for_url(EXIT_URL)
    assert page.evaluate("history.length") == entries_before  # the chat page was replaced
    page.go_back()  # Back must not bring the chat page back
    assert not page.url.startswith(stack.web_url)


def test_escape_three_times_is_a_quick_exit(page):
    open_widget(page)
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url(EXIT_URL)


def test_keyboard_only_conversation(page):
    page.keyboard.press("Tab")
    for _ in range(10):
        if page.evaluate("document.activeElement && document.activeElement.id") == "harbour-widget":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.shadowRoot.activeElement.id") == "harbour-input"
    page.keyboard.type("who can help me")
    page.keyboard.press("Enter")
    page.locator(".card").first.wait_for(timeout=30000)


def test_connection_lost_shows_a_helpline_and_retry(page):
    page.route("**/api/chat", lambda route: route.abort())
    send(page, "hello")
    problem = page.locator(".msg.problem").first
    problem.wait_for(timeout=10000)
    assert "999" in problem.inner_text()
    page.unroute("**/api/chat")
    problem.get_by_role("button", name="Try again").click()
    page.locator(".msg.bot:not(.problem)").nth(1).wait_for(timeout=30000)


def test_works_on_a_360px_phone(browser, stack):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(stack.web_url + "/")
    open_widget(page)
    box = page.locator(".panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    page.get_by_label("Type your message").fill("someone is blackmailing my son with his pictures")
    page.get_by_role("button", name="Send").click()
    page.locator(".card").first.wait_for(timeout=30000)
    context.close()


def test_no_serious_or_critical_accessibility_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    send(page, "my daughter sent a nude, we're in scotland")
    page.locator(".card").first.wait_for(timeout=30000)
    results = Axe().run(page)
    serious = [v["id"] for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert serious == [], results.generate_report()
