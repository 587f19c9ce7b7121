"""The low findings that belong to the request pipeline: L1, L2, L3, L6 (settings), L7."""

from __future__ import annotations

import uuid

import pytest
from sanic_testing.testing import SanicTestClient

from bot.services.schools import School
from bot.settings import Settings
from bot.web.app import create_app
from tests.security.helpers import FakeRasa, body, client, post, session_id


@pytest.mark.parametrize(
    "session",
    ["----------------", "0" * 32, "c0ffeec0ffeec0ffee\n", "c0ffee" * 6 + "\n", "decafbad-12-3", "a" * 65],
)
def test_l1_weak_or_malformed_session_ids_are_refused(session):
    rasa = FakeRasa()
    response = post(client(rasa), body(session=session))
    assert response.status == 400 and rasa.calls == []


def test_l1_the_widgets_uuid_ids_are_accepted():
    assert post(client(), body(session=session_id())).status == 200


@pytest.mark.parametrize(
    "content_type",
    ["application/jsonx", "text/plain; application/json", "text/plain;charset=application/json", "text/plain"],
)
def test_l2_only_the_json_media_type_is_accepted(content_type):
    rasa = FakeRasa()
    response = post(client(rasa), body(), content_type=content_type)
    assert response.status == 415 and rasa.calls == []


def test_l2_json_with_a_charset_is_accepted():
    assert post(client(), body(), content_type="application/json; charset=utf-8").status == 200


def test_l3_a_schools_site_cannot_ask_for_another_school():
    # A school's id is in its own embed; what a browser page can do is bounded by the
    # origin check: another school's page is refused.
    response = post(client(), body(), origin="https://evil.example")
    assert response.status == 403


def _school(school_id: str, origin: str, name: str, lead: str, phone: str, email: str, colour: str) -> School:
    return School.parse_obj(
        {
            "id": school_id,
            "name": name,
            "region": "GB-ENG",
            "dsl": {"name": lead, "phone": phone, "email": email},
            "allowed_origins": [origin],
            "theme": {"primary": colour, "text_on_primary": "#ffffff"},
        }
    )


SCHOOLS = {
    "oakfield-primary": _school(
        "oakfield-primary", "https://oakfield.example", "Oakfield Primary", "Mr Pat Quill", "0113 496 0001",
        "dsl@oakfield.example", "#123456",
    ),
    "ridgeway-academy": _school(
        "ridgeway-academy", "https://ridgeway.example", "Ridgeway Academy", "Ms Jo Tarn", "0113 496 0002",
        "dsl@ridgeway.example", "#654321",
    ),
}  # fmt: skip
# What a harvester wants: which schools use Harbour, and their safeguarding leads' details.
HARVEST = [v for s in SCHOOLS.values() for v in (s.id, s.name, s.dsl.name, s.dsl.phone, s.dsl.email, s.theme.primary)]


def l3_client():
    app = create_app(f"harbour_l3_{uuid.uuid4().hex}", Settings(session_secret="k" * 40), FakeRasa(), SCHOOLS)
    return SanicTestClient(app)


@pytest.mark.parametrize("referer", [None, "https://evil.example/page", "not a url", "http://oakfield.example/"])
def test_l3_widget_js_lists_no_school_to_a_stranger(referer):
    _, response = l3_client().get("/widget.js", headers={"referer": referer} if referer else {})
    assert response.status == 200
    assert [v for v in HARVEST if v in response.text] == []


def test_l3_a_schools_site_gets_its_own_launcher_colours_and_nothing_of_the_others():
    test_client = l3_client()
    for school in SCHOOLS.values():
        for header in ("referer", "origin"):
            page = school.allowed_origins[0] + ("/news/page.html" if header == "referer" else "")
            _, response = test_client.get("/widget.js", headers={header: page})
            assert f'"{school.id}"' in response.text and school.theme.primary in response.text
            others = [s for s in SCHOOLS.values() if s.id != school.id]
            assert [v for s in others for v in (s.id, s.theme.primary) if v in response.text] == []
            assert [
                v for v in (school.name, school.dsl.name, school.dsl.phone, school.dsl.email) if v in response.text
            ] == []
            assert "Referer" in response.headers["vary"]


@pytest.mark.parametrize(
    "path",
    ["/", "/widget.css", "/chat", "/chat?school=no-such-school", "/chat.js", "/chat.css", "/insight-beacon.js",
     "/healthz", "/insight", "/insight/api", "/insight/csv", "/api/session", "/api/chat", "/api/beacon"],
)  # fmt: skip
def test_l3_no_public_page_or_endpoint_lists_schools_or_their_safeguarding_leads(path):
    test_client = l3_client()
    _, got = test_client.get(path)
    _, posted = test_client.post(path, data="{}", headers={"content-type": "application/json"})
    for response in (got, posted):
        assert [v for v in HARVEST if v in response.text] == []


def test_l3_a_schools_chat_page_holds_its_colours_and_sites_but_never_its_lead_or_name():
    school = SCHOOLS["oakfield-primary"]
    _, response = l3_client().get(f"/chat?school={school.id}")
    assert school.theme.primary in response.text  # public by design (directory/schools.yml)
    assert [v for v in (school.name, school.dsl.name, school.dsl.phone, school.dsl.email) if v in response.text] == []
    assert "ridgeway" not in response.text


def test_l6_slow_clients_get_short_timeouts_and_a_connection_cap():
    app = client().app
    assert app.config.REQUEST_TIMEOUT <= 10
    assert app.config.KEEP_ALIVE_TIMEOUT <= 5
    assert app.config.RESPONSE_TIMEOUT <= app.config.REQUEST_TIMEOUT + 20 + 5
    assert app.config.HARBOUR_CONNECTIONS_PER_ADDRESS > 0


@pytest.mark.parametrize("path", ["/", "/widget.js", "/healthz", "/no-such-page"])
def test_l7_every_response_has_the_hardening_headers(path):
    _, response = client().get(path, headers={"accept": "text/html"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_l7_chat_replies_and_errors_are_never_cached():
    test_client = client()
    for response in (post(test_client, body()), post(test_client, "{not json")):
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
