"""etl.outcomes and etl.outcome_files on tiny hand-written inputs.

Everything here is synthetic: made-up entity rows, ids and values, typed in this file. Only the
file shapes follow Gapminder open-numbers (a long CSV geo,time,<code>; an entity file with
country and iso3166_1_alpha3 columns and Windows line endings).
"""

import pandas as pd
import pytest

from etl.outcome_files import ENTITY_SECTION, INDICATOR_COLUMNS, IndicatorFile, indicator_files
from etl.outcome_reference import (
    EXCLUSIONS_CSV,
    OVERRIDES_CSV,
    Override,
    parse_exclusions,
    parse_overrides,
    read_exclusions,
    read_overrides,
)
from etl.outcomes import OUTCOME_COLUMNS, normalise_outcomes, read_outcomes
from etl.problems import ETLError
from etl.sources import all_urls, read_manifest
from etl.vocabulary import PILLARS

URL = "https://example.org/synthetic/ddf--datapoints--{}--by--geo--time.csv"
ACCOUNT = IndicatorFile(
    "wdi_account_ownership",
    "FX.OWN.TOTL.ZS",
    "Account ownership (synthetic)",
    "%",
    "Synthetic Findex",
    "payments",
    URL.format("fx_own_totl_zs"),
)
INTERNET = IndicatorFile(
    "wdi_internet_use",
    "IT.NET.USER.ZS",
    "Internet use (synthetic)",
    "%",
    "Synthetic ITU",
    "data_exchange",
    URL.format("it_net_user_zs"),
)
# Synthetic entity file, Windows line endings as upstream. `kos` is XKX and `nld_cur` is CUW:
# upper-casing the ids would give KOS and NLD_CUR. `ghost` has no ISO3; `terr` is a territory
# with a code the (synthetic) warehouse does not know.
ENTITIES = "\r\n".join(
    [
        "country,name,iso3166_1_alpha3,latitude",
        "aaa,Alphaland,AAA,1.0",
        "bbb,Betaland,BBB,2.0",
        "kos,Kosovo-like,XKX,3.0",
        "nld_cur,Curacao-like,CUW,4.0",
        "ghost,Former State,,5.0",
        "terr,Some Territory,TRR,6.0",
        "",
    ]
)
KNOWN = {"AAA", "BBB", "XKX", "CUW"}


def account_file(*rows: str, header: str = "geo,time,fx_own_totl_zs") -> str:
    return "\n".join([header, *rows, ""])


def run(
    *files: tuple[IndicatorFile, str],
    exclusions: dict | None = None,
    entities=ENTITIES,
    overrides: dict | None = None,
):
    return normalise_outcomes(entities, list(files), KNOWN, exclusions or {}, overrides=overrides)


def test_ids_join_through_the_entity_file_not_by_upper_casing():
    text = account_file("aaa,2021,40.5", "kos,2021,52.25", "kos,2024,64", "nld_cur,2024,70")
    out = run((ACCOUNT, text))
    assert list(out.outcomes.columns) == OUTCOME_COLUMNS
    assert out.outcomes.values.tolist() == [
        ["AAA", "FX.OWN.TOTL.ZS", 2021, 40.5],
        ["CUW", "FX.OWN.TOTL.ZS", 2024, 70.0],
        ["XKX", "FX.OWN.TOTL.ZS", 2021, 52.25],
        ["XKX", "FX.OWN.TOTL.ZS", 2024, 64.0],
    ]
    assert not {"KOS", "NLD_CUR"} & set(out.outcomes["iso3"])
    assert out.excluded.empty


def test_windows_line_endings_and_a_bom_in_the_entity_file():
    text = account_file("bbb,2024,12.5")
    crlf = run((ACCOUNT, text), entities="\ufeff" + ENTITIES)
    lf = run((ACCOUNT, text), entities=ENTITIES.replace("\r\n", "\n"))
    assert crlf.outcomes.values.tolist() == [["BBB", "FX.OWN.TOTL.ZS", 2024, 12.5]]
    assert crlf.outcomes.equals(lf.outcomes)


def test_indicators_frame_follows_the_warehouse_contract():
    out = run((ACCOUNT, account_file("aaa,2024,1")), (INTERNET, "geo,time,it_net_user_zs\n"))
    assert list(out.indicators.columns) == INDICATOR_COLUMNS
    assert out.indicators.values.tolist() == [
        [
            "FX.OWN.TOTL.ZS",
            "Account ownership (synthetic)",
            "%",
            "Synthetic Findex",
            "wdi_account_ownership:ddf--datapoints--fx_own_totl_zs--by--geo--time.csv",
            "payments",
        ],
        [
            "IT.NET.USER.ZS",
            "Internet use (synthetic)",
            "%",
            "Synthetic ITU",
            "wdi_internet_use:ddf--datapoints--it_net_user_zs--by--geo--time.csv",
            "data_exchange",
        ],
    ]


