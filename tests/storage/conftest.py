import pytest

from .postgres_server import PostgresServer


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for the session (see postgres_server); fails, never skips, when it
    cannot start."""
    try:
        server = PostgresServer()
    except (RuntimeError, OSError) as exc:
        pytest.fail(f"could not start a PostgreSQL server for the tests: {exc}")
    yield server
    server.stop()
