"""The Alembic side of the differential run: the same input as pgmig_driver, run by Alembic on
SQLite (the version rows do not depend on the database), printing alembic_version's rows after
each command, or ERR (the error goes to stderr)."""
import logging
import os
import shutil
import sqlite3
import sys
import tempfile

from alembic import command
from alembic.config import Config

logging.disable(logging.CRITICAL)
work = tempfile.mkdtemp()
os.makedirs(work + "/versions")
with open(work + "/env.py", "w") as f:
    f.write("""
from alembic import context
from sqlalchemy import create_engine
engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
with engine.connect() as c:
    context.configure(connection=c)
    with context.begin_transaction():
        context.run_migrations()
""")
open(work + "/script.py.mako", "w").close()
database = work + "/db.sqlite"
config = Config()
config.set_main_option("script_location", work)
config.set_main_option("sqlalchemy.url", "sqlite:///" + database)
verbs = {"up": command.upgrade, "down": command.downgrade, "stamp": command.stamp}


def ids(text):
    return None if text == "-" else tuple(text.split(","))


for line in sys.stdin:
    words = line.split()
    if words[0] == "rev":
        rev, parents, deps, labels = words[1:5]
        with open(f"{work}/versions/{rev}.py", "w") as f:
            f.write(f"revision={rev!r}\ndown_revision={ids(parents)!r}\n"
                    f"depends_on={ids(deps)!r}\nbranch_labels={ids(labels)!r}\n"
                    "def upgrade(): pass\ndef downgrade(): pass\n")
        continue
    try:
        verbs[words[0]](config, words[1])
        rows = []
        if os.path.exists(database):
            rows = sorted(r[0] for r in sqlite3.connect(database).execute(
                "SELECT version_num FROM alembic_version"))
        print(" ".join(rows) + (" " if rows else ""))
    except Exception as e:
        print("ERR")
        print(repr(e), file=sys.stderr)
    sys.stdout.flush()
shutil.rmtree(work)
