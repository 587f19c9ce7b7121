"""directory/services.yml and directory/schools.yml: shipped data is valid; broken data fails loudly."""

import collections
import logging
import os
import subprocess
import sys

import pytest
import yaml

from bot.paths import DIRECTORY, ROOT
from bot.services.directory import load_services
from bot.services.entries import DirectoryError
from bot.services.schools import find_school, load_schools

SERVICES = load_services()


def test_directory_has_enough_services_for_every_region():
    assert len(SERVICES) >= 45
    per_region = collections.Counter(r for s in SERVICES.values() for r in s.regions)
    for region in ("GB", "IE", "US", "AU", "CA"):
        assert per_region[region] >= 8, per_region
    for nation in ("GB-SCT", "GB-NIR", "GB-WLS"):
        assert per_region[nation] >= 1, per_region


def test_every_region_has_an_emergency_number():
    for region in ("GB", "IE", "US", "AU", "CA"):
        assert [s for s in SERVICES.values() if s.urgent and region in s.regions], region


def test_unverified_numbers_are_never_offered():
    family_lives = SERVICES["family_lives"]
    assert family_lives.contact.phone and family_lives.phone is None
    assert SERVICES["cari_ireland"].phone_for("IE") is None  # content audit 20


def test_each_region_gets_the_number_it_can_dial():
    # Content audit 4 and 5: the Irish number from Ireland, Samaritans' 116 123 in Ireland too.
    stop_it_now = SERVICES["stop_it_now_uk_ireland"]
    assert stop_it_now.phone_for("GB-ENG") == "0808 1000 900" and stop_it_now.phone_for("IE") == "+44 1372 847 161"
    assert SERVICES["samaritans"].phone_for("IE") == "116 123"
    # From a country Harbour has no answers for, only an international number.
    assert SERVICES["nspcc_helpline"].phone_for("unknown") == "+44 203 879 8560"
    assert SERVICES["childline"].phone_for("unknown") is None


def _broken_copy(tmp_path, change):
    data = yaml.safe_load((DIRECTORY / "services.yml").read_text())
    change(data["services"])
    path = tmp_path / "services.yml"
    path.write_text(yaml.safe_dump(data))
    return path


def _set(service_id, *keys, value):
    def change(services):
        entry = next(s for s in services if s["id"] == service_id)
        for key in keys[:-1]:
            entry = entry[key]
        entry[keys[-1]] = value

    return change


@pytest.mark.parametrize(
    "change,expected",
    [
        (_set("childline", "contact", "phone", value="0800 CALL ME"), r"'childline'.*'contact.phone'.*phone number"),
        (_set("childline", "contact", "web", value="childline dot org"), r"'childline'.*'contact.web'"),
        (_set("nspcc_helpline", "hours", "timezone", value="Europe/Atlantis"), r"'nspcc_helpline'.*unknown time zone"),
        (
            _set("nspcc_helpline", "hours", "weekly", value=[{"days": ["mon"], "open": "25:00", "close": "26:00"}]),
            r"'nspcc_helpline'.*HH:MM",
        ),
        (_set("childline", "topics", value=["nudes_in_general"]), r"'childline'.*not in docs/topics.md"),
        (_set("childline", "regions", value=["FR"]), r"'childline'.*unknown region"),
        (_set("childline", "unverified", value=["contact.fax"]), r"'childline'.*unknown unverified field"),
        (_set("childline", "best_for", value=["pornography"]), r"'childline'.*best_for"),
        (lambda services: services.append(dict(services[0])), r"'uk_emergency_999_112': id is used twice"),
    ],
)
def test_broken_entry_is_named_with_its_field(tmp_path, change, expected):
    with pytest.raises(DirectoryError, match=expected):
        load_services(_broken_copy(tmp_path, change))


def test_malformed_yaml_is_reported(tmp_path):
    path = tmp_path / "services.yml"
    path.write_text("services: [ {id: ")
    with pytest.raises(DirectoryError, match="not valid YAML"):
        load_services(path)


def test_action_server_refuses_to_start_on_a_broken_directory(tmp_path):
    broken = _broken_copy(tmp_path, _set("childline", "contact", "phone", value="call us"))
    env = dict(os.environ, HARBOUR_SERVICES_FILE=str(broken), PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", "import actions"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "entry 'childline': field 'contact.phone'" in result.stderr


def test_demo_school_loads_and_unknown_school_is_ignored_with_a_log_line(caplog):
    caplog.set_level(logging.INFO, logger="bot.services.schools")
    schools = load_schools()
    assert schools["st-marys"].dsl.name
    assert find_school(schools, "no-such-school") is None
    assert find_school(schools, {"not": "a string"}) is None
    assert "unknown school id" in caplog.text


def test_school_with_a_bad_origin_is_refused(tmp_path):
    data = yaml.safe_load((DIRECTORY / "schools.yml").read_text())
    data["schools"][0]["allowed_origins"] = ["https://example.org/path"]
    path = tmp_path / "schools.yml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(DirectoryError, match="'st-marys'.*allowed_origins"):
        load_schools(path)
