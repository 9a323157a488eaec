"""Outcome indicators in words: the rule ("each country's latest value from <year> on") and its
choices, a value with its year, a span of years, ordinals, an indicator's row and short name.
Pure; used by the outcome shaping and figures."""

import pandas as pd

DEFAULT_SINCE = 2017
FIRST_SINCE = 2010  # the earliest first year the rule offers


def since_choices(indicators: pd.DataFrame) -> list[int]:
    """The rule's first years: every year from FIRST_SINCE to the newest value of any
    indicator (so 'set the rule to <the newest year>' is always on offer)."""
    newest = indicators["last_year"].dropna()
    last = max(int(newest.max()) if len(newest) else DEFAULT_SINCE, DEFAULT_SINCE)
    return list(range(FIRST_SINCE, last + 1))


def rule_text(since: int) -> str:
    return f"each country's latest value from {since} on"


def value_words(value, year, unit: str = "%", since: int | None = None) -> str:
    """'75.5% (2024)'; 'no value since 2017' (or 'no value') when missing."""
    if value is None or pd.isna(value):
        return f"no value since {since}" if since else "no value"
    return f"{value:.1f}{unit} ({int(year)})"


def span_words(years: pd.Series) -> str:
    """'2024', '2021–2024' or '' for no years."""
    years = years.dropna()
    if years.empty:
        return ""
    low, high = int(years.min()), int(years.max())
    return str(low) if low == high else f"{low}–{high}"


def years_words(years: pd.Series) -> str:
    """How many values come from each year, newest first: '2024: 20 · 2021: 3'."""
    counts = years.dropna().astype(int).value_counts().sort_index(ascending=False)
    return " · ".join(f"{year}: {n}" for year, n in counts.items())


def short_name(name: str) -> str:
    """'Account ownership (% of population ages 15+)' -> 'Account ownership'."""
    return name.split(" (")[0]


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def indicator_row(indicators: pd.DataFrame, indicator: str) -> pd.Series:
    """The catalogue row of one indicator; KeyError naming it and the known ones."""
    found = indicators[indicators["indicator"] == indicator]
    if found.empty:
        known = ", ".join(indicators["indicator"])
        raise KeyError(f"no outcome indicator {indicator!r} in the warehouse (known: {known})")
    return found.iloc[0]


def pillar_indicator(indicators: pd.DataFrame, pillar: str) -> pd.Series:
    """The indicator the manifest sets beside a pillar."""
    found = indicators[indicators["pillar"] == pillar]
    if found.empty:
        raise KeyError(f"no outcome indicator is set beside the {pillar!r} pillar")
    return found.iloc[0]
