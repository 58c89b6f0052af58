"""One problem found while checking an input file, for validation reports shared by every loader.

A loader collects ``Problem`` values rather than raising at the first one, so a trust sees every issue in
a file at once: which file, which line (1 = the header line of a CSV), which column, the value found and
what was expected. ``severity`` is ``"error"`` (the data must not be loaded as it is) or ``"warning"``
(loaded, but someone should look).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    value: str | None
    expected: str
    rule: str
    severity: Literal["error", "warning"] = ERROR

    def __post_init__(self) -> None:
        if self.severity not in (ERROR, WARNING):
            raise ValueError(f"severity must be 'error' or 'warning', not {self.severity!r}")

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line is not None else "")
        where += f", column {self.column!r}" if self.column else ""
        found = f": found {self.value!r}" if self.value is not None else ""
        return f"{self.severity}: {where}{found}; expected {self.expected} ({self.rule})"
