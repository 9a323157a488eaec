"""Building blocks on tiny SYNTHETIC inputs (hand-written here, not upstream data).

One case per real-world variant met in the DPI Map fields and the DPGA registry files, plus
checks that the committed reference tables and manifest agree with each other.
"""

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl import block_reference, dpga
from etl import building_blocks as bb
from etl.problems import ETLError
from etl.sources import read_manifest

# SYNTHETIC catalogue and spellings: a few rows in the committed files' format.
CATALOGUE = """\
block_id,name,kind,pillars,licence,dpga_id,parent,url,note
x-road,X-Road,open_dpg,data_exchange,MIT,x-road,,,synthetic
uxp,UXP,proprietary,data_exchange,,,Cybernetica,,synthetic
mosip,MOSIP,open_dpg,identity,MPL-2.0,modular-open-source-identity-platform,,,synthetic
atos,Atos,proprietary,identity,,,,,synthetic
idemia,IDEMIA,proprietary,identity,,,,,synthetic
thales,Thales,proprietary,identity,,,,,synthetic
gemalto,Gemalto,proprietary,identity,,,Thales,,synthetic
id4d,ID4D,funder,identity,,,World Bank,,synthetic
world-bank,World Bank,funder,identity,,,,,synthetic
central-bank,Central bank,operator_type,payments,,,,,synthetic
bank-association,Bank association,operator_type,payments,,,,,synthetic
private-psp,Commercial bank / private PSP,operator_type,payments,,,,,synthetic
"""
SPELLINGS = """\
pillar,field,spelling,block_id,reason
data_exchange,base_architecture,X-Road,x-road,
data_exchange,base_architecture,UXP,uxp,
data_exchange,base_architecture,ESB,,a generic architecture pattern
identity,technical_support_organisations,MOSIP,mosip,
identity,technical_support_organisations,Atos,atos,
identity,technical_support_organisations,IDEMIA,idemia,
identity,technical_support_organisations,Gemalto,gemalto,
identity,technical_support_organisations,ID4D,id4d,
identity,technical_support_organisations,Thales Gemalto,thales,newline list folded by the ETL
identity,technical_support_organisations,Thales Gemalto,gemalto,newline list folded by the ETL
identity,funding_organisations,World Bank,world-bank,
payments,operator,Central bank,central-bank,
payments,operator,Bank association,bank-association,
payments,operator,Commercial bank/ Private PSP,private-psp,
payments,operator,NA,,missing marker
"""
ALIASES = """\
name,iso3,reason
Estonnia,EST,synthetic misspelling
"""
REGIONAL = """\
name,reason
Africa,synthetic region
"""


