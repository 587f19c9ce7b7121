"""The real web app on a given port, with a stand-in for Rasa, for the fuzz test."""
import sys

from bot.web.app import Settings, create_app


async def fake_rasa(session, message, metadata):
    return [{"text": f"got {len(message)} characters"}]


if __name__ == "__main__":
    app = create_app("harbour_fuzz", Settings(per_session=10**9, per_address=10**9, tracker_db=None),
                     forward=fake_rasa)
    app.run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False)
