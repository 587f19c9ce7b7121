"""Where the project's files are, independent of the current directory.

`data/` holds exactly what Rasa trains on (`--data data`); the data Harbour reads at run
time lives beside it: the service directory and schools in `directory/`, the entity word
lists in `lexicon/`.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DIRECTORY = ROOT / "directory"
LEXICON = ROOT / "lexicon"
DOCS = ROOT / "docs"
