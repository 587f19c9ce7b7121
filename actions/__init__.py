"""Harbour's custom actions, served by `python -m rasa_sdk --actions actions` (scripts/run.sh).

Only rasa_sdk code lives here: it reads the tracker and calls the support-service domain
in bot/services/. Importing this package loads and checks directory/services.yml and
directory/schools.yml, so the action server refuses to start on a broken directory and
names the entry and field.
"""

from actions.support import ActionRecommendSupport  # noqa: F401
