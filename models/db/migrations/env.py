"""Alembic environment: migrations run on the connection the library hands over."""

from alembic import context
from sqlalchemy import create_engine

from models.db import schema, user_tables

# Only the table definitions (models.db), never the app's domain code: autogenerate compares the
# corpus tables and the user_* tables, which user_tables registers on the same metadata.
TABLE_MODULES = (schema, user_tables)
config = context.config
target_metadata = schema.Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # `alembic` on the command line: -x db=PATH
        url = f"sqlite:///{context.get_x_argument(as_dictionary=True).get('db', 'data.sqlite')}"
        with create_engine(url).begin() as own:
            _run(own)
    else:
        _run(connection)


def _include(obj, name, type_, reflected, compare_to) -> bool:
    """Leave FTS5 tables (made by hand in the migrations) out of autogenerate."""
    return not (type_ == "table" and name and "_fts" in name)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True, include_object=_include)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
