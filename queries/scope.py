"""The user's scope: which teams' rows a query may read.

Access is decided once (at login, from the user's role and teams) and applied twice: the navigation
shows only permitted pages, and every query binds the scope into its SQL. A scope is required by
every query function; the default is to deny (no teams, not trust-wide), which returns no rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """Teams a user may see. Hashable, so it is part of every cache key."""

    trust_wide: bool = False
    team_ids: frozenset[int] = frozenset()

    @classmethod
    def whole_trust(cls) -> Scope:
        """Every team (board members, equality leads)."""
        return cls(trust_wide=True)

    @classmethod
    def teams(cls, team_ids: Iterable[int]) -> Scope:
        """Only the given teams (a health-inequalities champion)."""
        return cls(trust_wide=False, team_ids=frozenset(int(team_id) for team_id in team_ids))

    @classmethod
    def nothing(cls) -> Scope:
        """No rows at all (the default for an unknown user)."""
        return cls()

    @property
    def key(self) -> str:
        """A stable text form for logs and cache keys."""
        return "trust" if self.trust_wide else "teams:" + ",".join(str(t) for t in sorted(self.team_ids))

    def bind_params(self) -> dict[str, object]:
        """The parameters scoped SQL files bind: ``:scope_all``, ``:scope_team_list`` and
        ``:scope_has_teams`` (1 when the scope covers any team: it may see trust-level comparators)."""
        return {
            "scope_all": 1 if self.trust_wide else 0,
            "scope_team_list": sorted(self.team_ids),
            "scope_has_teams": 1 if (self.trust_wide or self.team_ids) else 0,
        }


def require_scope(scope: object) -> Scope:
    """Refuse to run a query without a real Scope (a missing or forged scope is a bug, not 'all')."""
    if not isinstance(scope, Scope):
        raise PermissionError("Every query needs the user's Scope; none was given")
    return scope
