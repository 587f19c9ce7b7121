"""Harbour's public web app: the widget, the demo page and /api/chat (Sanic)."""
