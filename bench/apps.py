from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks' app: installed only by :mod:`bench.settings` (and the test settings)."""

    name = "bench"
    label = "bench"
    default_auto_field = "django.db.models.BigAutoField"
