"""The action server: `python -m rasa_sdk`, with private logs and the channel secret.

- Private logs (bot/privacy/private_logs.py): rasa_sdk logs the whole request (the
  tracker: every message of the conversation) when an action raises; here nothing of a
  conversation reaches the log.
- The secret Rasa shares with the web app (bot/rasa/channel_secret.py) is required on every
  route but /health: without it any local process could run Harbour's actions with a
  forged tracker, or read which actions exist (issue 18, L5). Rasa sends it from
  endpoints.yml (`headers`), so stock Rasa sends it too.

Same arguments as `python -m rasa_sdk`; scripts/run.sh, `make cluster` and compose start it:

    python -m bot.rasa.rasa_sdk_server --actions actions --port 5055
"""

from __future__ import annotations

from typing import Callable

from bot.privacy import private_logs
from bot.rasa.channel_secret import allowed, channel_secret
from bot.settings import load

OPEN_PATHS = ("/health",)


def requiring_secret(create_app: Callable, secret: str) -> Callable:
    """rasa_sdk's create_app, with every route but /health refused (403) without `secret`."""

    def create(*args, **kwargs):
        from sanic import response

        app = create_app(*args, **kwargs)

        @app.on_request
        async def check_secret(request):
            if request.path not in OPEN_PATHS and not allowed(secret, request.headers):
                return response.json({"error": "this server answers only Harbour's Rasa servers"}, status=403)
            return None

        return app

    return create


def main() -> None:
    private_logs.install()
    import rasa_sdk.endpoint
    from rasa_sdk.__main__ import main as rasa_sdk_main

    rasa_sdk.endpoint.create_app = requiring_secret(rasa_sdk.endpoint.create_app, channel_secret(load()))
    rasa_sdk_main()


if __name__ == "__main__":
    main()
