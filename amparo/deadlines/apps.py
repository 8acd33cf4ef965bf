from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "amparo.deadlines"
    label = "deadlines"

    def ready(self) -> None:
        # Feeds are revoked with the account's other credentials (a password reset, ...).
        from . import feeds  # noqa: F401
