"""Layering rules, checked by import-linter contracts in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold():
    executable = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    result = subprocess.run([executable], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_migrations_import_only_alembic_sqlalchemy_and_the_standard_library():
    """A migration must never change when the app changes: it imports none of the app's modules."""
    import ast

    allowed = {"alembic", "sqlalchemy", "__future__", *sys.stdlib_module_names}
    env_allowed = allowed | {"models.db.schema", "models.db.user_tables", "models.db"}
    migrations = ROOT / "models" / "db" / "migrations"
    files = sorted(migrations.rglob("*.py"))
    assert len(files) >= 4  # env.py and the revisions
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                ok = env_allowed if path.name == "env.py" else allowed
                assert name in ok or name.split(".")[0] in ok - {"models"}, f"{path.name} imports {name}"
