"""Runs the public web app: python -m bot.web (WEB_HOST, WEB_PORT, RASA_PORT)."""
import logging
import os

from bot.web.app import create_app

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
app = create_app()

if __name__ == "__main__":
    app.run(
        host=os.environ.get("WEB_HOST", "127.0.0.1"),
        port=int(os.environ.get("WEB_PORT", "8000")),
        access_log=False,
    )