def test_excluded_ids_are_listed_with_their_reason_and_dropped():
    text = account_file("aaa,2024,50", "ghost,1990,10", "ghost,1991,11", "terr,2024,99")
    reasons = {"ghost": "synthetic: no ISO3", "terr": "synthetic: territory not in countries"}
    out = run((ACCOUNT, text), exclusions=reasons)
    assert out.outcomes["iso3"].tolist() == ["AAA"]
    assert out.excluded.values.tolist() == [
        ["FX.OWN.TOTL.ZS", "ghost", "Former State", "synthetic: no ISO3", 2],
        ["FX.OWN.TOTL.ZS", "terr", "Some Territory", "synthetic: territory not in countries", 1],
    ]


def test_an_id_not_in_the_entity_file_stops_the_etl():
    with pytest.raises(ETLError, match=r"line 3, column geo: id 'zzz' is not in the entity file"):
        run((ACCOUNT, account_file("aaa,2024,50", "zzz,2024,50")))


def test_an_unmatched_id_must_be_listed_in_the_exclusions():
    fix = r"fix: add it to data/reference/outcome_exclusions\.csv with a reason"
    with pytest.raises(
        ETLError, match=r"id 'ghost' \(Former State; no ISO3\) matches no country; " + fix
    ):
        run((ACCOUNT, account_file("ghost,2024,50")))
    with pytest.raises(
        ETLError, match=r"id 'terr' \(Some Territory; ISO3 TRR, not in the warehouse"
    ):
        run((ACCOUNT, account_file("terr,2024,50")))


def test_an_exclusion_of_a_known_country_is_stale():
    with pytest.raises(ETLError, match=r"id 'aaa' \(Alphaland\) is excluded .* matches AAA"):
        run((ACCOUNT, account_file("aaa,2024,50")), exclusions={"aaa": "synthetic"})


def test_a_non_numeric_value_stops_the_etl():
    with pytest.raises(ETLError, match=r"line 3, column fx_own_totl_zs: 'n/a' is not a number"):
        run((ACCOUNT, account_file("aaa,2021,40", "aaa,2024,n/a")))


def test_a_value_over_100_stops_the_etl():
    with pytest.raises(ETLError, match=r"line 2, column fx_own_totl_zs: '100\.5' is outside 0-100"):
        run((ACCOUNT, account_file("aaa,2024,100.5")))


def test_a_negative_value_and_a_bad_year_stop_the_etl():
    with pytest.raises(ETLError, match=r"'-0\.1' is outside 0-100"):
        run((ACCOUNT, account_file("aaa,2024,-0.1")))
    with pytest.raises(ETLError, match=r"column time: '2024\.0' is not a year"):
        run((ACCOUNT, account_file("aaa,2024.0,1")))


def test_a_duplicate_country_year_stops_the_etl():
    with pytest.raises(
        ETLError, match=r"line 4: duplicate country-year \(aaa, 2024\), first on line 2"
    ):
        run((ACCOUNT, account_file("aaa,2024,50", "bbb,2024,50", "aaa,2024,51")))


def test_an_unknown_column_stops_the_etl():
    text = account_file("aaa,2024,50", header="geo,time,fx_own_totl_zs,note")
    with pytest.raises(
        ETLError,
        match=r"line 1: header geo,time,fx_own_totl_zs,note is not geo,time,fx_own_totl_zs \(unknown column\(s\): note\)",
    ):
        run((ACCOUNT, text))


def test_a_file_for_another_indicator_is_an_unknown_column():
    with pytest.raises(
        ETLError, match=r"unknown column\(s\): it_net_user_zs.*indicator = 'FX\.OWN\.TOTL\.ZS'"
    ):
        run((ACCOUNT, "geo,time,it_net_user_zs\naaa,2024,50\n"))


