"""The low findings that belong to the request pipeline: L1, L2, L3, L6 (settings), L7."""

from __future__ import annotations

import pytest

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
    # School ids are public (they are in every embed); what a browser page can do is
    # bounded by the origin check: another school's page is refused.
    response = post(client(), body(), origin="https://evil.example")
    assert response.status == 403


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
