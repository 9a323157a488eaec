"""Errors that stop the ETL with a clear message (the CLI prints them without a traceback)."""


class ETLError(Exception):
    """Bad input or a failed check. The message names what, where, and the fix."""


class ProblemList:
    """Collects every problem in one file so they are reported together, not one per run."""

    def __init__(self, where: str):
        self.where = where
        self.problems: list[str] = []

    def add(self, message: str) -> None:
        self.problems.append(message)

    def raise_if_any(self) -> None:
        if self.problems:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            raise ETLError(f"{self.where}: {len(self.problems)} problem(s)\n{lines}")
