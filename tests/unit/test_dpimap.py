"""The DPI Map normaliser on tiny SYNTHETIC records (hand-written, not upstream data).

One case per schema variant met in the real releases."""

import pytest

from etl.corrections import Correction
from etl.dpimap import normalise_records, parse_bool, parse_status
from etl.problems import ETLError

WHERE = "release 2099-01-01, identity: synthetic.json"


def normalise(records, pillar="identity", corrections=()):
    return normalise_records(records, "2099-01-01", pillar, list(corrections), WHERE)


def identity_record(**overrides):
    record = {
        "Country / Region": "Testland",
        "Last updated": "01/10/24",
        "Count for DPI": 1,
        "Digital ID name": "Test ID",
        "URL": "https://example.org",
        "Status of implementation": "Implemented",
        "Collects or uses biometric data": "Yes",
    }
    return record | overrides


def test_first_release_spellings_with_newlines_and_trailing_spaces():
    record = {
        "Country": "Testland",
        "Region": "Africa",
        "Digital ID name": "Test ID",
        "Status of implementation": "Rollout",
        "Identity act codifies digital ID legal status\n": "No",
        "Legally binding redress mechanism\n": "Both",
    }
    out = normalise([record])
    (system,) = out["systems"]
    assert system["status"] == "implemented"
    assert system["status_raw"] == "Rollout"
    assert system["dpi_like"] is None  # not assessed before 2025-06-30: NULL, not false
    attrs = {a["attribute"]: a for a in out["attributes"]}
    assert attrs["codified_legal_status"]["value_bool"] is False
    assert attrs["redress_mechanism"]["value_text"] == "Both"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Implemented", "implemented"),
        ("Operating at scale", "implemented"),
        ("Active", "implemented"),
        ("Plan", "planned_or_piloted"),
        ("In Progress", "planned_or_piloted"),
        ("Piloted or planned", "planned_or_piloted"),
        ("NA", "none"),
        ("Unknown", "none"),
        ("Inactive", "none"),
        ("Planned/Piloted, Implemented", "implemented"),
        ("NA, Planned/Piloted", "planned_or_piloted"),
        ("Sideways", None),
    ],
)
def test_status_vocabulary(raw, expected):
    assert parse_status(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Yes", True), ("No", False), ("NA", None), ("Unknown", None), ("Yes, No", True)],
)
def test_yes_no_values(raw, expected):
    assert parse_bool(raw) is expected


def test_zero_width_and_stray_whitespace_are_cleaned():
    out = normalise([identity_record(**{"Digital ID name": "Test\u200b  ID \n", "URL": "NA"})])
    (system,) = out["systems"]
    assert system["system_name"] == "Test ID"
    assert system["url"] is None
    assert system["last_updated"].isoformat() == "2024-10-01"


def test_unknown_column_names_release_file_column_and_fix():
    with pytest.raises(
        ETLError,
        match=r"(?s)^release 2099-01-01, identity: synthetic\.json: "
        r"unknown column 'Favourite colour'.*Fix: .*etl/dpimap_columns\.py",
    ):
        normalise([identity_record(**{"Favourite colour": "blue"})])


def test_missing_required_column_lists_known_spellings():
    record = identity_record()
    del record["Status of implementation"]
    with pytest.raises(ETLError, match=r"missing required column 'status' \(known spellings"):
        normalise([record])


def test_unknown_status_value_stops_with_the_value_and_country():
    with pytest.raises(ETLError, match=r"(?s)Testland.*unknown status 'Maybe later'"):
        normalise([identity_record(**{"Status of implementation": "Maybe later"})])


def test_unknown_yes_no_value_stops():
    with pytest.raises(ETLError, match=r"'biometric_data' has 'Perhaps'"):
        normalise([identity_record(**{"Collects or uses biometric data": "Perhaps"})])


def test_bad_flag_and_date_are_reported_together():
    bad = identity_record(**{"Count for DPI": 7, "Last updated": "2024-10-01"})
    with pytest.raises(ETLError, match=r"2 problem\(s\)") as info:
        normalise([bad])
    assert "'Count for DPI' must be 0 or 1" in str(info.value)
    assert "is not DD/MM/YY" in str(info.value)


def test_duplicated_record_stops():
    with pytest.raises(ETLError, match=r"duplicated record: 'Testland' / system 'Test ID'"):
        normalise([identity_record(), identity_record()])


def test_several_systems_of_one_country_are_kept():
    out = normalise([identity_record(), identity_record(**{"Digital ID name": "Other ID"})])
    assert [s["system_name"] for s in out["systems"]] == ["Test ID", "Other ID"]


def test_not_a_list_of_records():
    with pytest.raises(ETLError, match="expected a JSON list of records"):
        normalise({"Country": "Testland"})


def test_correction_applies_with_reason_and_fails_when_stale():
    fix = Correction(2, "2099-01-01", "identity", "Testland", "status", "Cross", "Implemented", "r")
    out = normalise([identity_record(**{"Status of implementation": "Cross"})], corrections=[fix])
    assert out["systems"][0]["status"] == "implemented"
    assert out["corrections"][0]["reason"] == "r"
    with pytest.raises(ETLError, match=r"(?s)corrections\.csv line 2 .* matches 0 records"):
        normalise([identity_record()], corrections=[fix])


def test_derived_x_road_flag_for_data_exchange():
    record = {
        "Country / Region": "Testland",
        "Data exchange system name": "Bus",
        "Status of implementation": "Implemented",
        "Base technical architecture": "X-Road, API Gateway",
    }
    out = normalise([record], pillar="data_exchange")
    flags = {a["attribute"]: a["value_bool"] for a in out["attributes"]}
    assert flags["x_road_based"] is True


@pytest.mark.parametrize(
    ("architecture", "x_road", "uxp"),
    [
        ("X-Road, API Gateway", True, False),
        ("X-Road and Red Hat", True, False),
        ("UXP", False, True),
        ("WSO2", False, False),
        ("NA", None, None),
    ],
)
def test_x_road_and_uxp_are_flagged_apart(architecture, x_road, uxp):
    """UXP is Cybernetica's own product, not X-Road (nor its successor): two flags."""
    record = {
        "Country / Region": "Testland",
        "Data exchange system name": "Bus",
        "Status of implementation": "Implemented",
        "Base technical architecture": architecture,
    }
    out = normalise([record], pillar="data_exchange")
    flags = {a["attribute"]: a["value_bool"] for a in out["attributes"]}
    assert (flags["x_road_based"], flags["uxp_based"]) == (x_road, uxp)
