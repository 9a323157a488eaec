"""etl.countries on tiny hand-written inputs.

Everything here is synthetic (made-up names, a made-up CLASS workbook, a made-up geo table),
except DPI_MAP_NAMES: the country names as spelt in the DPI Map releases (a plain list of
names, typed here; every one must resolve).
"""

import openpyxl
import pandas as pd
import pytest

from etl import countries
from etl.countries import (
    TABLE_COLUMNS,
    clean_name,
    country_table,
    harmonise_countries,
    read_class,
)
from etl.problems import ETLError

REGIONAL_NAMES = {"Africa", "Asia", "Caribbean", "Central America, Caribbean", "Eastern Caribbean"}
REGIONAL_NAMES |= {"Europe", "European Union", "Latin America", "Middle East", "North America"}
REGIONAL_NAMES |= {"Oceania"}
DPI_MAP_NAMES = """Afghanistan|Africa|Albania|Algeria|Andorra|Angola|Antarctica|Antigua and Barbuda
|Argentina|Armenia|Asia|Australia|Austria|Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus
|Belgium|Belize|Benin|Bhutan|Bolivia|Bonaire, Sint Eustatius and Saba|Bosnia and Herzegovina
|Botswana|Brazil|British Indian Ocean Territory|Brunei|Bulgaria|Burkina Faso|Burundi|Cabo Verde
|Cambodia|Cameroon|Canada|Caribbean|Central African Republic|Central America, Caribbean|Chad
|Chile|China|China, Hong Kong Special Administrative Region
|China, Macao Special Administrative Region|Colombia|Comoros|Congo|Costa Rica|Croatia|Cuba
|Curaçao|Cyprus|Czech Republic|Côte d’Ivoire|Democratic Republic of the Congo|Denmark|Djibouti
|Dominica|Dominican Republic|Eastern Caribbean|Ecuador|Egypt|El Salvador|Equatorial Guinea
|Eritrea|Estonia|Eswatini|Ethiopia|Europe|European Union|Faroe Islands|Fiji|Finland|France
|French Guiana|French Southern Territories|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Greenland
|Grenada|Guadeloupe|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|Hungary|Iceland|India
|Indonesia|Iran|Iraq|Ireland|Isle of Man|Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|Kenya
|Kiribati|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein
|Lithuania|Luxembourg|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Marshall Islands|Martinique
|Mauritania|Mauritius|Mexico|Micronesia (Federated States of)|Middle East|Moldova|Monaco|Mongolia
|Montenegro|Morocco|Mozambique|Myanmar|Namibia|Nauru|Nepal|Netherlands|New Zealand|Nicaragua
|Niger|Nigeria|North Korea|North Macedonia|Norway|Oman|Pakistan|Palau|Panama|Papua New Guinea
|Paraguay|Peru|Philippines|Poland|Portugal|Puerto Rico|Qatar|Romania|Russian Federation|Rwanda
|Saint Barthélemy|Saint Kits and Nevis|Saint Kitts and Nevis|Saint Lucia
|Saint Vincent and the Grenadines|Samoa|San Marino|Sao Tome and Principe|Saudi Arabia|Senegal
|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|Solomon Islands|Somalia|South Africa
|South Korea|South Sudan|Spain|Sri Lanka|State of Palestine|Sudan|Suriname|Sweden|Switzerland
|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Timor-Leste|Togo|Tonga|Trinidad and Tobago|Tunisia
|Turkey|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates
|United Kingdom of Great Britain and Northern Ireland|United States of America|Uruguay|Uzbekistan
|Vanuatu|Vatican City|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe|Latin America|North America
|Oceania""".replace("\n", "").split("|")
EXPECTED = {
    "Kosovo": "XKX",
    "China, Hong Kong Special Administrative Region": "HKG",
    "China, Macao Special Administrative Region": "MAC",
    "Côte d’Ivoire": "CIV",
    "Bonaire, Sint Eustatius and Saba": "BES",
    "State of Palestine": "PSE",
    "Vatican City": "VAT",
    "Taiwan": "TWN",
    "Saint Barthélemy": "BLM",
    "Saint Kits and Nevis": "KNA",
    "Congo": "COG",
    "Democratic Republic of the Congo": "COD",
    "Niger": "NER",
    "Micronesia (Federated States of)": "FSM",
}


