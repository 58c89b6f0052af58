"""Dashboard logins in the ``app_user`` table: add, disable, reset passwords, lock after failures.

Command line (passwords are prompted, never taken as arguments, so they stay out of shell history)::

    python -m data.users list
    python -m data.users add USERNAME --name "Display Name" --role champion --team 12 --team 13
    python -m data.users disable USERNAME
    python -m data.users enable USERNAME
    python -m data.users reset-password USERNAME

Passwords are stored as bcrypt hashes. After ``MAX_FAILED_ATTEMPTS`` failed logins an account is
locked for ``LOCK_MINUTES``; a successful login or a password reset clears the count.
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import bcrypt
from sqlalchemy import Engine, delete, insert, select, update

from data import schema
from data.config import ConfigError, store_settings
from data.store import StoreUnavailable, check_store, make_engine

ROLES = ("board", "equality_lead", "champion", "admin")
MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 10
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

#: Demo-only accounts seeded into the synthetic store: username -> (display name, role).
DEMO_USERS = {
    "board": ("Demo board member", "board"),
    "equality": ("Demo equality lead", "equality_lead"),
    "champion": ("Demo health-inequalities champion", "champion"),
    "admin": ("Demo administrator", "admin"),
}
DEMO_CHAMPION_TEAM = "Lambeth Talking Therapies"


class UserError(ValueError):
    """A user request that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class AppUser:
    """A login as the app sees it: who, which role, which teams (for champions)."""

    username: str
    display_name: str
    role: str
    team_ids: frozenset[int]
    active: bool
    failed_attempts: int
    locked_until: datetime | None

    def locked(self, now: datetime | None = None) -> bool:
        now = now or _utcnow()
        return self.locked_until is not None and self.locked_until > now


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def hash_password(password: str, *, rounds: int = 12) -> str:
    """A bcrypt hash of the password (bcrypt reads at most 72 bytes; longer passwords are refused)."""
    encoded = password.encode("utf-8")
    if len(encoded) > 72:
        raise UserError("Passwords may be at most 72 bytes long")
    return bcrypt.hashpw(encoded, bcrypt.gensalt(rounds)).decode("ascii")


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Passwords must be at least {MIN_PASSWORD_LENGTH} characters long")


def normalise_username(username: str) -> str:
    """Lower-case and check a username: letters, digits, dot, dash, underscore; 2 to 64 characters."""
    cleaned = (username or "").strip().lower()
    if not USERNAME_PATTERN.match(cleaned):
        raise UserError("Usernames are 2 to 64 characters: lower-case letters, digits, '.', '-' or '_'")
    return cleaned


def get_user(engine: Engine, username: str) -> AppUser | None:
    """The user with this username (any case), or None."""
    try:
        username = normalise_username(username)
    except UserError:
        return None
    users = list_users(engine, only=[username])
    return users[0] if users else None


def list_users(engine: Engine, only: Iterable[str] | None = None) -> list[AppUser]:
    """Every login (or only the named ones), with their teams, ordered by username."""
    user_table, team_table = schema.app_user, schema.app_user_team
    statement = select(user_table).order_by(user_table.c.username)
    teams_statement = select(team_table.c.username, team_table.c.team_id)
    if only is not None:
        names = list(only)
        statement = statement.where(user_table.c.username.in_(names))
        teams_statement = teams_statement.where(team_table.c.username.in_(names))
    with engine.connect() as connection:
        rows = connection.execute(statement).mappings().all()
        teams: dict[str, set[int]] = {}
        for username, team_id in connection.execute(teams_statement):
            teams.setdefault(username, set()).add(int(team_id))
    return [
        AppUser(
            username=row["username"],
            display_name=row["display_name"],
            role=row["role"],
            team_ids=frozenset(teams.get(row["username"], ())),
            active=bool(row["active"]),
            failed_attempts=int(row["failed_attempts"] or 0),
            locked_until=row["locked_until"],
        )
        for row in rows
    ]


def password_hashes(engine: Engine) -> dict[str, str]:
    """Username -> bcrypt hash for active users (what the login widget checks against)."""
    table = schema.app_user
    with engine.connect() as connection:
        rows = connection.execute(select(table.c.username, table.c.password_hash).where(table.c.active))
        return {username: password_hash for username, password_hash in rows}


def _known_team_ids(engine: Engine, team_ids: Iterable[int]) -> frozenset[int]:
    wanted = {int(t) for t in team_ids}
    with engine.connect() as connection:
        found = {
            row[0] for row in connection.execute(select(schema.team.c.id).where(schema.team.c.id.in_(wanted)))
        }
    missing = wanted - found
    if missing:
        raise UserError(f"Unknown team id(s): {', '.join(str(t) for t in sorted(missing))}")
    return frozenset(wanted)


def add_user(
    engine: Engine,
    username: str,
    password: str,
    *,
    display_name: str,
    role: str,
    team_ids: Iterable[int] = (),
    email: str | None = None,
    rounds: int = 12,
) -> AppUser:
    """Create a login. Champions need at least one team; other roles have none."""
    username = normalise_username(username)
    if role not in ROLES:
        raise UserError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}")
    teams = _known_team_ids(engine, team_ids)
    if role == "champion" and not teams:
        raise UserError("A champion needs at least one team (--team ID)")
    if role != "champion" and teams:
        raise UserError("Only champions are scoped to teams; other roles see the whole trust")
    check_new_password(password)
    if not display_name.strip():
        raise UserError("A display name is required")
    if get_user(engine, username):
        raise UserError(f"User {username!r} already exists")
    with engine.begin() as connection:
        connection.execute(
            insert(schema.app_user).values(
                username=username,
                display_name=display_name.strip()[:120],
                email=email,
                password_hash=hash_password(password, rounds=rounds),
                role=role,
                active=True,
                failed_attempts=0,
                locked_until=None,
            )
        )
        if teams:
            connection.execute(
                insert(schema.app_user_team), [{"username": username, "team_id": t} for t in sorted(teams)]
            )
    return get_user(engine, username)  # type: ignore[return-value]