@pytest.fixture
def reference(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, text in [
        ("catalogue", CATALOGUE),
        ("spellings", SPELLINGS),
        ("aliases", ALIASES),
        ("regional", REGIONAL),
    ]:
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def frames(cells: list[tuple]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(release, pillar, iso3, field, value) per system -> raw_systems, raw_attributes."""
    systems = pd.DataFrame(
        [
            {
                "system_id": i,
                "release": release,
                "pillar": pillar,
                "iso3": iso3,
                "country_raw": f"Country {iso3}",
                "system_name": f"System {i}",
            }
            for i, (release, pillar, iso3, _, _) in enumerate(cells)
        ]
    )
    attributes = pd.DataFrame(
        [
            {"system_id": i, "attribute": field, "value_bool": None, "value_text": value}
            for i, (_, _, _, field, value) in enumerate(cells)
        ]
    )
    return systems, attributes


def components(reference, cells):
    systems, attributes = frames(cells)
    return bb.system_components(
        systems,
        attributes,
        catalogue_csv=reference["catalogue"],
        spellings_csv=reference["spellings"],
    )


def spellings(reference):
    return block_reference.read_spellings(
        reference["spellings"], block_reference.read_catalogue(reference["catalogue"])
    )


# ---------------------------------------------------------------- splitting
@pytest.mark.parametrize(
    ("pillar", "field", "cell", "tokens"),
    [
        (
            "identity",
            "technical_support_organisations",
            "MOSIP, Atos, Idemia",
            ["MOSIP", "Atos", "Idemia"],
        ),
        (
            "identity",
            "funding_organisations",
            "IDB. UNDP. CAF and EU.",
            ["IDB", "UNDP", "CAF", "EU"],
        ),
        ("identity", "technical_support_organisations", "IDEMIA.", ["IDEMIA"]),
        ("identity", "technical_support_organisations", "MOSIP; ID4D", ["MOSIP", "ID4D"]),
        (
            "identity",
            "technical_support_organisations",
            "Hewlett Packard (HP), Zetes",
            ["Hewlett Packard (HP)", "Zetes"],
        ),
        (
            "payments",
            "operator",
            "Central bank/ Bank association",
            ["Central bank", "Bank association"],
        ),
        # a listed spelling is one token: its '/' does not split it
        ("payments", "operator", "Commercial bank/ Private PSP", ["Commercial bank/ Private PSP"]),
        ("data_exchange", "base_architecture", "X-Road and Red Hat", ["X-Road", "Red Hat"]),
    ],
)
def test_split_cell(reference, pillar, field, cell, tokens):
    assert bb.split_cell(cell, spellings(reference), pillar, field) == tokens


def test_mosip_atos_idemia_is_three_components(reference):
    out = components(
        reference,
        [
            (
                "2099-01-01",
                "identity",
                "AAA",
                "technical_support_organisations",
                "MOSIP, Atos, Idemia",
            )
        ],
    )
    assert list(out["block_id"]) == ["mosip", "atos", "idemia"]
    assert set(out["role"]) == {"technical_support"}
    assert set(out["raw_value"]) == {"MOSIP, Atos, Idemia"}


# ---------------------------------------------------------------- matching
def test_uxp_is_not_x_road(reference):
    out = components(
        reference,
        [
            ("2099-01-01", "data_exchange", "AAA", "base_architecture", "UXP"),
            ("2099-01-01", "data_exchange", "BBB", "base_architecture", "x-road"),
            ("2099-01-01", "data_exchange", "CCC", "base_architecture", "ESB"),
        ],
    )
    assert dict(zip(out["iso3"], out["block_id"], strict=True)) == {"AAA": "uxp", "BBB": "x-road"}
    assert set(out["role"]) == {"technology"}


def test_gemalto_keeps_its_name_with_parent_thales(reference):
    catalogue = block_reference.read_catalogue(reference["catalogue"])
    gemalto = catalogue.set_index("block_id").loc["gemalto"]
    assert (gemalto["name"], gemalto["parent"]) == ("Gemalto", "Thales")
    out = components(
        reference,
        [("2099-01-01", "identity", "AAA", "technical_support_organisations", "Gemalto")],
    )
    assert list(out["block_id"]) == ["gemalto"]  # not folded into Thales


def test_folded_newline_list_maps_to_every_block_it_names(reference):
    out = components(
        reference,
        [("2099-01-01", "identity", "AAA", "technical_support_organisations", "Thales  Gemalto")],
    )
    assert list(out["block_id"]) == ["thales", "gemalto"]


def test_missing_markers_and_repeats_give_no_rows(reference):
    out = components(
        reference,
        [
            ("2099-01-01", "payments", "AAA", "operator", "NA, Bank association"),
            ("2099-01-01", "payments", "BBB", "operator", "Central bank, Central bank"),
            ("2099-01-01", "payments", "CCC", "operator", None),
        ],
    )
    assert list(zip(out["iso3"], out["block_id"], strict=True)) == [
        ("AAA", "bank-association"),
        ("BBB", "central-bank"),
    ]
    assert set(out["role"]) == {"operator"}


def test_regional_record_keeps_null_iso3(reference):
    out = components(
        reference, [("2099-01-01", "identity", None, "funding_organisations", "World Bank")]
    )
    assert out["iso3"].isna().all() and list(out["role"]) == ["funder"]


def test_fields_not_read_are_ignored(reference):
    out = components(reference, [("2099-01-01", "identity", "AAA", "governing_entity", "Nobody")])
    assert out.empty and list(out.columns) == bb.TABLE_COLUMNS["system_components"]


# ---------------------------------------------------------------- unknown values
def test_unknown_supplier_stops_naming_release_field_value_and_file(reference):
    with pytest.raises(ETLError) as error:
        components(
            reference,
            [
                (
                    "2099-01-01",
                    "identity",
                    "AAA",
                    "technical_support_organisations",
                    "MOSIP, Acme ID",
                )
            ],
        )
    message = str(error.value)
    assert "problem(s)" not in message  # one problem: reported on its own line
    assert "release 2099-01-01" in message
    assert "identity" in message and "technical_support_organisations" in message
    assert "'Acme ID'" in message
    assert "add it to data/reference/building_block_spellings.csv" in message


def test_two_unknowns_reported_together(reference):
    with pytest.raises(ETLError, match=r"2 problem\(s\)") as error:
        components(
            reference,
            [
                ("2099-01-01", "data_exchange", "AAA", "base_architecture", "Acme Bus"),
                ("2099-04-01", "payments", "BBB", "operator", "Central bank/ Acme Pay"),
                ("2099-04-01", "payments", "CCC", "operator", "Acme Pay"),  # same value: once
            ],
        )
    places = {p.where: p.message for p in error.value.problems}
    assert places["release 2099-01-01, data_exchange"].startswith(
        "field base_architecture: unknown value 'Acme Bus'"
    )
    assert places["release 2099-04-01, payments"].startswith(
        "field operator: unknown value 'Acme Pay'"
    )
    assert all("building_block_spellings.csv" in p.fix for p in error.value.problems)


def test_an_unknown_value_names_the_release_file_it_is_in(reference):
    systems, attributes = frames(
        [("2099-01-01", "data_exchange", "AAA", "base_architecture", "Acme Bus")]
    )
    url = "https://dpimap.org/data/2099-01-01/exchange.json"
    with pytest.raises(ETLError) as error:
        bb.system_components(
            systems, attributes, catalogue_csv=reference["catalogue"],
            spellings_csv=reference["spellings"], files={("2099-01-01", "data_exchange"): url},
        )  # fmt: skip
    (problem,) = error.value.problems
    assert problem.where == f"release 2099-01-01, data_exchange: {url}"


def test_spelling_naming_an_unknown_block_stops(reference):
    with reference["spellings"].open("a", encoding="utf-8") as handle:
        handle.write("identity,funding_organisations,UNDP,undp,\n")
    with pytest.raises(ETLError, match=r"block_id 'undp' is not in data/reference/building_blocks"):
        spellings(reference)


def test_unmapped_spelling_needs_a_reason(reference):
    with reference["spellings"].open("a", encoding="utf-8") as handle:
        handle.write("data_exchange,base_architecture,API Gateway,,\n")
    with pytest.raises(ETLError, match=r"'API Gateway'.*needs a reason"):
        spellings(reference)


def test_catalogue_kind_must_be_known(reference):
    with reference["catalogue"].open("a", encoding="utf-8") as handle:
        handle.write("acme,Acme,vendor,identity,,,,,\n")
    with pytest.raises(ETLError, match=r"block 'acme': kind 'vendor' is not one of"):
        block_reference.read_catalogue(reference["catalogue"])


# ---------------------------------------------------------------- DPGA registry
URL = "https://example.org/synthetic/{}.json"


def deployments(reference, products):
    return dpga.dpg_deployments(
        {URL.format(stem): product for stem, product in products.items()},
        block_reference.read_catalogue(reference["catalogue"]),
        aliases_csv=reference["aliases"],
        regional_csv=reference["regional"],
    )


def product(deployed, developed):
    return {"locations": {"deploymentCountries": deployed, "developmentCountries": developed}}


def test_dpga_names_matched_including_a_misspelling_and_an_empty_list(reference):
    out = deployments(
        reference,
        {
            "x-road": product(["Estonnia", "Kyrgyztan", "Africa", "Finland"], ["Estonia"]),
            "modular-open-source-identity-platform": product([""], ["Philippines"]),
        },
    )
    rows = set(out.itertuples(index=False, name=None))
    assert rows == {
        ("x-road", "EST", "deployed", "dpga:x-road.json"),  # alias (synthetic misspelling)
        ("x-road", "KGZ", "deployed", "dpga:x-road.json"),  # country_converter's regex
        ("x-road", "FIN", "deployed", "dpga:x-road.json"),
        ("x-road", "EST", "developed", "dpga:x-road.json"),
        (
            "mosip",
            "PHL",
            "developed",
            "dpga:modular-open-source-identity-platform.json",
        ),
    }  # "Africa" is regional (excluded); [""] is an empty list


def test_dpga_unknown_countries_in_two_products_reported_together(reference):
    with pytest.raises(ETLError, match=r"DPGA registry products: 2 problem\(s\)") as error:
        deployments(
            reference,
            {
                "x-road": product(["Narnia"], []),
                "modular-open-source-identity-platform": product(["Atlantis"], []),
            },
        )
    message = str(error.value)
    assert "x-road.json" in message and "'Narnia'" in message and "'Atlantis'" in message
    assert "data/reference/country_aliases.csv" in message


def test_dpga_products_and_catalogue_must_agree(reference):
    with pytest.raises(ETLError) as error:
        deployments(reference, {"x-road": product([], []), "kobotoolbox": product([], [])})
    message = str(error.value)
    assert "no product file for dpga_id 'modular-open-source-identity-platform'" in message
    assert "no catalogue entry has dpga_id 'kobotoolbox'" in message


# ---------------------------------------------------------------- the evidence view (SQL)
def test_block_evidence_view(reference):
    con = duckdb.connect()
    tables = {
        "building_blocks": bb.building_blocks(
            block_reference.read_catalogue(reference["catalogue"])
        ),
        "system_components": pd.DataFrame(
            [
                ("2099-01-01", "data_exchange", "EST", "X", "x-road", "technology", "X-Road"),
                ("2099-01-01", "data_exchange", "ARM", "X", "x-road", "technology", "X-Road"),
                ("2099-01-01", "data_exchange", "AZE", "X", "uxp", "technology", "UXP"),
                ("2099-01-01", "data_exchange", None, "X", "x-road", "technology", "X-Road"),
            ],
            columns=bb.TABLE_COLUMNS["system_components"],
        ),
        "dpg_deployments": pd.DataFrame(
            [
                ("x-road", "EST", "deployed", "dpga:x-road.json"),
                ("x-road", "JPN", "deployed", "dpga:x-road.json"),
                ("x-road", "FIN", "developed", "dpga:x-road.json"),
            ],
            columns=bb.TABLE_COLUMNS["dpg_deployments"],
        ),
    }
    for name, frame in tables.items():
        con.register("frame", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM frame")
        con.unregister("frame")
    con.execute(bb.BLOCK_EVIDENCE_VIEW)
    rows = con.execute(
        "SELECT iso3, block_id, named_by, agree FROM block_evidence ORDER BY iso3"
    ).fetchall()
    assert rows == [
        ("ARM", "x-road", "dpi_map", False),
        ("EST", "x-road", "both", True),
        ("JPN", "x-road", "dpga", False),
    ]  # UXP has no dpga_id; regional rows and 'developed' are not deployment evidence


# ---------------------------------------------------------------- the committed reference data
def test_committed_catalogue_facts():
    catalogue = block_reference.read_catalogue().set_index("block_id")
    names = set(catalogue["name"])
    assert {"X-Road", "UXP", "MOSIP", "Mojaloop", "OpenCRVS", "OpenG2P"} <= names
    assert catalogue.loc["uxp", "kind"] == "proprietary" and not catalogue.loc["uxp", "dpga_id"]
    assert catalogue.loc["uxp", "parent"] == "Cybernetica"
    assert catalogue.loc["id4d", "kind"] == "funder"
    assert (catalogue.loc["gemalto", "name"], catalogue.loc["gemalto", "parent"]) == (
        "Gemalto",
        "Thales",
    )
    licences = catalogue.loc[catalogue["licence"] != "", "licence"].to_dict()
    assert licences == {
        "x-road": "MIT",
        "mosip": "MPL-2.0",
        "mojaloop": "Apache-2.0",
        "opencrvs": "MPL-2.0",
        "openg2p": "MPL-2.0",
    }


def test_committed_spellings_read_and_manifest_lists_every_dpga_product():
    catalogue = block_reference.read_catalogue()
    assert block_reference.read_spellings(
        catalogue=catalogue
    )  # every block_id exists, every gap has a reason
    with_dpga = set(catalogue.loc[catalogue["dpga_id"] != "", "dpga_id"])
    assert set(dpga.dpga_product_urls(read_manifest())) == with_dpga
    assert read_manifest()["dpga"]["terms"] == "The Unlicense"


def test_catalogue_dpga_id_must_be_unique(reference):
    with reference["catalogue"].open("a", encoding="utf-8") as handle:
        handle.write("x-road-2,X-Road 2,open_dpg,data_exchange,,x-road,,,\n")
    with pytest.raises(ETLError, match=r"dpga_id 'x-road' is listed more than once"):
        block_reference.read_catalogue(reference["catalogue"])


def test_unreadable_registry_files_are_all_named_not_a_traceback(tmp_path):
    files = {"https://x.test/a.json": "<html>moved</html>", "https://x.test/b.json": "",
             "https://x.test/c.json": '{"name": "SYNTHETIC"}'}  # fmt: skip

    class Cache:  # what etl.fetch's cache offers the build: the local path of a URL
        def path(self, url):
            local = tmp_path / url.rsplit("/", 1)[1]
            local.write_text(files[url], encoding="utf-8")
            return local

    with pytest.raises(ETLError) as error:
        bb.read_products(list(files), Cache())
    assert [p.where for p in error.value.problems] == [
        "DPGA registry: https://x.test/a.json", "DPGA registry: https://x.test/b.json"
    ]  # fmt: skip
    assert "HTML page" in error.value.problems[0].message
    good = {"https://x.test/c.json": files["https://x.test/c.json"]}
    files.clear(), files.update(good)
    assert bb.read_products(list(files), Cache()) == {
        "https://x.test/c.json": {"name": "SYNTHETIC"}
    }
