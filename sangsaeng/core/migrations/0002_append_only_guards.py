"""Database guards for append-only tables, so no path but a DBA dropping them can edit the trail.

UPDATE is refused on both databases. DELETE is refused on PostgreSQL; on SQLite Django's test
flush deletes rows, so there the ORM guard and the hash chain (a deleted event breaks the link of
the next one, and the chain head remembers the tail) are what detect a deletion.
"""

from django.db import migrations

TABLES = ["core_auditevent", "core_personaldataaccess"]


def create_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                "CREATE OR REPLACE FUNCTION sangsaeng_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql;",
                None,  # no parameters: the % above is PL/pgSQL's, not a placeholder
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION sangsaeng_append_only();"
            )


def drop_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table};")


def create_chain_head(apps, schema_editor):
    apps.get_model("core", "AuditChainHead").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(create_guards, drop_guards),
        migrations.RunPython(create_chain_head, migrations.RunPython.noop),
    ]
