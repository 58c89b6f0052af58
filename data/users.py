"""Dashboard logins in the ``app_user`` table: add, disable, reset passwords, sessions, throttling, audit.

Command line (passwords are prompted, never taken as arguments, so they stay out of shell history)::

    python -m data.users list
    python -m data.users add USERNAME --name "Display Name" --role champion --team 12 --team 13
    python -m data.users disable USERNAME
    python -m data.users enable USERNAME
    python -m data.users reset-password USERNAME
    python -m data.users audit

Passwords are stored as bcrypt hashes and taken exactly as typed. The rules (docs/security.md):

- **Sessions.** A sign-in creates a row in ``app_session`` keyed by the SHA-256 of a random id; the
  browser's cookie holds only that id. Every run of the app checks the row (absolute lifetime and idle
  timeout). Signing out, a password reset, disabling and a lock delete every session of the user, so
  every browser holding a copy of the cookie is signed out on its next run.
- **Same work, same answer.** An unknown, disabled or locked username is checked against a dummy
  bcrypt hash of the same cost, and every refusal says the same thing.
- **Throttling** (``sign_in_attempt``): one connection gets ``MAX_FAILED_ATTEMPTS`` tries per username,
  then waits ``BACKOFF_SECONDS`` doubling with each further failure; one connection gets
  ``CLIENT_MAX_FAILURES`` failures in ``WINDOW_MINUTES`` over all usernames. A username is paused for
  everyone only after ``ACCOUNT_LOCK_FAILURES`` failures in the window, which one connection cannot
  reach, so nobody can lock anyone out with a handful of requests.
- **Audit.** Every change is written to ``user_audit`` (who, what, when) in the same transaction.
  An administrator cannot alone create a board, equality-lead or administrator login or reset such a
  login's password: the change waits in ``user_request`` for a second administrator.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import re
import secrets
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import bcrypt
from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from data import schema
from data.config import ConfigError, store_settings
from data.store import StoreUnavailable, check_store, make_engine

ROLES = ("board", "equality_lead", "champion", "admin")
#: Roles an administrator cannot grant alone: they see the whole trust's figures or manage logins.
PRIVILEGED_ROLES = frozenset({"board", "equality_lead", "admin"})
MAX_FAILED_ATTEMPTS = 5
BACKOFF_SECONDS = 30
WINDOW_MINUTES = 15
LOCK_MINUTES = WINDOW_MINUTES
CLIENT_MAX_FAILURES = 20
ACCOUNT_LOCK_FAILURES = 50
MIN_PASSWORD_LENGTH = 10
MAX_TEAM_ID = 2**31 - 1
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
SESSION_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
INCORRECT = "Username or password is incorrect."
DEMO_REFUSED = (
    "Demo logins work only in the embedded demo store, never in a store at a configured address. "
    "Ask an administrator for a login."
)
#: bcrypt hash (cost 12, as every stored hash) of a random secret nobody knows: unknown, disabled and
#: locked usernames are checked against it, so refusing them takes as long as a wrong password.
DUMMY_HASH = b"$2b$12$b4fJ0C4SfI2VISDXh7eyk.lDBTLt.CKQUzYLJbP/ZphQ4o80lXp0u"

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


@dataclass(frozen=True)
class SignInResult:
    """The outcome of a sign-in: the user, or None and the message to show."""

    user: AppUser | None
    message: str | None = None


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def hash_password(password: str, *, rounds: int = 12) -> str:
    """A bcrypt hash of the password (bcrypt reads at most 72 bytes; longer passwords are refused)."""
    encoded = password.encode("utf-8")
    if len(encoded) > 72:
        raise UserError("Passwords may be at most 72 bytes long")
    if b"\x00" in encoded:
        raise UserError("Passwords may not contain a NUL character")
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
    """Username -> bcrypt hash for active users."""
    table = schema.app_user
    with engine.connect() as connection:
        rows = connection.execute(select(table.c.username, table.c.password_hash).where(table.c.active))
        return {username: password_hash for username, password_hash in rows}


def _password_hash(engine: Engine, username: str) -> str | None:
    table = schema.app_user
    with engine.connect() as connection:
        return connection.execute(select(table.c.password_hash).where(table.c.username == username)).scalar()


def _check_team_ids(team_ids: Iterable[int]) -> set[int]:
    wanted = set()
    for team in team_ids:
        try:
            number = int(team)
        except (TypeError, ValueError):
            raise UserError(f"Team ids are whole numbers, not {team!r}") from None
        if not 1 <= number <= MAX_TEAM_ID:
            raise UserError(f"Unknown team id(s): {number} (team ids run from 1 to {MAX_TEAM_ID})")
        wanted.add(number)
    return wanted


def _known_team_ids(engine: Engine, team_ids: Iterable[int]) -> frozenset[int]:
    wanted = _check_team_ids(team_ids)
    with engine.connect() as connection:
        found = {
            row[0] for row in connection.execute(select(schema.team.c.id).where(schema.team.c.id.in_(wanted)))
        }
    missing = wanted - found
    if missing:
        raise UserError(f"Unknown team id(s): {', '.join(str(t) for t in sorted(missing))}")
    return frozenset(wanted)


def _clean_display_name(display_name: str) -> str:
    cleaned = " ".join((display_name or "").replace("\x00", "").split())
    if not cleaned:
        raise UserError("A display name is required")
    return cleaned[:120]


def _check_new_login(engine: Engine, username: str, role: str, teams: frozenset[int]) -> str:
    username = normalise_username(username)
    if role not in ROLES:
        raise UserError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if role == "champion" and not teams:
        raise UserError("A champion needs at least one team (--team ID)")
    if role != "champion" and teams:
        raise UserError("Only champions are scoped to teams; other roles see the whole trust")
    if get_user(engine, username):
        raise UserError(f"User {username!r} already exists")
    return username


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
    actor: str = "system",
) -> AppUser:
    """Create a login (audited). Champions need at least one team; other roles have none."""
    teams = _known_team_ids(engine, team_ids)
    username = _check_new_login(engine, username, role, teams)
    check_new_password(password)
    name = _clean_display_name(display_name)
    password_hash = hash_password(password, rounds=rounds)
    with engine.begin() as connection:
        _insert_user(connection, username, name, role, password_hash, teams, email=email)
        _audit(connection, actor, "add", username, _describe(role, teams))
    return get_user(engine, username)  # type: ignore[return-value]


def _insert_user(connection: Connection, username: str, display_name: str, role: str, password_hash: str,
                 teams: frozenset[int], *, email: str | None = None) -> None:  # fmt: skip
    connection.execute(
        insert(schema.app_user).values(
            username=username,
            display_name=display_name,
            email=email,
            password_hash=password_hash,
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


def _describe(role: str, teams: Iterable[int] = ()) -> str:
    teams = sorted(teams)
    return f"role {role}" + (f", teams {', '.join(str(t) for t in teams)}" if teams else "")


def set_active(engine: Engine, username: str, active: bool, *, actor: str = "system") -> None:
    """Disable (or re-enable) a login without deleting it; disabling ends all its sessions."""
    username = normalise_username(username)
    with engine.begin() as connection:
        _update(connection, username, active=active)
        if not active:
            _end_sessions(connection, username)
        _audit(connection, actor, "enable" if active else "disable", username)


def reset_password(engine: Engine, username: str, password: str, *, rounds: int = 12,
                   actor: str = "system") -> None:  # fmt: skip
    """Set a new password, clear any lock and throttle, and end every session of the user."""
    check_new_password(password)
    _reset_with_hash(engine, normalise_username(username), hash_password(password, rounds=rounds), actor)


def _reset_with_hash(engine: Engine, username: str, password_hash: str, actor: str,
                     connection: Connection | None = None) -> None:  # fmt: skip
    if connection is None:
        with engine.begin() as connection:
            return _reset_with_hash(engine, username, password_hash, actor, connection)
    _update(connection, username, password_hash=password_hash, failed_attempts=0, locked_until=None)
    _end_sessions(connection, username)
    connection.execute(delete(schema.sign_in_attempt).where(schema.sign_in_attempt.c.username == username))
    _audit(connection, actor, "reset_password", username)
    return None


def set_teams(engine: Engine, username: str, team_ids: Iterable[int], *, actor: str = "system") -> None:
    """Replace a champion's teams."""
    user = get_user(engine, username)
    if user is None:
        raise UserError(f"No user {username!r}")
    teams = _known_team_ids(engine, team_ids)
    if user.role == "champion" and not teams:
        raise UserError("A champion needs at least one team")
    if user.role != "champion" and teams:
        raise UserError("Only champions are scoped to teams; other roles see the whole trust")
    with engine.begin() as connection:
        connection.execute(
            delete(schema.app_user_team).where(schema.app_user_team.c.username == user.username)
        )
        if teams:
            connection.execute(
                insert(schema.app_user_team),
                [{"username": user.username, "team_id": t} for t in sorted(teams)],
            )
        _audit(connection, actor, "set_teams", user.username, _describe(user.role, teams))


