"""Presenter decks: ordered lists of saved views, kept as small TOML files in data/decks/.

Pure: no Streamlit, no SQL. A deck file looks like

    title = "DPI around the world"

    [[slide]]
    title = "Digital ID"
    caption = "{dpi_like_identity} countries run a DPI-like digital ID."
    view = "page=map&pillar=identity&measure=dpi_like&release=latest"

`view` is the query string of a deep link into the dashboard; `caption` is a template whose
{placeholders} are facts computed from the warehouse (atlas.present.facts.presenter_facts), so captions stay
true when the data changes. Every problem is reported with the file and line it is on.
"""

import json
import re
import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from etl.problems import ETLError, Problem
from etl.vocabulary import PILLARS

DECK_KEYS = {"title": True, "description": False, "slide": True}  # key -> required
SLIDE_KEYS = {"title": True, "caption": True, "view": True}
PAGES = {"map": {"pillar", "measure", "release", "region", "income", "country"}}
PAGES["overview"] = {"release", "region", "income"}
PILLAR_CHOICES = (*PILLARS, "stack")
RELEASE_WORDS = ("latest", "previous", "first")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MEASURE = re.compile(r"status|dpi_like|changes|block|attr:[a-z0-9_]+|outcome:[A-Za-z0-9._]+")
STACK_MEASURES = ("status", "changes")
ISO3 = re.compile(r"[A-Z]{3}")
SLIDE_HEADER = re.compile(r"^\s*\[\[\s*slide\s*\]\]")
TOML_ERROR_LINE = re.compile(r"^(?P<message>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")


class DeckError(ETLError):
    """A deck file that cannot be used: the ETL's problem type (etl.problems), each problem
    placed in the deck file, its message naming the line and the fix."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        super().__init__(*(Problem(f"deck {source}", message) for message in problems))

    @property
    def messages(self) -> list[str]:
        return [problem.message for problem in self.problems]


@dataclass(frozen=True)
class Slide:
    title: str
    caption: str
    view: str
    line: int = 0  # where the slide starts in its file (0: made in the app)

    @property
    def params(self) -> dict[str, str]:
        return dict(parse_qsl(self.view.lstrip("?")))

    @property
    def page(self) -> str:
        return self.params.get("page", "map")


@dataclass(frozen=True)
class Deck:
    title: str
    slides: tuple[Slide, ...]
    source: str = "(new deck)"
    description: str = ""


@dataclass(frozen=True)
class Catalogue:
    """What the warehouse holds, to check a deck against: the data-dependent half of validation."""

    releases: list[str]
    facts: set[str]
    regions: set[str] = field(default_factory=set)
    incomes: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    attributes: dict[str, set[str]] = field(default_factory=dict)
    # pillar -> its other measures (status, block, outcome:<indicator>, ...); none: not checked
    measures: dict[str, set[str]] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)  # fact -> why it cannot be used


# ------------------------------------------------------------------ reading
def load_deck(path: Path, root: Path | None = None) -> Deck:
    """Read and validate a deck file; DeckError names the file (relative to root) and lines."""
    source = _display(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DeckError(source, [f"cannot read the file: {exc}"]) from exc
    return parse_deck(text, source)


def parse_deck(text: str, source: str) -> Deck:
    """TOML text -> Deck, collecting every problem (file:line) before raising DeckError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DeckError(source, [_toml_problem(str(exc))]) from exc
    lines = text.splitlines()
    problems = _deck_problems(data, lines)
    slides = data.get("slide") if isinstance(data.get("slide"), list) else []
    starts = slide_lines(lines)
    for index, raw in enumerate(slides):
        line = starts[index] if index < len(starts) else 0
        problems += [f"line {line}: slide {index + 1}: {p}" for p in slide_problems(raw)]
    if problems:
        raise DeckError(source, problems)
    return Deck(
        title=data["title"].strip(),
        description=str(data.get("description", "")).strip(),
        source=source,
        slides=tuple(
            Slide(s["title"].strip(), s["caption"].strip(), s["view"].strip(), starts[i])
            for i, s in enumerate(slides)
        ),
    )


