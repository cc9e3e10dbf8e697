"""People, organisations and what each person may do there."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    HOST = "host", _("Host company")
    PARTNER = "partner", _("Partner company")
    BANK = "bank", _("Bank")
    AGENCY = "agency", _("Agency")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PROGRAM_MANAGER = "program_manager", _("Programme manager")
    REVIEWER = "reviewer", _("Reviewer")
    LAB_OPERATOR = "lab_operator", _("Lab operator")
    AUDITOR = "auditor", _("Auditor")
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")
    LOAN_OFFICER = "loan_officer", _("Loan officer")
    OBSERVER = "observer", _("Observer")


# Which roles exist in which kind of organisation (DESIGN.md "Who uses it").
ROLES_BY_KIND: dict[str, tuple[str, ...]] = {
    OrganizationKind.HOST: (Role.ADMIN, Role.PROGRAM_MANAGER, Role.REVIEWER, Role.LAB_OPERATOR, Role.AUDITOR),
    OrganizationKind.PARTNER: (Role.OWNER, Role.MEMBER),
    OrganizationKind.BANK: (Role.LOAN_OFFICER,),
    OrganizationKind.AGENCY: (Role.OBSERVER,),
}

# The role that manages an organisation's people; an organisation never loses its last one.
MANAGER_ROLE_BY_KIND: dict[str, str] = {
    OrganizationKind.HOST: Role.ADMIN,
    OrganizationKind.PARTNER: Role.OWNER,
}


def validate_role_for_kind(role: str, kind: str) -> None:
    """Refuse a role that does not exist in this kind of organisation (e.g. an owner at a bank)."""
    if role not in ROLES_BY_KIND.get(kind, ()):
        raise ValidationError(
            {"role": _("This role does not exist in this kind of organisation.")}, code="role_for_kind"
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with an e-mail address; belongs to one organisation through a Membership."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=[("ko", "한국어"), ("en", "English")], default="ko"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class Organization(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=OrganizationKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in an organisation. A person has at most one active membership."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_active=True), name="one_active_membership_per_user"
            ),
        ]
        indexes = [models.Index(fields=["organization", "is_active"], name="membership_org_active")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user.email} @ {self.organization.name} ({self.role})"

    def clean(self) -> None:
        if self.organization_id is not None:
            validate_role_for_kind(self.role, self.organization.kind)


def hash_token(raw: str) -> str:
    """What is stored of an invitation link's or API token's secret: its SHA-256 (the secret itself never is)."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Invitation(models.Model):
    """An e-mail link that lets one person join an organisation in one role; expiring, single use."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organization.name}"

    def clean(self) -> None:
        if self.organization_id is not None:
            validate_role_for_kind(self.role, self.organization.kind)

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        """pending, accepted, revoked or expired (in that order of precedence)."""
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return str(InvitationStatus(self.status).label)


class ApiToken(models.Model):
    """A personal token for machine clients. Only its SHA-256 is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