@pytest.fixture
def reference(tmp_path):
    """Synthetic alias and regional tables."""
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("name,iso3,reason\nRepublic of Kenyaa,KEN,synthetic misspelling\n")
    regional = tmp_path / "regional.csv"
    regional.write_text("name,reason\nWest Atlantis,synthetic region\n")
    return {"aliases_csv": aliases, "regional_csv": regional}


def test_every_dpi_map_name_resolves_with_the_committed_tables():
    matches = harmonise_countries(DPI_MAP_NAMES, "DPI Map names")
    assert len(matches) == len(DPI_MAP_NAMES)
    assert set(matches.loc[matches["method"] == "regional", "name_raw"]) == REGIONAL_NAMES
    assert matches.loc[matches["method"] != "regional", "iso3"].str.fullmatch("[A-Z]{3}").all()
    found = dict(zip(matches["name_raw"], matches["iso3"], strict=True))
    assert {name: found[name] for name in EXPECTED} == EXPECTED


def test_names_are_cleaned_before_matching_but_reported_raw(reference):
    raw = ["  Kenya\u200b ", "\ufeffRepublic of  Kenyaa", "west atlantis", "Kenya"]
    matches = harmonise_countries(raw, "synthetic.json", **reference)
    assert matches.to_dict("records") == [
        {"name_raw": "  Kenya\u200b ", "iso3": "KEN", "method": "library"},
        {"name_raw": "\ufeffRepublic of  Kenyaa", "iso3": "KEN", "method": "alias"},
        {"name_raw": "west atlantis", "iso3": None, "method": "regional"},
        {"name_raw": "Kenya", "iso3": "KEN", "method": "library"},
    ]


def test_duplicate_names_give_one_row(reference):
    matches = harmonise_countries(["Chad", "Chad", "Peru"], "synthetic.json", **reference)
    assert matches["name_raw"].tolist() == ["Chad", "Peru"]


def test_every_unknown_name_is_reported_at_once_with_the_fix(reference):
    names = ["Kenya", "Atlantis", "Narnia\u200b"]
    with pytest.raises(ETLError, match=r"synthetic\.json: 2 unknown country name\(s\)") as error:
        harmonise_countries(names, "synthetic.json", **reference)
    assert "'Atlantis', 'Narnia\\u200b'" in str(error.value)  # invisible characters shown
    assert "add it to data/reference/country_aliases.csv (name,iso3,reason)" in str(error.value)


def test_an_unknown_name_says_which_release_file_spells_it(reference):
    where = "release 2099-01-01, identity: https://dpimap.org/data/2099-01-01/identity.json"
    with pytest.raises(ETLError) as error:
        harmonise_countries(
            ["Kenya", "Atlantis"], "names", found_in={"Atlantis": where}, **reference
        )
    assert f"'Atlantis' (first in {where})" in str(error.value)


def test_a_name_matching_two_countries_is_unknown(reference):
    with pytest.raises(ETLError, match="'Niger Nigeria'"):
        harmonise_countries(["Niger Nigeria"], "synthetic.json", **reference)


def test_alias_rows_need_a_code_and_a_reason(tmp_path, reference):
    bad = tmp_path / "bad_aliases.csv"
    bad.write_text("name,iso3,reason\nRepublic of Kenyaa,ken,\n")
    with pytest.raises(ETLError, match=r"need an upper-case ISO3 code and a reason.*Kenyaa"):
        harmonise_countries(["Kenya"], "x", aliases_csv=bad, regional_csv=reference["regional_csv"])