def lock(engine: Engine, username: str, *, minutes: int = LOCK_MINUTES, actor: str = "system",
         now: datetime | None = None) -> None:  # fmt: skip
    """Lock a login for ``minutes`` and end all its sessions (a password reset unlocks it)."""
    username = normalise_username(username)
    now = now or _utcnow()
    with engine.begin() as connection:
        _update(connection, username, locked_until=now + timedelta(minutes=minutes))
        _end_sessions(connection, username)
        _audit(connection, actor, "lock", username, f"{minutes} minutes", now=now)


def _update(connection: Connection, username: str, **values: object) -> None:
    result = connection.execute(
        update(schema.app_user).where(schema.app_user.c.username == username).values(**values)
    )
    if result.rowcount == 0:
        raise UserError(f"No user {username!r}")


# --------------------------------------------------------------------------- sign-in and throttling


def _attempt_name(username: str) -> str:
    """The username as recorded in ``sign_in_attempt``: trimmed, lower-cased, printable, 64 characters."""
    cleaned = "".join(ch for ch in (username or "") if ch.isprintable()).strip().lower()
    return cleaned[:64]


def _password_matches(password: str, stored: str | None) -> bool:
    """bcrypt against the stored hash, or against the dummy hash (same cost) when there is none."""
    encoded = (password or "").encode("utf-8", "replace")
    target = stored.encode("ascii") if stored else DUMMY_HASH
    try:
        matched = bcrypt.checkpw(encoded[:72], target)
    except ValueError:
        bcrypt.checkpw(b"", DUMMY_HASH)  # a malformed input still costs one hash
        return False
    return matched and stored is not None and len(encoded) <= 72


