"""`make run`, the README's first command, starts the dashboard with the `streamlit` command,
not `python -m streamlit` as the other tests do. The two differ in sys.path: the command puts
the script's own folder (atlas/) first and not the checkout, which once broke every page with
"No module named atlas". Here the command itself serves the pages."""

import sys
from pathlib import Path

from atlas import localrun

PAGES = ("", "map?pillar=data_exchange&measure=block", "outcomes", "blocks", "country?iso3=KEN")


def test_the_streamlit_command_serves_every_page(real_warehouse, tmp_path):
    command = Path(sys.executable).parent / "streamlit"
    assert command.exists(), f"{command}: the environment has no streamlit command"
    env = {"DPI_DB": str(real_warehouse)}
    with localrun.streamlit_server(
        env, tmp_path / "streamlit.log", launcher=[str(command)]
    ) as base:
        for path in PAGES:
            run = localrun.visit(base, path)
            assert run.error is None, (path, run.error)
            assert run.exceptions == [], (path, run.exceptions)
            assert run.runs >= 1, path
