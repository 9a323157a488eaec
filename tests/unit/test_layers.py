"""The house rule, as a test: the app's modules import one way, down the layers.

    pages, dashboard -> present tools -> frame -> links -> figures -> shaping -> grouping
    -> selection -> queries -> db -> base (categories, decks) -> etl (vocabulary, geometry)
    -> paths

A module may import from a lower layer only (never its own layer, never a higher one), and a
page never imports duckdb or geopandas. Every module of the package must be placed in a layer,
so a new module cannot slip past the rule.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

LAYERS = [  # lowest first
    ("paths", {"atlas.paths"}),
    ("etl", {"etl"}),  # the ETL's vocabulary and geometry are the app's ground floor too
    (
        "base",
        {
            "atlas.categories",
            "atlas.localrun",
            "atlas.present.decks",
            "atlas.present.slide_checks",
            "atlas.outcome_words",
        },
    ),
    ("db", {"atlas.db"}),
    ("queries", {"atlas.queries", "atlas.outcome_queries", "atlas.block_queries"}),
    ("selection", {"atlas.selection"}),
    ("grouping", {"atlas.outcome_groups"}),
    (
        "shaping",
        {
            "atlas.tables",
            "atlas.history",
            "atlas.mapframes",
            "atlas.charts",
            "atlas.maps",
            "atlas.preview",
            "atlas.present.facts",
            "atlas.outcome_tables",
            "atlas.outcome_charts",
            "atlas.block_tables",
            "atlas.block_reuse",
            "atlas.block_classes",
        },
    ),
    (
        "figures",
        {
            "atlas.figures",
            "atlas.mapview",
            "atlas.outcome_figures",
            "atlas.block_figures",
            "atlas.slide_image",
        },
    ),
    ("links", {"atlas.links"}),
    ("frame", {"atlas.frame", "atlas.present.slides", "atlas.present.export"}),
    ("page tools", {"atlas.present.deckui"}),
    ("entry points", {"pages", "dashboard", "atlas.present.rehearse", "atlas.server"}),
]
PACKAGES = {"atlas", "atlas.present"}  # __init__ modules: documentation only
FORBIDDEN_IN_PAGES = {"duckdb", "geopandas"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int | None:
    """The layer of a module: its own entry, else its top package's (etl.*, pages.*)."""
    for candidate in (module, module.split(".")[0]):
        for rank, (_, members) in enumerate(LAYERS):
            if candidate in members:
                return rank
    return None


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in a file, `from atlas import x` as `atlas.x`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module in PACKAGES:
                found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def app_files() -> list[Path]:
    return sorted(
        [*ROOT.joinpath("atlas").rglob("*.py"), *ROOT.joinpath("pages").glob("*.py")]
        + [ROOT / "dashboard.py"]
    )


def upward_imports(path: Path, module: str) -> list[str]:
    """Imports in `path` (read as module `module`) of its own layer or a higher one."""
    mine = layer_of(module)
    problems = []
    for line, target in imports(path):
        theirs = layer_of(target)
        if theirs is not None and theirs >= mine:  # None: standard library, third party
            problems.append(
                f"{path.name}:{line}: {module} ({LAYERS[mine][0]}) imports {target} "
                f"({LAYERS[theirs][0]})"
            )
    return problems


def test_every_app_module_has_a_layer():
    unplaced = [
        str(p.relative_to(ROOT))
        for p in app_files()
        if module_name(p) not in PACKAGES and layer_of(module_name(p)) is None
    ]
    assert unplaced == [], f"place these modules in a layer in {__file__}: {unplaced}"


def test_imports_go_down_the_layers_only():
    problems = [
        problem
        for path in app_files()
        if module_name(path) not in PACKAGES
        for problem in upward_imports(path, module_name(path))
    ]
    assert problems == [], "imports against the layers:\n" + "\n".join(problems)


def test_the_etl_imports_nothing_of_the_app_but_its_paths():
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {target}"
        for path in sorted(ROOT.joinpath("etl").glob("*.py"))
        for line, target in imports(path)
        if target.split(".")[0] == "atlas" and target != "atlas.paths"
    ]
    assert problems == []


def test_pages_never_touch_the_database_or_geometry_libraries():
    problems = [
        f"{path.relative_to(ROOT)}:{line}: imports {target}"
        for path in [*ROOT.joinpath("pages").glob("*.py"), ROOT / "dashboard.py"]
        for line, target in imports(path)
        if target.split(".")[0] in FORBIDDEN_IN_PAGES
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("module", "added"),
    [
        ("atlas/queries.py", "from atlas import figures"),  # data layer importing figures
        ("atlas/db.py", "from atlas.selection import ALL"),  # the bottom importing up
        ("atlas/maps.py", "from atlas import charts"),  # a module importing its own layer
        ("pages/map.py", "import atlas.present.rehearse"),  # a page importing a page-level tool
    ],
)
def test_the_check_catches_an_added_upward_import(tmp_path, module, added):
    """The rule is not vacuous: the real module with one upward import added is reported."""
    changed = tmp_path / Path(module).name
    changed.write_text((ROOT / module).read_text() + f"\n{added}\n")
    assert upward_imports(ROOT / module, module_name(ROOT / module)) == []
    problems = upward_imports(changed, module_name(ROOT / module))
    assert len(problems) == 1 and added.split()[1].split(".")[0] in problems[0]
