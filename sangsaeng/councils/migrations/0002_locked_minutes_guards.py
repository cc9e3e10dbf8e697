"""Database guards of the minutes (like core/0002 for the audit trail), so no path but a DBA dropping
them changes locked minutes:

- councils_minutes: an UPDATE of a row whose status is "locked" is refused (both databases); on
  PostgreSQL its DELETE too.
- councils_minutesversion: versions are append-only (UPDATE refused on both databases, DELETE on
  PostgreSQL), and no new version is inserted for locked minutes.

DELETE is not guarded on SQLite, where Django's test flush deletes rows (as for the audit trail).
"""

from django.db import migrations

SQLITE = [
    "CREATE TRIGGER councils_minutes_locked_no_update BEFORE UPDATE ON councils_minutes "
    "WHEN OLD.status = 'locked' BEGIN SELECT RAISE(ABORT, 'locked minutes cannot change'); END;",
    "CREATE TRIGGER councils_minutesversion_no_update BEFORE UPDATE ON councils_minutesversion "
    "BEGIN SELECT RAISE(ABORT, 'minutes versions are append-only'); END;",
    "CREATE TRIGGER councils_minutesversion_locked_no_insert BEFORE INSERT ON councils_minutesversion "
    "WHEN (SELECT status FROM councils_minutes WHERE id = NEW.minutes_id) = 'locked' "
    "BEGIN SELECT RAISE(ABORT, 'locked minutes cannot change'); END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS councils_minutes_locked_no_update;",
    "DROP TRIGGER IF EXISTS councils_minutesversion_no_update;",
    "DROP TRIGGER IF EXISTS councils_minutesversion_locked_no_insert;",
]

POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION councils_minutes_locked() RETURNS trigger AS $$ "
    "BEGIN IF OLD.status = 'locked' THEN RAISE EXCEPTION 'locked minutes cannot change'; END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER councils_minutes_locked_guard BEFORE UPDATE OR DELETE ON councils_minutes "
    "FOR EACH ROW EXECUTE FUNCTION councils_minutes_locked();",
    "CREATE OR REPLACE FUNCTION councils_minutesversion_guard() RETURNS trigger AS $$ "
    "BEGIN IF TG_OP = 'INSERT' THEN "
    "IF (SELECT status FROM councils_minutes WHERE id = NEW.minutes_id) = 'locked' THEN "
    "RAISE EXCEPTION 'locked minutes cannot change'; END IF; RETURN NEW; END IF; "
    "RAISE EXCEPTION 'minutes versions are append-only'; END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER councils_minutesversion_guard BEFORE INSERT OR UPDATE OR DELETE ON councils_minutesversion "
    "FOR EACH ROW EXECUTE FUNCTION councils_minutesversion_guard();",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS councils_minutes_locked_guard ON councils_minutes;",
    "DROP TRIGGER IF EXISTS councils_minutesversion_guard ON councils_minutesversion;",
    "DROP FUNCTION IF EXISTS councils_minutes_locked();",
    "DROP FUNCTION IF EXISTS councils_minutesversion_guard();",
]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, None)  # no parameters: % would be taken for placeholders


def create_guards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRESQL})


def drop_guards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})


class Migration(migrations.Migration):
    dependencies = [("councils", "0001_initial")]

    operations = [migrations.RunPython(create_guards, drop_guards)]
