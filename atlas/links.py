"""A page's choices in the address bar, as stable ids (README, "Links"), two ways.

Every choice lives in the link as an id while its widget shows a label (X-Road, Data
exchange); a link may carry an id, or the label an older or hand-written link used. A value
that cannot be used is replaced by the default, and a short notice says so. Streamlit's
bind="query-params" cannot do this: it writes the label the widget displays.

`choose` / `choose_many` over a `Param` (the sidebar's filters and every page but Building
blocks, through atlas.frame): the link is read before the widget when it changed (a new visit,
a link followed, another page) and written at once after it; spellings (accents folded,
"newest", names of countries) are read too; notices gather at the top of the page; the sidebar
filters stay with the session across pages (`sticky`).

`choose_id` / `choose_ids` + `sync_ids` over a dict of id -> label (pages/blocks.py): the
ids chosen in a run are written together by `sync_ids()`, after the page's widgets, so one
interaction is one browser history entry and Back steps through views; an empty `?pick=` is an
empty choice, apart from the default. Notices read and sit as a Param's do.

The two are kept apart on purpose: joining them would change what users see (the spellings
accepted, the history entries, a link's empty `?pick=`), and
the pages share keys (`pillar`), each side taking over a value the other left only when it is
one of its own choices.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st

from atlas import queries
from atlas.categories import PILLAR_CHOICES, PILLAR_NAMES, PILLARS
from atlas.selection import (
    ALL,
    LATEST,
    country_labels,
    country_spellings,
    fold,
    income_id,
    income_options,
    income_spellings,
    measure_options,
    region_id,
    region_options,
    region_spellings,
    release_options,
)

NOTICES = "_notices"  # session key: the container at the top of the page (atlas.frame)
WRITTEN = "_urlstate_written"  # session key: {key: the ids choose_id(s) last put in ?key=}
PENDING = "_urlstate_pending"  # session key: {key: ids} chosen in this run, for sync_ids()


# ---- a Param: read before its widget, written at once after it
@dataclass(frozen=True)
class Param:
    """One choice of a page as a query parameter (its name is the widget's key).

    `options`: widget value -> label shown; `ids`: widget value -> the id a link carries (the
    value itself when absent); `spellings`: more accepted spellings (folded) -> value. A link
    may carry an id, a label or a spelling, in any case and with or without accents.
    """

    key: str
    noun: str
    options: dict
    default: object = None
    ids: dict = field(default_factory=dict)
    spellings: dict = field(default_factory=dict)
    why: str = "is not one of the choices here"
    sticky: bool = False  # kept for the session when a page's link does not say (filters)

    def encode(self, value) -> str:
        return str(self.ids.get(value, value))

    def decode(self, raw: str):
        known = {fold(self.encode(v)): v for v in self.options}
        known |= {fold(str(label)): v for v, label in self.options.items()}
        return (known | self.spellings).get(fold(raw))

    def label(self, value) -> str:
        return str(self.options.get(value, value)) if value is not None else "nothing"


def choose(widget: Callable, label: str, param: Param, **kwargs):
    """`widget` (st.selectbox, st.segmented_control, ...) keyed and kept in the link as an id;
    returns its value (the default when the widget has none and the default is not None)."""
    follow_link(param)
    options = list(param.options)
    value = widget(label, options, format_func=param.label, key=param.key, **kwargs)
    if value not in param.options:
        value = param.default
    write_link(param, value)
    return value


def choose_many(widget: Callable, label: str, param: Param, limit: int, **kwargs) -> list:
    """A multiselect kept in the link as repeated ids (?compare=KEN&compare=income:low)."""
    follow_link(param, limit)
    options = list(param.options)
    values = widget(label, options, format_func=param.label, key=param.key, **kwargs)
    write_link(param, list(values))
    return list(values)


def follow_link(param: Param, limit: int | None = None) -> None:
    """Before the widget: when the link changed (a new visit, a link followed, another page),
    set the widget from it; unusable values fall back to the default, with a notice."""
    raw = [v for v in st.query_params.get_all(param.key) if v.strip()]
    held = st.session_state.get(param.key, ())  # () when the widget holds nothing yet
    usable = (
        all(v in param.options for v in held)
        if isinstance(held, list)
        else (held in param.options or (held is None and param.default is None))
    )  # another page may have left a value of its own under the same key
    if usable and raw == st.session_state.get(f"_link_{param.key}"):
        return  # the link is what this session wrote: the widget holds the truth
    if limit is not None:
        st.session_state[param.key] = decode_many(param, raw, limit)
    elif raw:
        value = param.decode(raw[-1])
        if value is None:
            value = param.default
            shown = "left empty" if value is None else f"showing {param.label(value)}"
            notice(f"The link's {param.noun} “{raw[-1]}” {param.why}; {shown}.")
        st.session_state[param.key] = value
    elif param.sticky and f"_keep_{param.key}" in st.session_state:
        st.session_state[param.key] = st.session_state[f"_keep_{param.key}"]
    else:
        st.session_state[param.key] = param.default
    st.session_state[f"_link_{param.key}"] = raw


def decode_many(param: Param, raw: list[str], limit: int) -> list:
    values, unknown = [], []
    for text in raw:
        value = param.decode(text)
        if value is None:
            unknown.append(f"“{text}”")
        elif value not in values:
            values.append(value)
    if unknown:
        notice(f"The link's {param.noun} {', '.join(unknown)} {param.why}; left out.")
    if len(values) > limit:
        dropped = ", ".join(param.label(v) for v in values[limit:])
        notice(f"At most {limit} {param.noun}s at once: {dropped} left out.")
    return values[:limit]


def write_link(param: Param, value) -> None:
    """After the widget: its value into the link as an id (the default: no parameter)."""
    if param.sticky:
        st.session_state[f"_keep_{param.key}"] = value
    if isinstance(value, list):
        link = [param.encode(v) for v in value]
    else:
        link = [] if value is None or value == param.default else [param.encode(value)]
    if st.query_params.get_all(param.key) != link:
        if link:
            st.query_params[param.key] = link if len(link) > 1 else link[0]
        else:
            st.query_params.pop(param.key, None)
    st.session_state[f"_link_{param.key}"] = link


def notice(text: str) -> None:
    """A short note at the top of the page (a link value that could not be used, ...)."""
    box = st.session_state.get(NOTICES) or st.container()
    box.info(text, icon=":material/info:")


# ---- the parameters the pages share
def release_param(version: str) -> Param:
    releases = queries.releases(version)
    options = {r: r for r in release_options(version)} | {LATEST: f"Latest ({releases[-1]})"}
    spellings = {"first": releases[0], "newest": LATEST}
    if len(releases) > 1:
        spellings["previous"] = releases[-2]
    return Param(
        "release", "release", options, LATEST, spellings=spellings, why="is not in the data",
        sticky=True,
    )  # fmt: skip


def region_param(version: str) -> Param:
    options = {o: o for o in region_options(version)}
    ids = {o: region_id(o) for o in options}
    return Param(
        "region", "region", options, ALL, ids, region_spellings(version), "is not a region here",
        sticky=True,
    )  # fmt: skip


def income_param(version: str) -> Param:
    options = {o: o for o in income_options(version)}
    ids = {o: income_id(o) for o in options}
    return Param(
        "income", "income group", options, ALL, ids, income_spellings(version),
        "is not a World Bank income group", sticky=True,
    )  # fmt: skip


def pillar_param(default: str, stack: bool = True, key: str = "pillar") -> Param:
    """The pillar as identity / data_exchange / payments (/ stack)."""
    options = {p: PILLAR_NAMES[p] for p in (PILLAR_CHOICES if stack else PILLARS)}
    return Param(key, "pillar", options, default, why="is not a pillar")


def measure_param(version: str, pillar: str) -> Param:
    """status, dpi_like or attr:<attribute> (the attribute's id) of a pillar."""
    options = measure_options(version, pillar)
    why = f"is not a measure of {PILLAR_NAMES[pillar]}"
    return Param("measure", "measure", options, "status", why=why)


def country_param(version: str, key: str = "country") -> Param:
    """A country as its ISO3 code (names and other spellings read too)."""
    spellings = country_spellings(version)
    return Param(
        key, "country", country_labels(version), None, spellings=spellings,
        why="is not a country in the data",
    )  # fmt: skip


# ---- ids of a dict: written together by sync_ids(), one history entry per interaction
def choose_id(widget, label: str, options: dict[str, str], *, key: str, default=None, **kwargs):
    """A one-value widget (st.segmented_control, st.pills, st.selectbox, st.radio) over ids."""
    default = default if default in options else next(iter(options))
    current = st.session_state.get(key)
    if _url_moved(key) or not isinstance(current, str) or current not in options:
        value, unknown = _read_ids(key, options)
        st.session_state[key] = value[0] if value else default
        _id_notice(key, unknown, options[st.session_state[key]])
    value = widget(label, list(options), format_func=options.get, key=key, **kwargs)
    value = default if value is None else value
    _hold_ids(key, [] if value == default else [value])
    return value


def choose_ids(widget, label: str, options: dict[str, str], *, key: str, default=(), **kwargs):
    """A many-value widget (st.multiselect, st.pills with selection_mode="multi") over ids; the
    URL repeats the key (?pick=mosip&pick=thales), an empty ?pick= is an empty choice."""
    default = [d for d in default if d in options]
    current = st.session_state.get(key)
    valid = isinstance(current, list) and all(v in options for v in current)
    if _url_moved(key) or not valid:
        value, unknown = _read_ids(key, options)
        st.session_state[key] = default if value is None else value
        _id_notice(key, unknown, ", ".join(options[v] for v in st.session_state[key]) or "none")
    value = list(widget(label, list(options), format_func=options.get, key=key, **kwargs))
    _hold_ids(key, None if value == default else (value or [""]))
    return value


def _url_moved(key: str) -> bool:
    """?key= is not what this module last wrote: the browser went back or forward, or the
    address was edited; the URL wins over the widget's remembered value."""
    written = st.session_state.get(WRITTEN, {})
    return key in written and st.query_params.get_all(key) != written[key]


def _read_ids(key: str, options: dict[str, str]) -> tuple[list[str] | None, list[str]]:
    """The ids ?key= names (None when absent), and the values that name no option."""
    raw = st.query_params.get_all(key)
    if not raw:
        return None, []
    by_label = {label.casefold(): option for option, label in options.items()}
    found, unknown = [], []
    for item in raw:
        option = item if item in options else by_label.get(item.casefold())
        if option is not None and option not in found:
            found.append(option)
        elif option is None and item:
            unknown.append(item)
    return (None if unknown and not found else found), unknown


def _id_notice(key: str, unknown: list[str], shown: str) -> None:
    """The same notice, in the same place, as a Param's (notice())."""
    if unknown:
        notice(f"The link's {key} “{'”, “'.join(unknown)}” is not a choice here; showing {shown}.")


def _hold_ids(key: str, ids: list[str] | None) -> None:
    """Remember the ids ?key= should hold (none: no parameter) until sync_ids() writes them."""
    ids = ids or []
    st.session_state.setdefault(WRITTEN, {})[key] = ids
    st.session_state.setdefault(PENDING, {})[key] = ids


def sync_ids() -> None:
    """Write the ids chosen in this run to the URL, all at once: one browser history entry per
    interaction, so Back steps through views (a page calls it once, after its widgets)."""
    pending = st.session_state.pop(PENDING, {})
    changed = {k: v for k, v in pending.items() if st.query_params.get_all(k) != v}
    if changed:  # an empty list drops the parameter from the address
        st.query_params.update({k: v[0] if len(v) == 1 else v for k, v in changed.items()})