def throttle(engine: Engine, username: str, client: str, now: datetime | None = None) -> str | None:
    """Why a sign-in for ``username`` from ``client`` must wait, or None. Depends only on recorded
    attempts (never on whether the username exists), so it says nothing about which logins exist."""
    now = now or _utcnow()
    name = _attempt_name(username)
    table = schema.sign_in_attempt
    since = now - timedelta(minutes=WINDOW_MINUTES)
    with engine.connect() as connection:
        if client:
            failures = connection.execute(
                select(table.c.at).where(table.c.client == client, table.c.at > since, ~table.c.succeeded)
                .order_by(table.c.at.desc()).limit(CLIENT_MAX_FAILURES)
            ).scalars().all()  # fmt: skip
            if len(failures) >= CLIENT_MAX_FAILURES:
                return _wait_message("Too many failed sign-ins from this connection.", failures[-1]
                                     + timedelta(minutes=WINDOW_MINUTES), now)  # fmt: skip
            pair = connection.execute(
                select(table.c.at, table.c.succeeded)
                .where(table.c.client == client, table.c.username == name, table.c.at > since)
                .order_by(table.c.at.desc())
            ).all()  # fmt: skip
            streak = _failure_streak(pair)
            if len(streak) >= MAX_FAILED_ATTEMPTS:
                wait = min(BACKOFF_SECONDS * 2 ** (len(streak) - MAX_FAILED_ATTEMPTS), WINDOW_MINUTES * 60)
                until = streak[0] + timedelta(seconds=wait)
                if now < until:
                    return _wait_message("Too many failed sign-ins for this username from here.", until, now)
        everyone = connection.execute(
            select(table.c.at, table.c.succeeded).where(table.c.username == name, table.c.at > since)
            .order_by(table.c.at.desc()).limit(ACCOUNT_LOCK_FAILURES + 1)
        ).all()  # fmt: skip
    streak = _failure_streak(everyone)
    if len(streak) >= ACCOUNT_LOCK_FAILURES:
        until = streak[ACCOUNT_LOCK_FAILURES - 1] + timedelta(minutes=WINDOW_MINUTES)
        return (
            f"Sign-in for this username is paused until {until:%H:%M} UTC after many failed attempts. "
            "An administrator can reset the password."
        )
    return None


def _failure_streak(rows) -> list[datetime]:
    """The times of the failures since the most recent success (newest first)."""
    streak = []
    for at, succeeded in rows:
        if succeeded:
            break
        streak.append(at)
    return streak