def test_reference_tables_need_their_columns_and_unique_names(tmp_path, reference):
    wrong = tmp_path / "regional.csv"
    wrong.write_text("region,why\nWest Atlantis,synthetic\n")
    with pytest.raises(ETLError, match="expected columns name,reason"):
        harmonise_countries(
            ["Kenya"], "x", aliases_csv=reference["aliases_csv"], regional_csv=wrong
        )
    wrong.write_text("name,reason\nWest Atlantis,synthetic\nwest  atlantis,synthetic\n")
    with pytest.raises(ETLError, match="more than once"):
        harmonise_countries(
            ["Kenya"], "x", aliases_csv=reference["aliases_csv"], regional_csv=wrong
        )


def test_clean_name_removes_invisible_characters_and_extra_spaces():
    assert clean_name("\ufeff Saint\u00a0 Lucia\u200b\u200d ") == "Saint Lucia"


def write_class(path, rows):
    """A synthetic CLASS workbook: the real sheet and header names, made-up rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "List of economies"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


CLASS_HEADER = ["Economy", "Code", "Region", "Income group", "Lending category"]
SYNTHETIC_GEO = pd.DataFrame(
    {
        "iso3": ["KEN", "XKX", "GUF"],
        "has_geometry": [True, True, False],
        "population": pd.array([50, 2, None], dtype="Int64"),
        "population_year": pd.array([2019, 2019, None], dtype="Int64"),
        "lat": [0.5, 42.6, 3.9],
        "lon": [37.5, 20.9, -53.1],
        "area_km2": [580000.0, 10900.0, None],
    }
)


def test_country_table_joins_groups_class_and_geo(tmp_path):
    xlsx = write_class(
        tmp_path / "class.xlsx",
        [
            CLASS_HEADER,
            ["Kenya", "KEN", "Sub-Saharan Africa", "Lower middle income", "Blend"],
            ["Kosovo", "XKX", "Europe & Central Asia", "Upper middle income", "IDA"],
            ["Sub-Saharan Africa", "SSF", None, None, None],
        ],
    )
    economies = read_class(xlsx)
    table = country_table(["XKX", "KEN", "GUF", "KEN"], economies, SYNTHETIC_GEO).set_index("iso3")
    assert list(table.reset_index().columns) == TABLE_COLUMNS
    assert table.index.tolist() == ["GUF", "KEN", "XKX"]
    assert table.loc["KEN", ["name", "region", "income_group", "lending_category"]].tolist() == [
        "Kenya",
        "Sub-Saharan Africa",
        "Lower middle income",
        "Blend",
    ]
    assert table.loc["KEN", ["un_region", "un_subregion", "continent"]].tolist() == [
        "Africa",
        "Eastern Africa",
        "Africa",
    ]
    assert table.loc["GUF", ["un_region", "continent"]].tolist() == ["Americas", "South America"]
    assert pd.isna(table.loc["GUF", "income_group"]) and not table.loc["GUF", "has_geometry"]
    assert table.loc["XKX", "population"] == 2


def test_country_table_without_geo_rows_has_no_geometry(tmp_path):
    xlsx = write_class(tmp_path / "class.xlsx", [CLASS_HEADER])
    table = country_table(["TUV"], read_class(xlsx), SYNTHETIC_GEO)
    assert table["has_geometry"].tolist() == [False] and table["has_geometry"].dtype == bool
    assert pd.isna(table.loc[0, "lat"])


def test_class_workbook_without_a_column_is_rejected(tmp_path):
    xlsx = write_class(tmp_path / "class.xlsx", [["Economy", "Code", "Region", "Income group"]])
    with pytest.raises(ETLError, match=r"missing column\(s\) \['Lending category'\]"):
        read_class(xlsx)


def test_class_workbook_without_the_sheet_is_rejected(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Something else"
    book.save(tmp_path / "class.xlsx")
    with pytest.raises(ETLError, match="cannot read sheet 'List of economies'"):
        read_class(tmp_path / "class.xlsx")


def test_every_un_subregion_of_the_library_has_a_region():
    subregions = set(countries.converter().data["UNregion"].dropna()) - {"Antarctica"}
    assert subregions <= set(countries.UN_REGION_OF_SUBREGION)
