"""Problems with the input, collected and reported together (the ETL and the deck checker).

A `Problem` says where (release and file, a reference table, a deck), what is wrong (column,
value) and the fix (where to declare it). A `Problems` collector gathers them over every file
of a run; `raise_if_any()` then stops with one `ETLError` listing them all, so a bad quarter
is reported in one run, not one file at a time. The CLI prints the message, no traceback.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    where: str  # e.g. "release 2026-01-15, identity: https://dpimap.org/data/..."
    message: str  # what is wrong, naming the column and the offending value
    fix: str = ""  # where to declare the fix

    def text(self) -> str:
        """The message and its fix, without the place."""
        return f"{self.message}. Fix: {self.fix}" if self.fix else self.message

    def __str__(self) -> str:
        return f"{self.where}: {self.text()}" if self.where else self.text()


class ETLError(Exception):
    """Bad input or a failed check: one or more problems. `.problems` lists them."""

    def __init__(self, *problems: Problem | str):
        self.problems = [p if isinstance(p, Problem) else Problem("", p) for p in problems]
        super().__init__(render(self.problems))


def render(problems: list[Problem]) -> str:
    """One problem on one line; several grouped by place, each place once."""
    if len(problems) == 1:
        return str(problems[0])
    places: dict[str, list[Problem]] = {}
    for problem in problems:
        places.setdefault(problem.where, []).append(problem)
    if len(places) == 1:
        (where,) = places
        head = f"{where}: {len(problems)} problem(s)" if where else f"{len(problems)} problem(s)"
        return head + "".join(f"\n  - {p.text()}" for p in problems)
    lines = [f"{len(problems)} problem(s) in {len(places)} places:"]
    for where, found in places.items():
        lines.append(f"{where or '(anywhere)'}:")
        lines += [f"  - {p.text()}" for p in found]
    return "\n".join(lines)


class Problems:
    """Collects problems; `where` is the default place of those added with `add`."""

    def __init__(self, where: str = ""):
        self.where = where
        self.found: list[Problem] = []

    def add(self, message: str, fix: str = "", where: str | None = None) -> None:
        self.found.append(Problem(self.where if where is None else where, message, fix))

    @contextmanager
    def collect(self) -> Iterator[None]:
        """Run a step that raises ETLError; keep its problems and carry on after it."""
        try:
            yield
        except ETLError as error:
            self.found += error.problems

    def __len__(self) -> int:
        return len(self.found)

    def raise_if_any(self) -> None:
        if self.found:
            raise ETLError(*self.found)