def _wait_message(reason: str, until: datetime, now: datetime) -> str:
    seconds = max(1, int((until - now).total_seconds()) + 1)
    wait = f"{seconds} seconds" if seconds < 120 else f"{(seconds + 59) // 60} minutes"
    return f"{reason} Try again in {wait}."


def sign_in(
    engine: Engine,
    username: str,
    password: str,
    *,
    client: str = "",
    allow_demo_logins: bool = True,
    now: datetime | None = None,
) -> SignInResult:
    """Check a sign-in: throttling, then bcrypt (against a dummy hash when the username is unknown,
    disabled or locked), then record the attempt. Every refusal of a password says the same thing."""
    now = now or _utcnow()
    name = _attempt_name(username)
    client = (client or "")[:64]
    refusal = throttle(engine, name, client, now)
    if refusal:
        return SignInResult(None, refusal)
    record = get_user(engine, name)
    usable = record is not None and record.active and not record.locked(now)
    stored = _password_hash(engine, record.username) if usable else None
    matched = _password_matches(password, stored)
    message = None if matched else INCORRECT
    if (
        matched
        and not allow_demo_logins
        and record.username in DEMO_USERS
        and password == f"demo-{record.username}"
    ):
        matched, message = False, DEMO_REFUSED

    def record_attempt(connection: Connection) -> None:
        connection.execute(
            insert(schema.sign_in_attempt).values(at=now, username=name, client=client, succeeded=matched)
        )
        if matched:
            _update(connection, record.username, failed_attempts=0, locked_until=None)

    _write_patiently(engine, record_attempt)
    if matched:
        return SignInResult(record)
    if record is not None and throttle(engine, name, "", now) and not record.locked(now):
        lock(engine, record.username, actor="throttle", now=now)  # many failures from many places
    return SignInResult(None, message)


# --------------------------------------------------------------------------- sessions


def _digest(session_id: str, secret: str) -> str:
    """What the store keeps of a session id: its HMAC-SHA256 under the cookie key."""
    return hmac.new(secret.encode("utf-8"), session_id.encode("ascii"), hashlib.sha256).hexdigest()


def create_session(engine: Engine, username: str, *, lifetime: timedelta, secret: str,
                   now: datetime | None = None) -> str:  # fmt: skip
    """Start a session for a signed-in user; returns the random id for the cookie (stored hashed)."""
    now = now or _utcnow()
    session_id = secrets.token_urlsafe(32)

    def start(connection: Connection) -> None:
        connection.execute(
            insert(schema.app_session).values(
                id_hash=_digest(session_id, secret), username=normalise_username(username), created_at=now,
                last_seen_at=now, expires_at=now + lifetime,
            )
        )  # fmt: skip
        connection.execute(delete(schema.app_session).where(schema.app_session.c.expires_at < now))

    _write_patiently(engine, start)
    return session_id


def _write_patiently(engine: Engine, work, attempts: int = 7) -> None:
    """Run a small write in its own transaction, retrying while SQLite reports "database is locked"
    (another session's write, on a busy machine, can hold the lock longer than SQLite's 5-second wait)."""
    for attempt in range(attempts):
        try:
            with engine.begin() as connection:
                work(connection)
            return
        except OperationalError as problem:
            if "locked" not in str(problem.orig) or attempt == attempts - 1:
                raise
            time.sleep(0.1 * 2**attempt)


def session_user(engine: Engine, session_id: str | None, *, idle: timedelta, secret: str,
                 now: datetime | None = None) -> AppUser | None:  # fmt: skip
    """The user of a live session, or None (unknown id, expired, idle too long, user disabled or
    locked). Anything that is not a well-formed id is refused before the store is asked."""
    if not isinstance(session_id, str) or not SESSION_ID_PATTERN.match(session_id):
        return None
    now = now or _utcnow()
    table = schema.app_session
    digest = _digest(session_id, secret)
    with engine.connect() as connection:
        row = connection.execute(select(table).where(table.c.id_hash == digest)).mappings().first()
    if row is None:
        return None
    user = get_user(engine, row["username"])
    live = row["expires_at"] > now and row["last_seen_at"] + idle > now
    if not live or user is None or not user.active or user.locked(now):
        with engine.begin() as connection:
            connection.execute(delete(table).where(table.c.id_hash == digest))
        return None
    if now - row["last_seen_at"] > timedelta(seconds=30):
        _write_patiently(
            engine,
            lambda connection: connection.execute(
                update(table).where(table.c.id_hash == digest).values(last_seen_at=now)
            ),
        )
    return user


