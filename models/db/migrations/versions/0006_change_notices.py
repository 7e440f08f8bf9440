"""Change notices on shared libraries: PostgreSQL NOTIFY on the user tables and documents

Revision ID: 0006_notices
Revises: 0005_authors
Create Date: 2026-12-02

Every insert, update or delete of a user row (and of a document: an import or a
replacement) sends a notice on the channel ``xref_changes`` with the table, the
recommendation it names and the database role, so that the other members' apps
refresh within a second (`models.pg_live`). Nothing on SQLite.
"""

from alembic import op

revision = "0006_notices"
down_revision = "0005_authors"
branch_labels = None
depends_on = None

CHANNEL = "xref_changes"
TABLES = ("user_collection", "user_collection_item", "user_tag", "user_tag_item", "user_note", "user_position",
          "user_priority", "user_highlight", "user_curated_link", "user_rejected_link", "document")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""
CREATE FUNCTION xref_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row jsonb := to_jsonb(COALESCE(NEW, OLD));
BEGIN
  PERFORM pg_notify('{CHANNEL}', json_build_object(
    'table', TG_TABLE_NAME, 'document', COALESCE(row ->> 'document_key', row ->> 'key'),
    'number', row ->> 'number', 'role', current_user, 'pid', pg_backend_pid())::text);
  RETURN NULL;
END $$""")
    for table in TABLES:
        op.execute(f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION xref_notify_change()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_notify ON {table}")
    op.execute("DROP FUNCTION IF EXISTS xref_notify_change()")
