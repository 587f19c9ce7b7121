"""The widget in real headless Chromium, on the demo page, against the whole running stack.

The conversation runs in an iframe of Harbour's own chat page (/chat); widget.js on the
school's page draws only the launcher and the frame. The last tests put the school's page
on another origin (localhost against Harbour's 127.0.0.1, another port) and show that a
script there cannot read the conversation, the session id or the keystrokes.
"""

import shutil
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from bot.services.schools import SCHOOLS_FILE
from bot.tools.stack import free_port, running_harbour

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (.ci/run installs it)")
EXIT_URL = "https://www.bbc.co.uk/weather"
FRAME = "iframe[title='Harbour chat']"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# What a nosy script on the school's page (analytics, session replay) tries, in the page.
SPY = """
window.__spy = {keys: [], messages: []};
document.addEventListener("keydown", function (e) { __spy.keys.push(e.key); }, true);
document.addEventListener("input", function (e) { __spy.keys.push("input"); }, true);
window.addEventListener("message", function (e) { __spy.messages.push(JSON.stringify(e.data)); });
"""
READ_EVERYTHING = """() => {
  const frame = document.querySelector("#harbour-widget").shadowRoot.querySelector("iframe");
  const attempt = (f) => { try { const v = f(); return v === null || v === undefined ? null : String(v); }
                           catch (e) { return "refused: " + e.name; } };
  return {
    contentDocument: attempt(() => frame.contentDocument),
    frameBody: attempt(() => frame.contentWindow.document.body.innerText),
    frameStorage: attempt(() => frame.contentWindow.sessionStorage.getItem("harbour-session")),
    pageText: document.body.innerText + document.querySelector("#harbour-widget").shadowRoot.innerHTML,
    frameSrc: frame.src,
    storage: JSON.stringify(Object.assign({}, sessionStorage, localStorage)),
    cookies: document.cookie,
    keys: window.__spy.keys,
    messages: window.__spy.messages,
  };
}"""


class HostSite:
    """A school's web site on its own origin: http://localhost:<port>/<page>.html."""

    def __init__(self, port: int) -> None:
        self.port, self.origin, self.pages = port, f"http://localhost:{port}", {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                body = site.pages.get(self.path.split("?")[0])
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "not found").encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, path: str, harbour: str, school: str) -> str:
        self.pages[path] = (
            f"<!doctype html><html lang='en'><title>School</title><script>{SPY}</script>"
            f"<h1>School news</h1><script src='{harbour}/widget.js' data-school='{school}' "
            f"data-exit-url='{EXIT_URL}' defer></script></html>"
        )
        return self.origin + path


@pytest.fixture(scope="module")
def host_site():
    site = HostSite(free_port())
    yield site
    site.server.shutdown()


@pytest.fixture(scope="module")
def stack(trained_model, tmp_path_factory, host_site):
    tmp = tmp_path_factory.mktemp("browser")
    # The shipped schools, and one whose site is the host page's origin.
    schools = yaml.safe_load(SCHOOLS_FILE.read_text(encoding="utf-8"))
    first = {k: v for k, v in schools["schools"][0].items() if k != "insight_token_sha256"}  # tokens are unique
    other = {
        **first,
        "id": "other-site",
        "allowed_origins": [host_site.origin],
        "theme": {"primary": "#6a1b4d", "text_on_primary": "#ffffff"},
    }
    schools["schools"].append(other)
    schools_file = tmp / "schools.yml"
    schools_file.write_text(yaml.safe_dump(schools), encoding="utf-8")
    with running_harbour(trained_model, tmp, HARBOUR_SCHOOLS_FILE=str(schools_file)) as harbour:
        yield harbour


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def new_page(browser, url, **options):
    context = browser.new_context(**(options or {"viewport": {"width": 1280, "height": 800}}))
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.route(
        EXIT_URL,
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<html lang=en><title>Weather</title><h1>Weather</h1></html>"
        ),
    )
    page.goto(url)
    return page


