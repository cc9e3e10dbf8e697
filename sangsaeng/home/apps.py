from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The start page ("/"): the landing page for visitors, each person's home once signed in.

    It sits above the kernel (core, accounts) and the domain apps, so that the kernel does not import
    a domain app to draw the start page: the page asks the domain apps' selectors what to show.
    """

    name = "sangsaeng.home"
    label = "home"
    verbose_name = _("Home")
