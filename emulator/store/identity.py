"""Users and their API keys.

A user owns a personal entity of the same name (a service account belongs to its team's
entity instead) and any number of API keys. Keys are stored as given: the emulator must
answer with them (W&B shows a service account's key to its team, and the SDK reads a new
key's secret from ``generateApiKey``), and it guards test data, not secrets.
"""

from __future__ import annotations

import re
import secrets
import sqlite3

from emulator.store.database import Database
from emulator.store.projects import USER_SELECT, user_record
from emulator.store.records import ApiKey, User
from emulator.store.timestamps import utc_now

SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key TEXT NOT NULL UNIQUE,
    description TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS api_keys_user ON api_keys (user_id);
"""
TABLES = ("api_keys",)

#: The SDK refuses shorter keys before sending anything.
MIN_KEY_LENGTH = 40
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_KEY = re.compile(r"[\x21-\x7e]+")


class IdentityError(ValueError):
    """A request about users, keys, teams or organizations that cannot be done."""


class UnknownIdentityError(IdentityError, LookupError):
    """A user, key, team or organization that does not exist."""


class IdentityConflictError(IdentityError):
    """A name, email or key that is already taken, or a change that would break a rule."""


def check_name(kind: str, name: object) -> str:
    """``name`` when it is a valid user, team or organization name (W&B's entity names)."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise IdentityError(
            f"invalid {kind} name {name!r}: use 1 to 64 letters, digits, '-', '_' or '.',"
            " starting with a letter or digit"
        )
    return name