def _toml_problem(message: str) -> str:
    match = TOML_ERROR_LINE.match(message)
    if not match:
        return f"not valid TOML: {message}"
    found = match.group("message")
    return f"line {match.group('line')}, column {match.group('col')}: not valid TOML: {found}"


def _deck_problems(data: dict, lines: list[str]) -> list[str]:
    problems = []
    for key in sorted(set(data) - set(DECK_KEYS)):
        problems.append(
            f"line {_key_line(lines, key)}: unknown key '{key}' "
            f"(a deck has: {', '.join(DECK_KEYS)}; each slide starts with [[slide]])"
        )
    if not isinstance(data.get("title"), str) or not data.get("title", "").strip():
        problems.append('line 1: the deck needs a title: title = "..." before the first [[slide]]')
    slides = data.get("slide")
    if not isinstance(slides, list) or not slides:
        problems.append(f"line {len(lines) or 1}: the deck has no [[slide]] tables")
    return problems


def slide_problems(raw: object) -> list[str]:
    """Problems with one slide table (keys, types, and the view's parameters)."""
    if not isinstance(raw, dict):
        return ["a slide must be a [[slide]] table"]
    problems = [
        f"unknown key '{key}' (a slide has: {', '.join(SLIDE_KEYS)})"
        for key in sorted(set(raw) - set(SLIDE_KEYS))
    ]
    for key in SLIDE_KEYS:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"'{key}' is missing or empty (it must be a text in quotes)")
    if isinstance(raw.get("caption"), str):
        problems += caption_problems(raw["caption"])
    if isinstance(raw.get("view"), str) and raw["view"].strip():
        problems += view_problems(raw["view"].strip())
    return problems


def caption_problems(template: str) -> list[str]:
    try:
        caption_fields(template)
    except ValueError as exc:
        return [f"caption is not a valid template ({exc}); write literal braces as {{{{ }}}}"]
    return []


def view_problems(view: str) -> list[str]:
    """Checks that need no warehouse: known page, known parameters, well-formed values."""
    try:
        pairs = parse_qsl(view.lstrip("?"), keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return [f"view '{view}' is not a query string like 'page=map&pillar=identity'"]
    params, problems = dict(pairs), []
    if len(params) < len(pairs):
        problems.append(f"view '{view}' repeats a parameter")
    page = params.get("page")
    if page not in PAGES:
        return problems + [f"view needs page={' or page='.join(PAGES)} (found {page!r})"]
    for key in sorted(set(params) - PAGES[page] - {"page"}):
        allowed = ", ".join(sorted(PAGES[page]))
        problems.append(f"view parameter '{key}' is not used by page {page} (it takes: {allowed})")
    checks = {
        "pillar": (lambda v: v in PILLAR_CHOICES, " or ".join(PILLAR_CHOICES)),
        "measure": (
            MEASURE.fullmatch,
            "status, dpi_like, changes, block, attr:<attribute> or outcome:<indicator>",
        ),
        "release": (
            lambda v: v in RELEASE_WORDS or DATE.fullmatch(v),
            "latest, previous, first or a date",
        ),
        "country": (ISO3.fullmatch, "an ISO3 code such as KEN"),
    }
    for key, (ok, expected) in checks.items():
        if key in params and not ok(params[key]):
            problems.append(f"view {key}={params[key]!r} is not valid (expected {expected})")
    stack_measure = params.get("measure", "status")
    if params.get("pillar") == "stack" and not (
        stack_measure in STACK_MEASURES or stack_measure.startswith("outcome:")
    ):
        problems.append(
            "view pillar=stack takes measure=status, measure=changes or measure=outcome:<indicator>"
        )
    return problems


def slide_lines(lines: list[str]) -> list[int]:
    """1-based line numbers of the [[slide]] headers, in order."""
    return [number for number, line in enumerate(lines, 1) if SLIDE_HEADER.match(line)]


def _key_line(lines: list[str], key: str) -> int:
    pattern = re.compile(rf"^\s*(\[\[?\s*)?{re.escape(key)}\s*(=|\]\]?)")
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), 1)


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)