def test_every_problem_in_every_file_is_reported_together():
    account = account_file(
        "aaa,2024,abc", "bbb,2023,101", "bbb,2024,50", "bbb,2024,50", "ghost,2024,1"
    )
    internet = "geo,time,internet\naaa,2024,50\n"
    with pytest.raises(ETLError) as caught:
        run((ACCOUNT, account), (INTERNET, internet))
    message = str(caught.value)
    assert message.startswith("outcome indicators: 5 problem(s)")
    for expected in [
        "line 2, column fx_own_totl_zs: 'abc' is not a number",
        "line 3, column fx_own_totl_zs: '101' is outside 0-100",
        "line 5: duplicate country-year (bbb, 2024), first on line 4",
        "id 'ghost' (Former State; no ISO3) matches no country",
        "[wdi_internet_use] ddf--datapoints--it_net_user_zs--by--geo--time.csv line 1: header",
    ]:
        assert expected in message


def test_entity_file_problems_are_reported():
    entities = "country,name\r\naaa,Alphaland\r\n"
    with pytest.raises(ETLError, match=r"entity file line 1: missing column\(s\) iso3166_1_alpha3"):
        run((ACCOUNT, account_file("aaa,2024,1")), entities=entities)
    twice = ENTITIES + "zzz,Alphaland again,AAA,0\r\n"
    with pytest.raises(ETLError, match=r"'AAA' of id 'zzz' is already the code of id 'aaa'"):
        run((ACCOUNT, account_file("aaa,2024,1")), entities=twice)


def test_exclusions_need_a_reason_each():
    assert parse_exclusions("id,reason\nghost,synthetic\n") == {"ghost": "synthetic"}
    with pytest.raises(ETLError, match=r"line 2: needs an id and a reason"):
        parse_exclusions("id,reason\nghost,\n")
    with pytest.raises(ETLError, match=r"expected columns id,reason"):
        parse_exclusions("geo,why\nghost,synthetic\n")


def test_the_committed_exclusions_file_parses():
    exclusions = read_exclusions(EXCLUSIONS_CSV)
    assert exclusions and all(len(reason) > 20 for reason in exclusions.values())


def test_the_manifest_declares_the_indicators_as_data():
    manifest = read_manifest()
    specs = indicator_files(manifest)
    assert [s.indicator for s in specs] == ["FX.OWN.TOTL.ZS", "SP.REG.BRTH.ZS", "IT.NET.USER.ZS"]
    assert [s.pillar for s in specs] == ["payments", "identity", "data_exchange"]
    assert all(s.unit == "%" and s.pillar in PILLARS for s in specs)
    assert all(s.column in s.url for s in specs)
    fetched = set(all_urls(manifest))  # the build fetches the entity file and each indicator
    assert {manifest[ENTITY_SECTION]["url"], *(s.url for s in specs)} <= fetched


def test_a_bad_manifest_section_is_reported():
    manifest = {"wdi_x": {"indicator": "fx own", "name": "n", "unit": "USD", "pillar": "money"}}
    with pytest.raises(ETLError, match=r"\[wdi_x\] lacks original_source, url"):
        indicator_files(manifest)
    manifest["wdi_x"].update(original_source="s", url="https://example.org/x.csv")
    with pytest.raises(ETLError, match=r"3 problem\(s\)"):
        indicator_files(manifest)


def test_read_outcomes_reads_local_files(tmp_path):
    manifest = {
        "wdi_account_ownership": {
            "indicator": ACCOUNT.indicator,
            "name": ACCOUNT.name,
            "unit": "%",
            "original_source": ACCOUNT.original_source,
            "pillar": "payments",
            "url": ACCOUNT.url,
        },
        "wdi_geo_entities": {"url": "https://example.org/synthetic/entities.csv"},
    }
    (tmp_path / "entities.csv").write_bytes(ENTITIES.encode())
    (tmp_path / "ddf--datapoints--fx_own_totl_zs--by--geo--time.csv").write_text(
        account_file("kos,2024,64.5", "ghost,2024,1")
    )
    exclusions = tmp_path / "exclusions.csv"
    exclusions.write_text("id,reason\nghost,synthetic: no ISO3\n")
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("id,iso3,reason\n")  # this entity file gives kos its code itself
    path_of = lambda url: tmp_path / url.rsplit("/", 1)[-1]  # noqa: E731
    out = read_outcomes(manifest, path_of, KNOWN, exclusions, overrides)
    assert out.outcomes.values.tolist() == [["XKX", "FX.OWN.TOTL.ZS", 2024, 64.5]]
    assert out.excluded["id"].tolist() == ["ghost"]
    assert isinstance(out.indicators, pd.DataFrame)
    overrides.write_text("id,iso3,reason\nghost,GHO,synthetic: reviewed\n")
    exclusions.write_text("id,reason\n")
    out = read_outcomes(manifest, path_of, KNOWN | {"GHO"}, exclusions, overrides)
    assert out.outcomes["iso3"].tolist() == ["GHO", "XKX"]
    assert out.overridden[["id", "iso3", "values"]].values.tolist() == [["ghost", "GHO", 1]]


