"""Privacy: redaction of personal details, retention, and the one module that reads
Rasa's stored conversations (the `events` table) for every maintainer command.
"""
