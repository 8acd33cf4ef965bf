"""A throwaway database and throwaway keys for the benchmarks that seed data in process."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Iterator

from django.conf import settings
from django.db import connection
from django.test.utils import override_settings, setup_test_environment, teardown_test_environment

from amparo.vault.keys import reset_provider


@contextlib.contextmanager
def throwaway_environment() -> Iterator[None]:
    """A temporary database and temporary keys, removed afterwards."""

    folder = tempfile.mkdtemp(prefix="amparo-bench-vault-")
    amparo = {**settings.AMPARO, "KEK_FILE": f"{folder}/keys/kek.key", "BLIND_INDEX_KEY_FILE": None}
    test_settings = connection.settings_dict.setdefault("TEST", {})
    old_test_name = test_settings.get("NAME")
    if connection.vendor == "sqlite":
        test_settings["NAME"] = f"{folder}/bench.sqlite3"
    else:
        test_settings["NAME"] = f"amparo_bench_vault_{int(time.time())}"
    setup_test_environment(debug=False)
    try:
        # Plain static storage: the bench must not depend on collectstatic having run.
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(AMPARO=amparo, STORAGES=storages):
            old_name = connection.creation.create_test_db(
                verbosity=0, autoclobber=True, serialize=False
            )
            try:
                yield
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)
    finally:
        teardown_test_environment()
        test_settings["NAME"] = old_test_name
        reset_provider()
        shutil.rmtree(folder, ignore_errors=True)
