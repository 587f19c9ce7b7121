"""The one YAML loader: every Harbour file is read here, and a problem names the file.

Callers that report their own kind of error (the service directory, the lexicon) pass
its class, so the message has one shape everywhere: `<path>: file is missing`,
`<path>: not valid YAML: ...` or `<path>: expected a mapping at the top level`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Type

import yaml


class YamlError(ValueError):
    """A YAML file is missing, malformed or not a mapping; the message names it."""


def load_yaml(path: Path, error: Type[Exception] = YamlError) -> dict:
    """The file's top-level mapping ({} for an empty file)."""
    try:
        content = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{path}: file is missing") from None
    except yaml.YAMLError as problem:
        raise error(f"{path}: not valid YAML: {problem}") from None
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise error(f"{path}: expected a mapping at the top level")
    return content