# ---- the reviewed id -> ISO3 overrides, checked before the entity file
# `kosx` stands for upstream's Kosovo: in the entity file with no ISO3 (as `ghost` here).
NO_CODE = ENTITIES.replace("\r\n\r\n", "\r\n") + "kosx,Kosovo-like without a code,,7.0\r\n"
KOSX = {"kosx": Override("XKX", "synthetic: the entity file has no code, the warehouse uses XKX")}


def test_an_override_joins_an_id_the_entity_file_gives_no_code():
    text = account_file("aaa,2024,40", "kosx,2021,55.5", "kosx,2024,61")
    out = run((ACCOUNT, text), entities=NO_CODE.replace(",XKX,3.0", ",,3.0"), overrides=KOSX)
    assert out.outcomes.values.tolist() == [
        ["AAA", "FX.OWN.TOTL.ZS", 2024, 40.0],
        ["XKX", "FX.OWN.TOTL.ZS", 2021, 55.5],
        ["XKX", "FX.OWN.TOTL.ZS", 2024, 61.0],
    ]
    assert out.excluded.empty
    assert out.overridden.values.tolist() == [
        ["FX.OWN.TOTL.ZS", "kosx", "XKX", KOSX["kosx"].reason, 2]
    ]


def test_without_the_override_the_same_id_must_be_excluded():
    text = account_file("kosx,2024,61")
    with pytest.raises(ETLError, match=r"id 'kosx' \(Kosovo-like without a code; no ISO3\)"):
        run((ACCOUNT, text), entities=NO_CODE.replace(",XKX,3.0", ",,3.0"))


def test_an_override_to_a_country_the_warehouse_does_not_know_stops_the_etl():
    overrides = {"kosx": Override("QQQ", "synthetic")}
    with pytest.raises(
        ETLError,
        match=r"id 'kosx' is mapped to QQQ in data/reference/outcome_id_overrides\.csv, but the "
        r"warehouse has no country QQQ",
    ):
        run((ACCOUNT, account_file("kosx,2024,61")), entities=NO_CODE, overrides=overrides)


def test_an_override_that_repeats_or_contradicts_the_entity_file_stops_the_etl():
    same = {"aaa": Override("AAA", "synthetic")}
    with pytest.raises(ETLError, match=r"id 'aaa' -> AAA is what .* already says; fix: remove"):
        run((ACCOUNT, account_file("aaa,2024,1")), overrides=same)
    taken = {"kosx": Override("BBB", "synthetic")}
    with pytest.raises(ETLError, match=r"id 'kosx' -> BBB, but .* gives BBB to id 'bbb'"):
        run((ACCOUNT, account_file("kosx,2024,1")), entities=NO_CODE, overrides=taken)


def test_an_id_both_overridden_and_excluded_stops_the_etl():
    with pytest.raises(ETLError, match=r"id 'kosx' is both mapped to XKX .* and excluded"):
        run(
            (ACCOUNT, account_file("kosx,2024,1")),
            entities=NO_CODE.replace(",XKX,3.0", ",,3.0"),
            overrides=KOSX,
            exclusions={"kosx": "synthetic"},
        )


def test_override_file_rows_are_checked():
    assert parse_overrides("id,iso3,reason\nkosx,XKX,synthetic\n") == {
        "kosx": Override("XKX", "synthetic")
    }
    with pytest.raises(ETLError, match=r"expected columns id,iso3,reason"):
        parse_overrides("id,reason\nkosx,synthetic\n")
    for body, message in [
        ("kosx,XKX,\n", r"line 2: needs an id, an ISO3 code and a reason"),
        ("kosx,xkx,synthetic\n", r"line 2, column iso3: 'xkx' is not an upper-case ISO3"),
        ("kosx,XKX,a\nkosx,XKY,b\n", r"line 3: id 'kosx' listed more than once"),
        ("kosx,XKX,a\nother,XKX,b\n", r"line 3: XKX is already the code of another id"),
    ]:
        with pytest.raises(ETLError, match=message):
            parse_overrides("id,iso3,reason\n" + body)


def test_the_committed_overrides_map_kosovo_to_xkx_and_kosovo_is_not_excluded():
    overrides = read_overrides(OVERRIDES_CSV)
    assert overrides["kos"].iso3 == "XKX" and len(overrides["kos"].reason) > 20
    assert not set(overrides) & set(read_exclusions(EXCLUSIONS_CSV))
