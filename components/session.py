"""Who is using the app, and what they may see.

Until login arrives (the secure-access issue), every visitor of the demo is a trust-wide viewer.
"""

from __future__ import annotations

from queries.scope import Scope


def current_scope() -> Scope:
    """The scope every query on this run must use."""
    return Scope.whole_trust()
