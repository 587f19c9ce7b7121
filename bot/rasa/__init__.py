"""Everything the Rasa server process loads: the launcher and its speed patches, and the
plug-ins Rasa imports by dotted path (credentials.yml: the channel; endpoints.yml: the
tracker store). The NLU components Rasa loads from config.yml are in bot/nlu/.
"""
