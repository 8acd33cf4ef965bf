"""The settings ``amparo bench`` runs under: the project's settings plus the benchmarks.

They extend the settings module that was chosen (``AMPARO_BENCH_SETTINGS_BASE``, which
``amparo bench`` sets to whatever ``DJANGO_SETTINGS_MODULE`` was; the local settings by
default) with the bench app (its sample models and their migrations), the bench's URLconf (the
baselines' pages), rate limits high enough not to refuse the bench's own clients (the API's and
the public form's) and plain static URLs (a bench server needs no ``collectstatic``). Never
used by a real deployment.
"""

import os
from importlib import import_module

_base = import_module(os.environ.get("AMPARO_BENCH_SETTINGS_BASE", "config.settings.local"))
globals().update({name: value for name, value in vars(_base).items() if name.isupper()})

INSTALLED_APPS = [*_base.INSTALLED_APPS, *([] if "bench" in _base.INSTALLED_APPS else ["bench"])]
ROOT_URLCONF = "bench.urls"
AMPARO_RATE_LIMITS = {"api": {"per_ip": "1000000/m", "per_user": "1000000/m"}}
AMPARO_RATE_LIMITS.update(
    {"help-step": {"per_ip": "1000000/m"}, "help-submit": {"per_ip": "1000000/m"}}
)
# Plain static URLs: a bench server renders pages without ``collectstatic`` having run (as
# bench.throwaway does in process); the benchmarks never fetch static files.
STORAGES = {
    **_base.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
