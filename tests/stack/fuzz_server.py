"""The real web app on a given port, with a stand-in for Rasa, for the fuzz test."""

import sys

from bot.settings import Settings
from bot.web.app import create_app

SESSION_KEY = "fuzz-test-session-key-not-a-secret"


async def fake_rasa(session, message, metadata):
    return [{"text": f"got {len(message)} characters"}]


if __name__ == "__main__":
    app = create_app(
        "harbour_fuzz", Settings(rate_session=10**9, rate_address=10**9, session_secret=SESSION_KEY), forward=fake_rasa
    )
    app.run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False)
