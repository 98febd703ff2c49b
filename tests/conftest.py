import os
import tempfile

# Before anything imports Prefect: quiet, patient, and never the user's ~/.prefect.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="qingxi-prefect-"))

import pytest  # noqa: E402

from tests.corpus import write_corpus  # noqa: E402


@pytest.fixture(scope="session")
def prefect_server():
    """One Prefect test server for every flow test: it takes ~15 s to start here."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "raw"
    write_corpus(root)
    return root


@pytest.fixture(scope="module")
def module_corpus(tmp_path_factory):
    """The corpus once per test module, for modules whose runs compare against one reference."""
    root = tmp_path_factory.mktemp("corpus") / "raw"
    write_corpus(root)
    return root
