"""Located scenario errors: ``file:line:column: field.path: message``."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True, order=True)
class Located:
    """One mistake in a scenario, where it stands."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class ScenarioError(Exception):
    """Every mistake found in a scenario, raised together."""

    def __init__(self, errors: list[Located]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))
