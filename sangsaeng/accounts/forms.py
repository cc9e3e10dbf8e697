"""Forms of the accounts pages. They parse input; the rules live in services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts.models import OrganizationKind, Role, User


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": _(
            "The e-mail address or the password is not correct. After 5 failed attempts, log-in is "
            "locked for a while."
        ),
        "inactive": _("This account is deactivated. Ask your organisation's administrator."),
    }

    def clean_username(self) -> str:
        # E-mail addresses are stored in lower case; the lockout counter (django-axes) reads the
        # cleaned value too, so "A@x" and "a@x" count against the same account.
        return str(self.cleaned_data["username"]).strip().lower()


class EmailPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the mail sent by a task instead of inside the request."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from sangsaeng.accounts.tasks import send_plain_email

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_plain_email.enqueue(subject, body, to_email)


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("Optional. Shown masked to people outside your organisation."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=list(User._meta.get_field("language").choices or []),
        help_text=_("The language of pages and e-mails for you."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, roles: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [(role, Role(role).label) for role in roles]
        if Role.MEMBER in roles:
            self.fields["role"].initial = Role.MEMBER


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, roles: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [(role, Role(role).label) for role in roles]


class OrganizationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (OrganizationKind.BANK, OrganizationKind.BANK.label),
            (OrganizationKind.AGENCY, OrganizationKind.AGENCY.label),
        ],
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the name of the system that uses it."),
    )


class AcceptInvitationForm(forms.Form):
    """Name and password for a person who joins through an invitation without an account."""

    name = forms.CharField(
        label=_("Name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned
