"""Widgets whose value lives in the URL as an id (?block=x-road&pillar=data_exchange) while
the widget shows a label (X-Road, Data exchange).

Streamlit's bind="query-params" writes a widget's value to the URL as the widget displays it
(its format_func label), so a bound widget cannot show "X-Road" and write "x-road". These
helpers keep the id: the widget (keyed `key`) is seeded from ?key= when the page opens (an id,
or, for a hand-written link, a label in any case), and after it runs the URL is set to the
current id, or cleared when the value is the default. A value that is not a choice shows a
short notice and the default.
"""

import streamlit as st


def choice(widget, label: str, options: dict[str, str], *, key: str, default=None, **kwargs):
    """A one-value widget (st.segmented_control, st.pills, st.selectbox, st.radio) over ids."""
    default = default if default in options else next(iter(options))
    current = st.session_state.get(key)
    if not isinstance(current, str) or current not in options:
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
    if not isinstance(current, list) or any(v not in options for v in current):
        value, unknown = _read(key, options)
        st.session_state[key] = default if value is None else value
        _notice(unknown, ", ".join(options[v] for v in st.session_state[key]) or "none")
    value = list(widget(label, list(options), format_func=options.get, key=key, **kwargs))
    _write(key, None if value == default else (value or [""]))
    return value


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
    """Set ?key= to the ids (None or []: remove it), only when it differs."""
    ids = ids or []
    if st.query_params.get_all(key) == ids:
        return
    if ids:
        st.query_params[key] = ids if len(ids) > 1 else ids[0]
    elif key in st.query_params:
        del st.query_params[key]