# ------------------------------------------------------------------ checking against the data
def check_deck(deck: Deck, catalogue: Catalogue) -> list[str]:
    """Problems that depend on the warehouse: unknown facts, releases, regions, attributes."""
    problems = []
    for number, slide in enumerate(deck.slides, 1):
        where = f"line {slide.line}: slide {number}"
        problems += [f"{where}: {p}" for p in slide_data_problems(slide, catalogue)]
    return problems


def slide_data_problems(slide: Slide, catalogue: Catalogue) -> list[str]:
    params, problems = slide.params, []
    used = caption_fields(slide.caption)
    problems += [
        f"caption uses {{{name}}}, which this warehouse cannot compute: {catalogue.unavailable[name]}"
        for name in sorted(used & set(catalogue.unavailable))
    ]
    unknown = sorted(used - catalogue.facts - set(catalogue.unavailable))
    if unknown:
        problems.append(
            f"caption uses unknown fact(s) {', '.join('{' + u + '}' for u in unknown)} "
            f"(known: {', '.join(sorted(catalogue.facts))})"
        )
    release = params.get("release", "latest")
    if release not in RELEASE_WORDS and release not in catalogue.releases:
        problems.append(
            f"release {release} is not in the warehouse ({', '.join(catalogue.releases)})"
        )
    if release == "previous" and len(catalogue.releases) < 2:
        problems.append("release=previous, but the warehouse holds a single release")
    for key, known in (("region", catalogue.regions), ("income", catalogue.incomes)):
        if key in params and known and params[key] not in known:
            problems.append(f"{key} '{params[key]}' is not one of: {', '.join(sorted(known))}")
    if "country" in params and catalogue.countries and params["country"] not in catalogue.countries:
        problems.append(f"country {params['country']} is not in the warehouse")
    measure, pillar = params.get("measure", "status"), params.get("pillar", "identity")
    attributes = catalogue.attributes.get(pillar)
    if measure.startswith("attr:") and attributes is not None and measure[5:] not in attributes:
        known = ", ".join(sorted(attributes))
        problems.append(f"{pillar} has no yes/no attribute '{measure[5:]}' (known: {known})")
    others = catalogue.measures.get(pillar)
    if not measure.startswith("attr:") and others is not None and measure not in others:
        known = ", ".join(sorted(others))
        problems.append(f"{pillar} has no measure '{measure}' in this warehouse (known: {known})")
    return problems


# ------------------------------------------------------------------ using a deck
def resolve_release(value: str | None, releases: list[str]) -> str:
    """'latest' (default), 'previous', 'first' or a date -> a release the warehouse holds."""
    if value in (None, "", "latest"):
        return releases[-1]
    if value == "first":
        return releases[0]
    if value == "previous":
        return releases[-2] if len(releases) > 1 else releases[-1]
    return value


def caption_fields(template: str) -> set[str]:
    """The {placeholders} of a caption template (ValueError when the template is malformed)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def fill_caption(template: str, facts: dict[str, object]) -> str:
    return template.format_map(facts)


def view_query(params: dict[str, str]) -> str:
    """A deep link's query string, page first, empty values dropped."""
    ordered = {"page": params.get("page", "map")} | {
        k: v for k, v in params.items() if k != "page" and v not in (None, "")
    }
    return urlencode(ordered, safe=":")


def with_slide(deck: Deck, slide: Slide) -> Deck:
    return Deck(deck.title, (*deck.slides, slide), deck.source, deck.description)


def dump_deck(deck: Deck) -> str:
    """Deck -> TOML text that parse_deck reads back (JSON strings are valid TOML strings)."""
    quote = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731
    out = ["# DPI Atlas presenter deck. Put it in data/decks/ to present it.", ""]
    out.append(f"title = {quote(deck.title)}")
    if deck.description:
        out.append(f"description = {quote(deck.description)}")
    for slide in deck.slides:
        out += ["", "[[slide]]", f"title = {quote(slide.title)}"]
        out += [f"caption = {quote(slide.caption)}", f"view = {quote(slide.view)}"]
    return "\n".join(out) + "\n"


def deck_files(directory: Path) -> dict[str, Path]:
    """name (file stem) -> path of every deck in a directory, sorted by name."""
    if not directory.is_dir():
        return {}
    return {path.stem: path for path in sorted(directory.glob("*.toml"))}
