import os

from alembic import context
from sqlalchemy import create_engine

if context.is_offline_mode():
    context.configure(url=os.environ["ALEMBIC_URL"], literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(os.environ["ALEMBIC_URL"])
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
