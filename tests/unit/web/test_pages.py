"""The chat page the widget frames: a strict Content-Security-Policy, frame-ancestors per
school, and a widget.js that holds nothing of the conversation (issue 18: M2, L7)."""

import json
import re
from html.parser import HTMLParser

import pytest
from sanic_testing.testing import SanicTestClient

from bot.settings import Settings
from bot.web.app import create_app

_apps = iter(range(10_000))


def client():
    app = create_app(f"harbour_pages_{next(_apps)}", Settings(session_secret="unit-test-key"), forward=None)
    return SanicTestClient(app)


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.styles, self.inline_styles, self.handlers = [], 0, 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        self.styles += tag == "style"
        self.inline_styles += "style" in attrs
        self.handlers += [name for name in attrs if name.startswith("on")]


def policy(response):
    return dict(part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";"))


def test_chat_page_for_a_school_may_be_framed_only_by_that_schools_sites_and_harbour():
    _, response = client().get("/chat?school=st-marys")
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    csp = policy(response)
    assert csp["frame-ancestors"].split() == ["'self'", "http://localhost:8000", "http://127.0.0.1:8000"]
    assert csp["script-src"] == "'self'" and csp["connect-src"] == "'self'" and csp["default-src"] == "'none'"
    assert "unsafe" not in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("query", ["", "?school=no-such-school", "?school=st-marys%20", "?school=__proto__"])
def test_chat_page_without_a_known_school_may_be_framed_only_by_harbour(query):
    _, response = client().get("/chat" + query)
    assert response.status == 200
    assert policy(response)["frame-ancestors"] == "'self'"
    config = json.loads(re.search(r'id="harbour-config">(.*?)</script>', response.text).group(1))
    assert config["school"] is None and config["parents"] == []
    assert "999" in config["offline"]  # the UK-wide helpline when Harbour can't be reached


def test_chat_page_runs_no_inline_script_or_style():
    _, response = client().get("/chat?school=st-marys")
    page = Scripts()
    page.feed(response.text)
    executable = [s for s in page.scripts if s.get("type") != "application/json"]
    assert executable == [{"src": "/insight-beacon.js", "defer": None}, {"src": "/chat.js", "defer": None}]
    assert page.styles == 0 and page.inline_styles == 0 and page.handlers == []


def test_chat_page_carries_the_schools_colours_origins_and_regional_helpline():
    _, response = client().get("/chat?school=st-marys")
    config = json.loads(re.search(r'id="harbour-config">(.*?)</script>', response.text).group(1))
    assert config["school"] == "st-marys"
    assert config["theme"] == {"primary": "#1d4f91", "text": "#ffffff"}
    assert config["parents"] == ["http://localhost:8000", "http://127.0.0.1:8000"]
    assert "999" in config["offline"]


@pytest.mark.parametrize("path, kind", [("/chat.js", "javascript"), ("/chat.css", "text/css")])
def test_chat_page_files_are_served_with_their_types(path, kind):
    _, response = client().get(path)
    assert response.status == 200 and kind in response.headers["content-type"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_widget_script_holds_no_conversation_storage_or_requests():
    _, response = client().get("/widget.js")
    source = response.text
    # The host page's copy of Harbour only draws a launcher and an iframe: no text box, no
    # storage, no requests of its own, and no school names or helplines to harvest.
    for absent in ("textarea", "sessionStorage", "localStorage", "fetch(", "XMLHttpRequest", "document.cookie"):
        assert absent not in source, absent
    assert "St Mary" not in source and "Childline" not in source
    assert "createElement(tag)" in source and '"iframe"' in source and "postMessage" in source
