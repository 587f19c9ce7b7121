"""Harbour's own NLU pieces: entity rules on spaCy, and the Rasa components around them."""