def set_active(engine: Engine, username: str, active: bool) -> None:
    """Disable (or re-enable) a login without deleting it."""
    _update(engine, username, active=active)


def reset_password(engine: Engine, username: str, password: str, *, rounds: int = 12) -> None:
    """Set a new password and clear any lock."""
    check_new_password(password)
    _update(
        engine,
        username,
        password_hash=hash_password(password, rounds=rounds),
        failed_attempts=0,
        locked_until=None,
    )


def set_teams(engine: Engine, username: str, team_ids: Iterable[int]) -> None:
    """Replace a champion's teams."""
    user = get_user(engine, username)
    if user is None:
        raise UserError(f"No user {username!r}")
    teams = _known_team_ids(engine, team_ids)
    if user.role == "champion" and not teams:
        raise UserError("A champion needs at least one team")
    with engine.begin() as connection:
        connection.execute(
            delete(schema.app_user_team).where(schema.app_user_team.c.username == user.username)
        )
        if teams:
            connection.execute(
                insert(schema.app_user_team),
                [{"username": user.username, "team_id": t} for t in sorted(teams)],
            )


def record_failed_login(engine: Engine, username: str, now: datetime | None = None) -> AppUser | None:
    """Count a failed login; the ``MAX_FAILED_ATTEMPTS``-th locks the account for ``LOCK_MINUTES``."""
    user = get_user(engine, username)
    if user is None:
        return None
    now = now or _utcnow()
    attempts = user.failed_attempts + 1
    locked_until = (
        now + timedelta(minutes=LOCK_MINUTES) if attempts >= MAX_FAILED_ATTEMPTS else user.locked_until
    )
    if attempts >= MAX_FAILED_ATTEMPTS:
        attempts = 0  # the lock now does the work; a new run of failures starts after it
    _update(engine, user.username, failed_attempts=attempts, locked_until=locked_until)
    return get_user(engine, user.username)


def record_successful_login(engine: Engine, username: str) -> None:
    _update(engine, username, failed_attempts=0, locked_until=None)


def _update(engine: Engine, username: str, **values: object) -> None:
    username = normalise_username(username)
    with engine.begin() as connection:
        result = connection.execute(
            update(schema.app_user).where(schema.app_user.c.username == username).values(**values)
        )
    if result.rowcount == 0:
        raise UserError(f"No user {username!r}")


def seed_demo_users(engine: Engine, *, rounds: int = 12) -> None:
    """Demo store only: one login per role, password ``demo-<username>`` (listed in the README)."""
    with engine.connect() as connection:
        team_id = connection.execute(
            select(schema.team.c.id).where(schema.team.c.name == DEMO_CHAMPION_TEAM)
        ).scalar()
        if team_id is None:
            team_id = connection.execute(select(schema.team.c.id).order_by(schema.team.c.id)).scalar()
    for username, (display_name, role) in DEMO_USERS.items():
        add_user(
            engine,
            username,
            f"demo-{username}",
            display_name=display_name,
            role=role,
            team_ids=[team_id] if role == "champion" else [],
            rounds=rounds,
        )


# --------------------------------------------------------------------------- command line


def _prompt_password() -> str:
    first = getpass.getpass("New password: ")
    second = getpass.getpass("Repeat it: ")
    if first != second:
        raise UserError("The two passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.users", description="Manage dashboard logins.")
    parser.add_argument("--url", help="SQLAlchemy URL of the store (default: as the app resolves it)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list logins")
    add = commands.add_parser("add", help="add a login (the password is prompted)")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--team", type=int, action="append", default=[], help="team id (champions; repeatable)")
    add.add_argument("--email")
    for name, text in (("disable", "disable a login"), ("enable", "re-enable a login"),
                       ("reset-password", "set a new password (prompted) and clear any lock")):  # fmt: skip
        commands.add_parser(name, help=text).add_argument("username")
    teams = commands.add_parser("set-teams", help="replace a champion's teams")
    teams.add_argument("username")
    teams.add_argument("--team", type=int, action="append", required=True)
    args = parser.parse_args(argv)

    try:
        engine = make_engine(args.url or store_settings().url)
        check_store(engine)
        if args.command == "list":
            for user in list_users(engine):
                state = "active" if user.active else "disabled"
                if user.locked():
                    state += f", locked until {user.locked_until:%H:%M} UTC"
                teams = f" teams {','.join(str(t) for t in sorted(user.team_ids))}" if user.team_ids else ""
                print(f"{user.username:<24} {user.role:<14} {state}{teams}  ({user.display_name})")
        elif args.command == "add":
            add_user(engine, args.username, _prompt_password(), display_name=args.name, role=args.role,
                     team_ids=args.team, email=args.email)  # fmt: skip
            print(f"Added {normalise_username(args.username)}")
        elif args.command in ("disable", "enable"):
            set_active(engine, args.username, args.command == "enable")
            print(f"{args.command.capitalize()}d {normalise_username(args.username)}")
        elif args.command == "reset-password":
            reset_password(engine, args.username, _prompt_password())
            print(f"Password reset for {normalise_username(args.username)}")
        elif args.command == "set-teams":
            set_teams(engine, args.username, args.team)
            print(f"Teams set for {normalise_username(args.username)}")
    except (UserError, StoreUnavailable, ConfigError) as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
