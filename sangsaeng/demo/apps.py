from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo scenario (`manage.py load_demo`) and the end-to-end browser tests. No models."""

    name = "sangsaeng.demo"
    label = "demo"
