"""SQLite FTS5 tables kept in step with a model's table by triggers (knowledge and ticket search).

An ``Fts5Index`` is an external-content FTS5 table ``<table>_fts`` over some text columns of
``<table>`` (it stores only the index, the text stays in the table) and three triggers, after
insert, delete and an update of those columns, that keep it current. SQLite drops a table's
triggers when a migration re-creates the table, so ``install`` runs after every ``migrate``
(post_migrate) and puts back whatever is missing, rebuilding the index if anything was.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def sqlite_has_fts5(cursor) -> bool:
    """Whether this SQLite build has FTS5 (a build without it raises on ``USING fts5``)."""
    try:
        cursor.execute("CREATE VIRTUAL TABLE temp.fixdesk_fts5_probe USING fts5(x)")
        cursor.execute("DROP TABLE temp.fixdesk_fts5_probe")
        return True
    except Exception:  # noqa: BLE001 - OperationalError: no such module: fts5
        return False


@dataclass(frozen=True)
class Fts5Index:
    table: str
    columns: tuple[str, ...]
    tokenize: str
    # alias:database name -> whether the FTS table exists (read once per process; ``install`` and
    # ``uninstall`` forget it).
    _ready: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def fts(self) -> str:
        return f"{self.table}_fts"

    @property
    def triggers(self) -> list[str]:
        return [f"{self.fts}_ai", f"{self.fts}_ad", f"{self.fts}_au"]

    def ddl(self) -> list[str]:
        """The FTS table and its three triggers (``IF NOT EXISTS``: safe to run again)."""
        # Only the constants of this module's callers are formatted into the SQL.
        t, fts, cols = self.table, self.fts, ", ".join(self.columns)
        new = ", ".join(f"new.{c}" for c in self.columns)
        old = ", ".join(f"old.{c}" for c in self.columns)
        insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"  # nosec B608  # noqa: S608
        delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"  # nosec B608  # noqa: S608
        ai, ad, au = self.triggers
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{t}', content_rowid='id', "
            f"tokenize='{self.tokenize}')",
            f"CREATE TRIGGER IF NOT EXISTS {ai} AFTER INSERT ON {t} BEGIN {insert} END",
            f"CREATE TRIGGER IF NOT EXISTS {ad} AFTER DELETE ON {t} BEGIN {delete} END",
            # Only an edit of the indexed text re-indexes a row (not a status change or a touch).
            f"CREATE TRIGGER IF NOT EXISTS {au} AFTER UPDATE OF {cols} ON {t} BEGIN {delete} {insert} END",
        ]

    def ready(self, conn) -> bool:
        """Whether the FTS table exists on ``conn`` (SQLite only)."""
        key = f"{conn.alias}:{conn.settings_dict.get('NAME')}"
        if key not in self._ready:
            if conn.vendor != "sqlite":
                self._ready[key] = False
            else:
                with conn.cursor() as cursor:
                    cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [self.fts])
                    self._ready[key] = cursor.fetchone() is not None
        return self._ready[key]

    def install(self, cursor, *, rebuild: bool = False) -> str:
        """Create the table and triggers where missing; re-index every row if anything was missing
        or ``rebuild``. Returns what was done, for the operator."""
        self._ready.clear()
        if not sqlite_has_fts5(cursor):
            return "sqlite without FTS5: plain matching"
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
                       [f"{self.fts}%"])
        present = {row[0] for row in cursor.fetchall()}
        missing = self.fts not in present or any(t not in present for t in self.triggers)
        for statement in self.ddl():
            cursor.execute(statement)
        if rebuild or missing:
            cursor.execute(f"INSERT INTO {self.fts}({self.fts}) VALUES ('rebuild')")  # nosec B608  # noqa: S608
            return "sqlite: FTS5 index rebuilt"
        return "sqlite: FTS5 index present"

    def drop_triggers(self, cursor) -> None:
        """Stop keeping the index current (a bulk load); ``install`` puts them back and rebuilds."""
        self._ready.clear()
        for trigger in self.triggers:
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")

    def uninstall(self, cursor) -> None:
        self.drop_triggers(cursor)
        cursor.execute(f"DROP TABLE IF EXISTS {self.fts}")


def reinstall_after_migrate(app_config, install, dispatch_uid: str) -> None:
    """Run ``install(connection)`` after every ``migrate`` of ``app_config``'s app (a search index's
    install function: SQLite drops a table's triggers when a migration re-creates the table)."""
    from django.db import connections
    from django.db.models.signals import post_migrate

    def reinstall(sender, using="default", **kwargs):
        install(connections[using])

    post_migrate.connect(reinstall, sender=app_config, dispatch_uid=dispatch_uid, weak=False)
