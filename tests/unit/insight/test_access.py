"""Insight tokens: the operator's, each school's (stored only as a hash), and the schools
file refusing a malformed or shared hash."""

import pytest
import yaml

from bot.insight.access import Viewer, digest, identify
from bot.services.entries import DirectoryError
from bot.services.schools import load_schools

SCHOOL = {
    "id": "oaks",
    "name": "The Oaks",
    "region": "GB-ENG",
    "dsl": {"name": "A Lead"},
    "allowed_origins": ["https://oaks.example"],
    "theme": {"primary": "#1d4f91", "text_on_primary": "#ffffff"},
}


def schools(tmp_path, *entries):
    path = tmp_path / "schools.yml"
    path.write_text(yaml.safe_dump({"schools": list(entries)}), encoding="utf-8")
    return load_schools(path)


def test_each_token_sees_what_it_should(tmp_path):
    found = schools(tmp_path, {**SCHOOL, "insight_token_sha256": digest("oaks-token-000000000")})
    assert identify("Bearer operator-token-00000000", "operator-token-00000000", found) == Viewer(operator=True)
    assert identify("Bearer oaks-token-000000000", "operator-token-00000000", found) == Viewer(False, "oaks")
    for header in (None, "", "Bearer ", "Basic b2Frcy10b2tlbg==", "Bearer short", "Bearer oaks-token-000000001"):
        assert identify(header, "operator-token-00000000", found) is None
    assert identify("Bearer anything-at-all-long", "", found) is None  # no operator token set: no operator


def test_the_schools_file_refuses_a_malformed_or_shared_token_hash(tmp_path):
    with pytest.raises(DirectoryError, match="SHA-256"):
        schools(tmp_path, {**SCHOOL, "insight_token_sha256": "plain-text-token"})
    same = digest("one-token-for-two-schools")
    with pytest.raises(DirectoryError, match="same insight_token_sha256"):
        schools(
            tmp_path,
            {**SCHOOL, "insight_token_sha256": same},
            {**SCHOOL, "id": "elms", "insight_token_sha256": same},
        )
