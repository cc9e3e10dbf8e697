"""Test settings: the same as production but fast hashing, in-memory mail and immediate tasks."""

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file database (not :memory:) so that threads in concurrency and browser tests share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-sangsaeng.sqlite3")}  # noqa: F405
STORAGES["default"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(VAR_DIR / "test-media")},  # noqa: F405
}
AXES_ENABLED = True
# Tests fill the sign-up form faster than a person: the minimum age is tested on its own (core botcheck).
SIGNUP_FORM_MIN_SECONDS = 0
