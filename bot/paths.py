"""Where the project's files are, independent of the current directory."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
LEXICON = DATA / "lexicon"