def end_session(engine: Engine, session_id: str, *, secret: str) -> None:
    if isinstance(session_id, str) and SESSION_ID_PATTERN.match(session_id):
        with engine.begin() as connection:
            connection.execute(
                delete(schema.app_session).where(schema.app_session.c.id_hash == _digest(session_id, secret))
            )


def end_sessions(engine: Engine, username: str, *, actor: str | None = None) -> int:
    """End every session of a user (every browser is signed out on its next run); returns how many."""
    with engine.begin() as connection:
        ended = _end_sessions(connection, normalise_username(username))
        if actor:
            _audit(connection, actor, "sign_out", normalise_username(username), f"{ended} session(s) ended")
    return ended


def _end_sessions(connection: Connection, username: str) -> int:
    return connection.execute(
        delete(schema.app_session).where(schema.app_session.c.username == username)
    ).rowcount


def live_sessions(engine: Engine, username: str) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(func.count())
            .select_from(schema.app_session)
            .where(schema.app_session.c.username == username)
        ).scalar_one()


# --------------------------------------------------------------------------- audit and second approval


def _audit(connection: Connection, actor: str, action: str, username: str, detail: str | None = None,
           now: datetime | None = None) -> None:  # fmt: skip
    connection.execute(
        insert(schema.user_audit).values(
            at=now or _utcnow(), actor=str(actor)[:80], action=action, username=username, detail=detail
        )
    )


def audit_log(engine: Engine, limit: int = 500) -> list[dict]:
    """The most recent changes to logins, newest first."""
    table = schema.user_audit
    with engine.connect() as connection:
        rows = connection.execute(
            select(table.c.at, table.c.actor, table.c.action, table.c.username, table.c.detail)
            .order_by(table.c.at.desc(), table.c.id.desc()).limit(limit)
        ).mappings().all()  # fmt: skip
    return [dict(row) for row in rows]


def request_add(engine: Engine, username: str, password: str, *, display_name: str, role: str,
                actor: str, rounds: int = 12) -> int:  # fmt: skip
    """Ask for a privileged login (board, equality lead, admin); a second administrator approves it."""
    if role not in PRIVILEGED_ROLES:
        raise UserError("Only board, equality-lead and administrator logins wait for a second administrator")
    username = _check_new_login(engine, username, role, frozenset())
    check_new_password(password)
    name = _clean_display_name(display_name)
    return _request(engine, "add", username, hash_password(password, rounds=rounds), actor,
                    display_name=name, role=role)  # fmt: skip


def request_reset(engine: Engine, username: str, password: str, *, actor: str, rounds: int = 12) -> int:
    """Ask for a new password for a privileged login; a second administrator approves it."""
    user = get_user(engine, username)
    if user is None:
        raise UserError(f"No user {username!r}")
    check_new_password(password)
    return _request(engine, "reset_password", user.username, hash_password(password, rounds=rounds), actor)


def _request(engine: Engine, action: str, username: str, password_hash: str, actor: str, **values) -> int:
    table = schema.user_request
    with engine.begin() as connection:
        pending = connection.execute(
            select(table.c.id).where(table.c.username == username, table.c.status == "pending")
        ).first()
        if pending:
            raise UserError(f"A change to {username!r} is already waiting for approval")
        result = connection.execute(
            insert(table).values(requested_at=_utcnow(), requested_by=actor, action=action, username=username,
                                 password_hash=password_hash, status="pending", **values)
        )  # fmt: skip
        detail = _describe(values["role"]) if "role" in values else None
        _audit(connection, actor, f"request_{action}", username, detail)
    return int(result.inserted_primary_key[0])


def pending_requests(engine: Engine) -> list[dict]:
    table = schema.user_request
    with engine.connect() as connection:
        rows = connection.execute(
            select(table.c.id, table.c.requested_at, table.c.requested_by, table.c.action, table.c.username,
                   table.c.display_name, table.c.role)
            .where(table.c.status == "pending").order_by(table.c.id)
        ).mappings().all()  # fmt: skip
    return [dict(row) for row in rows]


