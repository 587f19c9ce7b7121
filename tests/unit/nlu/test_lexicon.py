"""The word lists in lexicon/ load, and a broken one fails with a clear message."""

import shutil

import pytest
import yaml

from bot.nlu.lexicon import PLACE_CODES, LexiconError, load_lexicon
from bot.paths import LEXICON


def test_shipped_lexicon_loads():
    lexicon = load_lexicon()
    assert set(lexicon.places.values()) | set(lexicon.places_exact.values()) == set(PLACE_CODES)
    assert lexicon.age_band(12) == "under_13" and lexicon.age_band(13) == "13_17"


@pytest.fixture
def lexicon_copy(tmp_path):
    target = tmp_path / "lexicon"
    shutil.copytree(LEXICON, target)
    return target


def _edit(path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


def test_unknown_region_code_is_named(lexicon_copy):
    _edit(lexicon_copy / "locations.yml", lambda d: d["regions"].update({"XX": ["atlantis"]}))
    with pytest.raises(LexiconError, match="locations.yml.*XX"):
        load_lexicon(lexicon_copy)


def test_name_under_two_regions_is_refused(lexicon_copy):
    _edit(lexicon_copy / "locations.yml", lambda d: d["regions"]["GB-SCT"].append("dublin"))
    with pytest.raises(LexiconError, match="'dublin' is listed under both"):
        load_lexicon(lexicon_copy)


def test_context_word_that_is_not_a_name_is_refused(lexicon_copy):
    _edit(lexicon_copy / "platforms.yml", lambda d: d["needs_context"].append("myspace"))
    with pytest.raises(LexiconError, match="myspace"):
        load_lexicon(lexicon_copy)


def test_malformed_yaml_is_named(lexicon_copy):
    (lexicon_copy / "relations.yml").write_text("relations: [unclosed")
    with pytest.raises(LexiconError, match="relations.yml: not valid YAML"):
        load_lexicon(lexicon_copy)


def test_missing_file_is_named(lexicon_copy):
    (lexicon_copy / "ages.yml").unlink()
    with pytest.raises(LexiconError, match="ages.yml: file is missing"):
        load_lexicon(lexicon_copy)