def check_key(key: object) -> str:
    """``key`` when the SDK would send it: 40+ printable characters without spaces."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise IdentityError("invalid API key: use printable characters without spaces")
    if len(key) < MIN_KEY_LENGTH:
        raise IdentityError(
            f"invalid API key: it has {len(key)} characters, the SDK needs {MIN_KEY_LENGTH}+"
        )
    return key


def new_key() -> str:
    """A fresh random API key (40 hex digits, like W&B's)."""
    return secrets.token_hex(MIN_KEY_LENGTH // 2)


class IdentityStore:
    """Reads and writes users and API keys."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create_user(
        self,
        username: str,
        *,
        email: str | None = None,
        name: str | None = None,
        admin: bool = False,
        api_key: str | None = None,
    ) -> tuple[User, ApiKey]:
        """Register a user with a personal entity and one API key (``api_key`` or a new one).

        An entity of that name that nobody owns yet (seeded data, say) becomes the user's.
        Raises :class:`IdentityError` for invalid input and taken names, emails or keys;
        nothing is written then.
        """
        check_name("user", username)
        key = check_key(api_key) if api_key is not None else new_key()
        email = email if email is not None else f"{username}@example.com"
        if "@" not in email:
            raise IdentityError(f"invalid email {email!r}")
        with self._db.transaction() as conn:
            if self.user(username) is not None:
                raise IdentityConflictError(f"user {username!r} already exists")
            if self.user_by_email(email) is not None:
                raise IdentityConflictError(f"a user with email {email!r} already exists")
            entity_id = _claim_personal_entity(conn, username)
            user_id = insert_user(
                conn, entity_id, username, name=name or username, email=email, admin=admin
            )
            created = self._insert_key(conn, user_id, key, None)
        user = self.user(username)
        assert user is not None
        return user, created

    def user(self, username: str) -> User | None:
        """The user ``username``, or ``None``."""
        row = self._db.one(USER_SELECT + " WHERE u.username = ?", (username,))
        return None if row is None else user_record(row)

    def user_by_id(self, user_id: int) -> User | None:
        """The user with storage id ``user_id``, or ``None``."""
        row = self._db.one(USER_SELECT + " WHERE u.id = ?", (user_id,))
        return None if row is None else user_record(row)

    def user_by_email(self, email: str) -> User | None:
        """The user with this email (compared without case), or ``None``."""
        row = self._db.one(USER_SELECT + " WHERE lower(u.email) = lower(?)", (email,))
        return None if row is None else user_record(row)

    def user_by_key(self, key: str) -> User | None:
        """The owner of API key ``key``, or ``None`` for an unknown or deleted key."""
        row = self._db.one(
            USER_SELECT + " JOIN api_keys k ON k.user_id = u.id WHERE k.key = ?", (key,)
        )
        return None if row is None else user_record(row)

    def search_users(self, query: str, *, limit: int = 100) -> list[User]:
        """Users whose username or email is ``query``; when none is, those containing it."""
        exact = self._db.execute(
            USER_SELECT + " WHERE u.username = ? OR lower(u.email) = lower(?) ORDER BY u.id",
            (query, query),
        )
        rows = exact or self._db.execute(
            USER_SELECT + " WHERE instr(lower(u.username), lower(?)) > 0"
            " OR instr(lower(u.email), lower(?)) > 0 ORDER BY u.id LIMIT ?",
            (query, query, limit),
        )
        return [user_record(row) for row in rows]

    def api_keys(self, username: str) -> list[ApiKey]:
        """The keys of ``username``, oldest first."""
        rows = self._db.execute(
            "SELECT k.id, k.key, k.description, k.created_at FROM api_keys k"
            " JOIN users u ON u.id = k.user_id WHERE u.username = ? ORDER BY k.id",
            (username,),
        )
        return [ApiKey(**dict(row)) for row in rows]

    def add_api_key(
        self, username: str, *, key: str | None = None, description: str | None = None
    ) -> ApiKey:
        """Give ``username`` another key (``key`` or a new one)."""
        key = check_key(key) if key is not None else new_key()
        with self._db.transaction() as conn:
            user = self.user(username)
            if user is None:
                raise UnknownIdentityError(f"no user {username!r}")
            return self._insert_key(conn, user.id, key, description)

    def key_owner(self, key_id: int) -> str | None:
        """The username owning the key with storage id ``key_id``, or ``None``."""
        row = self._db.one(
            "SELECT u.username FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = ?",
            (key_id,),
        )
        return None if row is None else str(row[0])

    def delete_api_key(self, key_id: int) -> None:
        """Revoke a key: requests made with it are a stranger's from now on."""
        with self._db.transaction() as conn:
            if not conn.execute("DELETE FROM api_keys WHERE id = ?", (key_id,)).rowcount:
                raise UnknownIdentityError(f"no API key with id {key_id}")

    def _insert_key(
        self, conn: sqlite3.Connection, user_id: int, key: str, description: str | None
    ) -> ApiKey:
        if conn.execute("SELECT 1 FROM api_keys WHERE key = ?", (key,)).fetchone():
            raise IdentityConflictError("this API key is already registered")
        created_at = utc_now()
        cursor = conn.execute(
            "INSERT INTO api_keys (user_id, key, description, created_at) VALUES (?, ?, ?, ?)",
            (user_id, key, description, created_at),
        )
        assert cursor.lastrowid is not None
        return ApiKey(cursor.lastrowid, key, description, created_at)


def insert_user(
    conn: sqlite3.Connection,
    entity_id: int,
    username: str,
    *,
    name: str,
    email: str | None,
    admin: bool = False,
    account_type: str = "USER",
) -> int:
    """Insert a user row; returns its storage id."""
    cursor = conn.execute(
        "INSERT INTO users (entity_id, username, name, email, admin, account_type, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            entity_id,
            username,
            name,
            email or f"{username}@example.com",
            int(admin),
            account_type,
            utc_now(),
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _claim_personal_entity(conn: sqlite3.Connection, name: str) -> int:
    """The id of a new personal entity ``name``, or of an unowned one of that name."""
    row = conn.execute(
        "SELECT e.id, e.type, (SELECT count(*) FROM users u WHERE u.entity_id = e.id)"
        " FROM entities e WHERE e.name = ?",
        (name,),
    ).fetchone()
    if row is None:
        cursor = conn.execute("INSERT INTO entities (name, type) VALUES (?, 'USER')", (name,))
        assert cursor.lastrowid is not None
        return cursor.lastrowid
    entity_id, kind, owners = row
    if kind != "USER" or owners:
        raise IdentityConflictError(f"entity name {name!r} is taken by a {kind.lower()}")
    return int(entity_id)