@pytest.fixture
def page(browser, stack):
    page = new_page(browser, stack.web_url + "/")
    yield page
    page.context.close()


def chat(page):
    return page.frame_locator(FRAME)


def chat_frame(page):
    return page.locator(FRAME).element_handle().content_frame()


def open_widget(page):
    page.get_by_role("button", name="Talk to Harbour").click()
    box = chat(page).get_by_label("Type your message")
    box.wait_for(timeout=10000)
    return box


def send(page, text):
    box = open_widget(page) if not page.locator(FRAME).is_visible() else chat(page).get_by_label("Type your message")
    box.fill(text)
    chat(page).get_by_role("button", name="Send").click()


def stored_events(stack, conversation):
    with sqlite3.connect(stack.db) as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (conversation,)).fetchone()[0]


def wait_until(check, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_nothing_is_requested_or_stored_before_the_first_message(page):
    assert not [u for u in page.requests if "/chat" in u]  # not even the chat page before it's opened
    open_widget(page)
    assert not [u for u in page.requests if "/api/" in u]
    assert chat_frame(page).evaluate("sessionStorage.length") == 0
    assert page.context.cookies() == []


def test_parent_sends_a_message_and_sees_the_answer_and_a_service_card(page):
    send(page, "my 14 year old daughter sent a nude to a boy on snapchat")
    chat(page).locator(".card").first.wait_for(timeout=30000)
    assert chat(page).locator(".msg.bot").filter(has_text="Don't look at, copy, forward or screenshot").count() == 1
    assert chat(page).locator(".card a[href^='tel:'], .card a[href^='http']").count() >= 1
    assert page.context.cookies() == []
    # The server-issued session, in the chat page's storage (the demo page shares Harbour's
    # origin; a school's own site can't see it: the last tests).
    token = chat_frame(page).evaluate("sessionStorage.getItem('harbour-session')")
    assert len(token) == 64 and int(token, 16) >= 0


def test_a_forged_or_expired_session_is_replaced_and_the_message_still_answered(page):
    open_widget(page)
    chat_frame(page).evaluate("sessionStorage.setItem('harbour-session', 'f'.repeat(64))")
    send(page, "who can help me")
    chat(page).locator(".card").first.wait_for(timeout=30000)
    assert chat(page).locator(".msg.problem").count() == 0
    assert chat_frame(page).evaluate("sessionStorage.getItem('harbour-session')") != "f" * 64


def test_quick_reply_sends_its_payload_and_stays_usable(page):
    send(page, "my son sent a nude to a girl in his class")
    reply = chat(page).get_by_role("button", name="How do I get it taken down?")
    reply.wait_for(timeout=30000)
    reply.click()
    chat(page).locator(".msg.bot").filter(has_text="Report Remove").first.wait_for(timeout=30000)
    assert reply.is_enabled()


def test_message_with_html_is_shown_as_text_and_runs_nothing(page):
    attack = '<img src=x onerror="window.__pwned=1">'
    send(page, attack)
    chat(page).locator(".msg.bot").nth(1).wait_for(timeout=30000)
    assert chat(page).locator(".msg.user").last.inner_text().endswith(attack)
    assert chat_frame(page).evaluate("window.__pwned") is None and page.evaluate("window.__pwned") is None
    assert chat(page).locator(".log img").count() == 0


def test_clear_chat_empties_the_conversation_and_deletes_it_from_harbour(page, stack):
    send(page, "my son is being blackmailed")
    chat(page).locator(".msg.bot").nth(1).wait_for(timeout=30000)
    conversation = chat_frame(page).evaluate("sessionStorage.getItem('harbour-session')")[:32]
    assert stored_events(stack, conversation) > 0
    chat(page).get_by_role("button", name="Clear chat").click()
    assert chat(page).locator(".msg").count() == 1  # just the welcome line
    assert chat(page).locator(".msg.user").count() == 0
    assert chat_frame(page).evaluate("sessionStorage.length") == 0
    chat(page).get_by_text("Chat cleared and deleted from Harbour.").wait_for(timeout=10000)
    assert stored_events(stack, conversation) == 0
    # The parent can start again straight away, in a new conversation.
    send(page, "hello")
    chat(page).locator(".msg.bot").nth(1).wait_for(timeout=30000)
    assert chat_frame(page).evaluate("sessionStorage.getItem('harbour-session')")[:32] != conversation


def test_quick_exit_button_leaves_for_a_neutral_site_without_history_and_deletes_the_chat(page, stack):
    send(page, "hello")
    chat(page).locator(".msg.bot").nth(1).wait_for(timeout=30000)
    conversation = chat_frame(page).evaluate("sessionStorage.getItem('harbour-session')")[:32]
    entries_before = page.evaluate("history.length")
    chat(page).get_by_role("button", name="Quick exit: leave this page now").click()
    page.wait_for_url(EXIT_URL)
    assert page.evaluate("history.length") == entries_before  # the chat page was replaced
    assert wait_until(lambda: stored_events(stack, conversation) == 0)
    page.go_back()  # Back must not bring the chat page back
    assert not page.url.startswith(stack.web_url)


def test_escape_three_times_is_a_quick_exit_that_also_deletes_the_chat(page, stack):
    send(page, "hello")
    chat(page).locator(".msg.bot").nth(1).wait_for(timeout=30000)
    conversation = chat_frame(page).evaluate("sessionStorage.getItem('harbour-session')")[:32]
    chat(page).get_by_label("Type your message").click()
    for _ in range(3):  # the first in the chat closes it; the next two reach the school's page
        page.keyboard.press("Escape")
    page.wait_for_url(EXIT_URL)
    assert wait_until(lambda: stored_events(stack, conversation) == 0)


def test_keyboard_only_conversation(page):
    page.keyboard.press("Tab")
    for _ in range(10):
        if page.evaluate("document.activeElement && document.activeElement.id") == "harbour-widget":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator(FRAME).wait_for()
    # Focus moves into the chat page's message box...
    chat_frame(page).wait_for_function("document.activeElement && document.activeElement.id === 'harbour-input'")
    page.keyboard.type("who can help me")
    page.keyboard.press("Enter")
    chat(page).locator(".card").first.wait_for(timeout=30000)
    # ...and Escape closes the chat and gives focus back to the launcher.
    chat(page).get_by_label("Type your message").focus()
    page.keyboard.press("Escape")
    page.locator(FRAME).wait_for(state="hidden")
    assert page.evaluate("document.activeElement.shadowRoot.activeElement.textContent") == "Talk to Harbour"


def test_connection_lost_shows_a_helpline_and_retry(page):
    page.route("**/api/chat", lambda route: route.abort())
    send(page, "hello")
    problem = chat(page).locator(".msg.problem").first
    problem.wait_for(timeout=10000)
    assert "999" in problem.inner_text()
    page.unroute("**/api/chat")
    problem.get_by_role("button", name="Try again").click()
    chat(page).locator(".msg.bot:not(.problem)").nth(1).wait_for(timeout=30000)


def test_long_text_is_never_cut_and_a_refusal_keeps_it_in_the_box(page):
    text = "We found messages on her tablet from a man she met in a game. " * 17 + "she's gone to meet him now"
    assert len(text) > 1000
    send(page, text)
    box = chat(page).get_by_label("Type your message")
    count = chat(page).locator("#harbour-count")
    assert f"{len(text) - 1000} over the limit" in count.inner_text()
    chat(page).locator(".msg.problem").first.wait_for(timeout=10000)
    assert "Harbour can read 1,000" in chat(page).locator(".msg.problem").first.inner_text()
    assert box.input_value() == text  # nothing dropped, nothing sent as a cut-down message
    assert chat(page).locator(".msg.user").count() == 0
    # When the server's refusal carries lines (the emergency number for crisis words), they show.
    refusal = '{"error": "Please keep messages under 1000 characters.", "messages": [{"text": "If a child is in danger now, call 999."}]}'
    page.route("**/api/chat", lambda route: route.fulfill(status=413, content_type="application/json", body=refusal))
    chat(page).get_by_role("button", name="Send").click()
    chat(page).locator(".msg.bot").filter(has_text="If a child is in danger now, call 999.").last.wait_for(
        timeout=10000
    )
    assert box.input_value() == text
    box.fill(text[:900])
    assert count.inner_text() == "100 characters left"


def test_works_on_a_360px_phone(browser, stack):
    page = new_page(
        browser, stack.web_url + "/", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    open_widget(page)
    box = page.locator(FRAME).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    chat(page).get_by_label("Type your message").fill("someone is blackmailing my son with his pictures")
    chat(page).get_by_role("button", name="Send").click()
    chat(page).locator(".card").first.wait_for(timeout=30000)
    exit_box = chat(page).get_by_role("button", name="Quick exit: leave this page now").bounding_box()
    assert exit_box["x"] >= 0 and exit_box["x"] + exit_box["width"] <= 360
    page.context.close()


def test_no_serious_or_critical_accessibility_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    send(page, "my daughter sent a nude, we're in scotland")
    chat(page).locator(".card").first.wait_for(timeout=30000)
    for target in (page, chat_frame(page)):  # the school's page with the launcher, and the chat
        results = Axe().run(target)
        serious = [v["id"] for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        assert serious == [], results.generate_report()


def test_the_school_page_cannot_read_the_conversation_the_session_or_keystrokes(browser, stack, host_site):
    url = host_site.page("/news.html", stack.web_url, "other-site")
    page = new_page(browser, url)
    secret = "my daughter Chloe Smith 07700 900123 sent a nude"
    with page.expect_response("**/api/session") as issued:
        send(page, secret)
    token = issued.value.json()["session"]  # seen on the wire; Chromium may keep it in memory only
    assert len(token) == 64
    chat(page).locator(".msg.bot").nth(1).wait_for(timeout=30000)
    reply = chat(page).locator(".msg.bot").nth(1).inner_text()

    seen = page.evaluate(READ_EVERYTHING)
    assert seen["contentDocument"] is None
    assert seen["frameBody"].startswith("refused") and seen["frameStorage"].startswith("refused")
    assert seen["keys"] == []  # the keystrokes went to Harbour's page, not the school's
    visible = " ".join([seen["pageText"], seen["frameSrc"], seen["storage"], seen["cookies"], *seen["messages"]])
    for private in ("Chloe", "07700", "sent a nude", token, token[:32], reply[:40]):
        assert private not in visible, private
    assert all('"type":"harbour:' in m for m in seen["messages"])  # only open/close/exit signals
    page.context.close()


def test_the_schools_colours_reach_the_launcher_and_the_chat_with_no_policy_violations(browser, stack, host_site):
    url = host_site.page("/colours.html", stack.web_url, "other-site")
    page = new_page(browser, url)
    console = []
    page.on("console", lambda message: console.append(message.text))
    launcher = page.get_by_role("button", name="Talk to Harbour")
    assert launcher.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(106, 27, 77)"
    open_widget(page)
    header = chat(page).locator("header.head")
    colour = ""
    for _ in range(50):  # the chat page applies the school's theme once its script has run
        colour = header.evaluate("h => getComputedStyle(h).backgroundColor")
        if colour == "rgb(106, 27, 77)":
            break
        page.wait_for_timeout(100)
    assert colour == "rgb(106, 27, 77)"
    assert [line for line in console if "Content Security Policy" in line] == []
    page.context.close()


def test_a_site_not_listed_for_the_school_cannot_frame_its_chat(browser, stack, host_site):
    url = host_site.page("/copycat.html", stack.web_url, "st-marys")  # st-marys lists other origins
    page = new_page(browser, url)
    page.get_by_role("button", name="Talk to Harbour").click()
    time.sleep(2)
    assert chat(page).get_by_label("Type your message").count() == 0  # the browser refused to show it
    page.context.close()
