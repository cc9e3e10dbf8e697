from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sangsaeng.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from sangsaeng.accounts import navigation  # noqa: F401  (registers menu entries)
        from sangsaeng.accounts.middleware import remember_login_time

        # Auth bookkeeping only: start the session's absolute-lifetime clock at every login.
        user_logged_in.connect(remember_login_time, dispatch_uid="sangsaeng_remember_login_time")
