"""Who may see which page: access is decided here once and applied twice (navigation and queries).

The page table is the single source of truth: ``app.py`` builds navigation from it and every page
module's guard (``components.guard.require_page``) checks it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from data.users import AppUser
from queries.scope import Scope

BOARD, EQUALITY_LEAD, CHAMPION, ADMIN = "board", "equality_lead", "champion", "admin"
ROLE_TITLES = {
    BOARD: "Board member",
    EQUALITY_LEAD: "Equality lead",
    CHAMPION: "Health-inequalities champion",
    ADMIN: "Administrator",
}


@dataclass(frozen=True)
class PageSpec:
    """One page: its module, title, URL path, icon and the roles that may open it."""

    page_id: str
    path: str
    title: str
    icon: str
    roles: frozenset[str]


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "overview",
        "pages/overview.py",
        "Board overview",
        ":material/dashboard:",
        frozenset({BOARD, EQUALITY_LEAD}),
    ),
    PageSpec("home", "pages/home.py", "Home", ":material/home:", frozenset({BOARD, EQUALITY_LEAD, CHAMPION})),
    PageSpec("areas", "pages/areas.py", "Areas", ":material/map:", frozenset({BOARD, EQUALITY_LEAD})),
    PageSpec(
        "access",
        "pages/access.py",
        "Service access",
        ":material/diversity_1:",
        frozenset({BOARD, EQUALITY_LEAD}),
    ),
    PageSpec("pcref", "pages/pcref.py", "PCREF", ":material/balance:", frozenset({BOARD, EQUALITY_LEAD})),
    PageSpec(
        "workforce", "pages/workforce.py", "Workforce", ":material/badge:", frozenset({BOARD, EQUALITY_LEAD})
    ),
    PageSpec(
        "data_quality",
        "pages/data_quality.py",
        "Data quality",
        ":material/fact_check:",
        frozenset({BOARD, EQUALITY_LEAD}),
    ),
    PageSpec(
        "my_team", "pages/my_team.py", "My team", ":material/groups:", frozenset({EQUALITY_LEAD, CHAMPION})
    ),
    PageSpec(
        "methods",
        "pages/methods.py",
        "Methods",
        ":material/menu_book:",
        frozenset({BOARD, EQUALITY_LEAD, CHAMPION}),
    ),
    # administrators manage logins; board members and equality leads read the logins and the audit log
    PageSpec(
        "users",
        "pages/users.py",
        "Users",
        ":material/manage_accounts:",
        frozenset({ADMIN, BOARD, EQUALITY_LEAD}),
    ),
)
PAGES_BY_ID = {page.page_id: page for page in PAGES}

#: The page each role lands on.
DEFAULT_PAGE = {BOARD: "overview", EQUALITY_LEAD: "home", CHAMPION: "my_team", ADMIN: "users"}
#: The root URL's hidden page, which opens the role's landing page at its own URL (``/home``), so that
#: every page, the landing page included, answers a shared link.
LANDING_PATH = "start"


@dataclass(frozen=True)
class User:
    """The signed-in user as pages see it: a role and the scope every query must use."""

    username: str
    display_name: str
    role: str
    scope: Scope

    @property
    def role_title(self) -> str:
        return ROLE_TITLES.get(self.role, self.role)


def scope_for(role: str, team_ids: frozenset[int]) -> Scope:
    """Board members and equality leads see the whole trust; champions their teams; admins no data."""
    if role in (BOARD, EQUALITY_LEAD):
        return Scope.whole_trust()
    if role == CHAMPION:
        return Scope.teams(team_ids)
    return Scope.nothing()


def user_from_record(record: AppUser) -> User:
    return User(record.username, record.display_name, record.role, scope_for(record.role, record.team_ids))


def may_open(role: str | None, page_id: str) -> bool:
    page = PAGES_BY_ID.get(page_id)
    return bool(role) and page is not None and role in page.roles


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role may open, the role's landing page first."""
    allowed = [page for page in PAGES if role in page.roles]
    default = DEFAULT_PAGE.get(role)
    return sorted(allowed, key=lambda page: page.page_id != default)
