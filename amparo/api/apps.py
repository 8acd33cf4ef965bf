from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "amparo.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from .api import router_register
        from .routes import router

        router_register(router)
