"""Widgets whose value lives in the URL as an id (?block=x-road&pillar=data_exchange) while
the widget shows a label (X-Road, Data exchange).

Streamlit's bind="query-params" writes a widget's value to the URL as the widget displays it
(its format_func label), so a bound widget cannot show "X-Road" and write "x-road". These
helpers keep the id: the widget (keyed `key`) is seeded from ?key= when the page opens, or
when the address changed under it (back / forward, an edited address): an id, or, for a
hand-written link, a label in any case. `sync()`, called once after the page's widgets, sets
the URL to the current ids (a value equal to its default is left out). A value that is not a
choice shows a short notice and the default.
"""

import streamlit as st

WRITTEN = "_urlstate_written"  # session key: {key: the ids this module last put in ?key=}
PENDING = "_urlstate_pending"  # session key: {key: ids} chosen in this run, for sync()


def choice(widget, label: str, options: dict[str, str], *, key: str, default=None, **kwargs):
    """A one-value widget (st.segmented_control, st.pills, st.selectbox, st.radio) over ids."""
    default = default if default in options else next(iter(options))
    current = st.session_state.get(key)
    if _url_moved(key) or not isinstance(current, str) or current not in options:
        value, unknown = _read(key, options)
        st.session_state[key] = value[0] if value else default
        _notice(unknown, options[st.session_state[key]])
    value = widget(label, list(options), format_func=options.get, key=key, **kwargs)
    value = default if value is None else value
    _write(key, [] if value == default else [value])
    return value


def choices(widget, label: str, options: dict[str, str], *, key: str, default=(), **kwargs):
    """A many-value widget (st.multiselect, st.pills with selection_mode="multi") over ids; the
    URL repeats the key (?pick=mosip&pick=thales), an empty ?pick= is an empty choice."""
    default = [d for d in default if d in options]
    current = st.session_state.get(key)
    valid = isinstance(current, list) and all(v in options for v in current)
    if _url_moved(key) or not valid:
        value, unknown = _read(key, options)
        st.session_state[key] = default if value is None else value
        _notice(unknown, ", ".join(options[v] for v in st.session_state[key]) or "none")
    value = list(widget(label, list(options), format_func=options.get, key=key, **kwargs))
    _write(key, None if value == default else (value or [""]))
    return value


def _url_moved(key: str) -> bool:
    """?key= is not what this module last wrote: the browser went back or forward, or the
    address was edited; the URL wins over the widget's remembered value."""
    written = st.session_state.get(WRITTEN, {})
    return key in written and st.query_params.get_all(key) != written[key]


def _read(key: str, options: dict[str, str]) -> tuple[list[str] | None, list[str]]:
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


def _notice(unknown: list[str], shown: str) -> None:
    if unknown:
        st.caption(f"“{', '.join(unknown)}” is not a choice here: showing {shown}.")


def _write(key: str, ids: list[str] | None) -> None:
    """Remember the ids ?key= should hold (none: no parameter) until sync() writes them."""
    ids = ids or []
    st.session_state.setdefault(WRITTEN, {})[key] = ids
    st.session_state.setdefault(PENDING, {})[key] = ids


def sync() -> None:
    """Write the ids chosen in this run to the URL, all at once: one browser history entry per
    interaction, so Back steps through views (a page calls it once, after its widgets)."""
    pending = st.session_state.pop(PENDING, {})
    changed = {k: v for k, v in pending.items() if st.query_params.get_all(k) != v}
    if changed:  # an empty list drops the parameter from the address
        st.query_params.update({k: v[0] if len(v) == 1 else v for k, v in changed.items()})
