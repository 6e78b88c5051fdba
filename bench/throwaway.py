"""A throw-away PostgreSQL database for a benchmark run (BENCH_KEEP=1 keeps it for a look afterwards)."""
import os
import uuid
from contextlib import contextmanager

from sqlalchemy import create_engine, text

BASE = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def throwaway_database(prefix):
    """Yield the URL of a new, empty database; drop it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(BASE, isolation_level="AUTOCOMMIT", pool_pre_ping=True)  # survives a restart (bench_faults)
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield BASE.rsplit("/", 1)[0] + "/" + name
    finally:
        if os.environ.get("BENCH_KEEP"):
            print(f"kept database {name}")
        else:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
