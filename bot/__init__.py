"""Harbour's one package, grouped by the process each part runs in.

- bot/rasa/: what the Rasa server loads (launcher, speed patches, channel, safety net,
  tracker store);
- bot/nlu/: Harbour's NLU components, loaded by Rasa from config.yml;
- bot/services/: the support-service directory, schools, opening hours, ranking and
  wording, used by the action server (actions/), the web app and the validator;
- bot/privacy/: redaction, retention and the one reader of stored conversations;
- bot/web/: the public web app;
- bot/tools/: maintainer commands and the test and benchmark harness;
- bot/settings.py and bot/regions.py: every setting and every region, once.

Importing `bot` does nothing else: no patch, no I/O (docs/architecture.md).
"""