def decide_request(engine: Engine, request_id: int, *, actor: str, approve: bool) -> None:
    """Approve or reject a waiting request; the administrator who asked cannot approve it."""
    table = schema.user_request
    with engine.begin() as connection:
        row = (
            connection.execute(
                select(table).where(table.c.id == int(request_id), table.c.status == "pending")
            )
            .mappings()
            .first()
        )
        if row is None:
            raise UserError("That request is no longer waiting")
        if approve and row["requested_by"] == actor:
            raise UserError("A second administrator must approve this: you asked for it")
        if approve and row["action"] == "add":
            if connection.execute(select(schema.app_user.c.username).where(
                    schema.app_user.c.username == row["username"])).first():  # fmt: skip
                raise UserError(f"User {row['username']!r} already exists")
            _insert_user(connection, row["username"], row["display_name"], row["role"], row["password_hash"],
                         frozenset())  # fmt: skip
            _audit(connection, actor, "add", row["username"],
                   f"{_describe(row['role'])}; asked for by {row['requested_by']}")  # fmt: skip
        elif approve:
            _reset_with_hash(engine, row["username"], row["password_hash"], actor, connection)
        connection.execute(
            update(table).where(table.c.id == row["id"]).values(
                status="approved" if approve else "rejected", decided_by=actor, decided_at=_utcnow())
        )  # fmt: skip
        _audit(connection, actor, "approve" if approve else "reject", row["username"],
               f"request {row['id']}: {row['action']} asked for by {row['requested_by']}")  # fmt: skip


def seed_demo_users(engine: Engine, *, rounds: int = 12) -> None:
    """Demo store only: one login per role, password ``demo-<username>`` (listed in the README).
    The app refuses these published passwords unless the store is the embedded demo store."""
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
            actor="demo",
        )


# --------------------------------------------------------------------------- command line


def _prompt_password() -> str:
    first = getpass.getpass("New password: ")
    second = getpass.getpass("Repeat it: ")
    if first != second:
        raise UserError("The two passwords differ")
    return first


def _team_id(text: str) -> int:
    """argparse type for --team: a whole number in the range a team id can have."""
    try:
        return min(_check_team_ids([text]))
    except UserError as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None


def _cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.users", description="Manage dashboard logins.")
    parser.add_argument("--url", help="SQLAlchemy URL of the store (default: as the app resolves it)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list logins")
    commands.add_parser("audit", help="show the most recent changes to logins")
    add = commands.add_parser("add", help="add a login (the password is prompted)")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--team", type=_team_id, action="append", default=[],
                     help="team id (champions; repeatable)")  # fmt: skip
    add.add_argument("--email")
    for name, text in (("disable", "disable a login and end its sessions"), ("enable", "re-enable a login"),
                       ("reset-password", "set a new password (prompted), clear any lock, end its sessions"),
                       ("sign-out", "end every session of a login")):  # fmt: skip
        commands.add_parser(name, help=text).add_argument("username")
    teams = commands.add_parser("set-teams", help="replace a champion's teams")
    teams.add_argument("username")
    teams.add_argument("--team", type=_team_id, action="append", required=True)
    args = parser.parse_args(argv)
    actor = _cli_actor()

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
        elif args.command == "audit":
            for entry in audit_log(engine, limit=100):
                print(f"{entry['at']:%Y-%m-%d %H:%M:%S}  {entry['actor']:<16} {entry['action']:<22} "
                      f"{entry['username']}  {entry['detail'] or ''}")  # fmt: skip
        elif args.command == "add":
            add_user(engine, args.username, _prompt_password(), display_name=args.name, role=args.role,
                     team_ids=args.team, email=args.email, actor=actor)  # fmt: skip
            print(f"Added {normalise_username(args.username)}")
        elif args.command in ("disable", "enable"):
            set_active(engine, args.username, args.command == "enable", actor=actor)
            print(f"{args.command.capitalize()}d {normalise_username(args.username)}")
        elif args.command == "reset-password":
            if get_user(engine, args.username) is None:
                raise UserError(f"No user {args.username!r}")
            reset_password(engine, args.username, _prompt_password(), actor=actor)
            print(f"Password reset for {normalise_username(args.username)}")
        elif args.command == "sign-out":
            ended = end_sessions(engine, args.username, actor=actor)
            print(f"Ended {ended} session(s) of {normalise_username(args.username)}")
        elif args.command == "set-teams":
            set_teams(engine, args.username, args.team, actor=actor)
            print(f"Teams set for {normalise_username(args.username)}")
    except (UserError, StoreUnavailable, ConfigError) as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    except SQLAlchemyError as problem:
        print(f"error: the store did not accept the change ({type(problem).__name__}); check that it is "
              "running and holds the dashboard's tables (python -m data.demo creates them)", file=sys.stderr)  # fmt: skip
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
