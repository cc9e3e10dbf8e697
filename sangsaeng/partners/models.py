"""Partner registry (협력사): company profile, size classification, collaboration fields, onboarding."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts.models import Organization


class PartnerStatus(models.TextChoices):
    PENDING = "pending", _("Under review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class SizeClass(models.TextChoices):
    """Company size under the Framework Act on SMEs (중소기업기본법)."""

    SMALL = "small", _("Small enterprise (소기업)")
    MEDIUM = "medium", _("Medium enterprise (중기업)")
    MIDDLE_MARKET = "middle_market", _("Middle-market enterprise (중견기업)")
    LARGE = "large", _("Large enterprise (대기업)")


SME_CLASSES = (SizeClass.SMALL, SizeClass.MEDIUM)


class Tier(models.IntegerChoices):
    FIRST = 1, _("Tier 1 (1차)")
    SECOND = 2, _("Tier 2 (2차)")
    THIRD = 3, _("Tier 3 (3차)")
    FOURTH = 4, _("Tier 4 (4차)")


class SizeStandard(models.Model):
    """A versioned table of SME thresholds (e.g. 2015–2025, the 2026 revision)."""

    name = models.CharField(_("name"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    total_assets_limit_krw = models.BigIntegerField(
        _("SME total assets limit (KRW)"), default=500_000_000_000
    )
    middle_market_assets_limit_krw = models.BigIntegerField(
        _("middle-market total assets limit (KRW)"), default=10_000_000_000_000
    )
    default_medium_limit_krw = models.BigIntegerField(
        _("default SME revenue limit (KRW)"), default=40_000_000_000
    )
    default_small_limit_krw = models.BigIntegerField(
        _("default small-enterprise revenue limit (KRW)"), default=1_000_000_000
    )

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="size_standard_dates",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SizeStandardBand(models.Model):
    """The revenue thresholds of one industry (KSIC division, 2 digits) in one standard."""

    standard = models.ForeignKey(SizeStandard, on_delete=models.CASCADE, related_name="bands")
    ksic_division = models.CharField(_("KSIC division"), max_length=2)
    industry_label = models.CharField(_("industry"), max_length=120)
    medium_limit_krw = models.BigIntegerField(_("SME 3-year average revenue limit (KRW)"))
    small_limit_krw = models.BigIntegerField(_("small-enterprise 3-year average revenue limit (KRW)"))

    class Meta:
        ordering = ["standard", "ksic_division"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "ksic_division"], name="one_band_per_division"),
            models.CheckConstraint(
                condition=Q(small_limit_krw__lte=models.F("medium_limit_krw")), name="band_small_le_medium"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard} {self.ksic_division} {self.industry_label}"


class CollaborationField(models.Model):
    """A field of collaboration (협력 분야): a dated, editable taxonomy."""

    class Kind(models.TextChoices):
        LEGACY = "legacy", _("Collaboration field (before 2018)")
        BUSINESS_AREA = "business_area", _("Business area (from 2018)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "sort_order", "code"]

    def __str__(self) -> str:
        return self.name_ko


class PartnerDecision(models.TextChoices):
    """What the host decides on a partner during onboarding and afterwards."""

    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    SUSPEND = "suspend", _("Suspend")
    REINSTATE = "reinstate", _("Reinstate")


# Each decision: the statuses it applies to and the status it leads to (within Partner.TRANSITIONS).
DECISION_RULES: dict[str, tuple[tuple[str, ...], str]] = {
    PartnerDecision.APPROVE: ((PartnerStatus.PENDING,), PartnerStatus.APPROVED),
    PartnerDecision.REJECT: (
        (PartnerStatus.PENDING, PartnerStatus.CHANGES_REQUESTED),
        PartnerStatus.REJECTED,
    ),
    PartnerDecision.REQUEST_CHANGES: ((PartnerStatus.PENDING,), PartnerStatus.CHANGES_REQUESTED),
    PartnerDecision.SUSPEND: ((PartnerStatus.APPROVED,), PartnerStatus.SUSPENDED),
    PartnerDecision.REINSTATE: ((PartnerStatus.SUSPENDED,), PartnerStatus.APPROVED),
}
# The partner must be told why (DESIGN.md rule 7).
DECISIONS_NEEDING_REASON = (PartnerDecision.REJECT, PartnerDecision.REQUEST_CHANGES, PartnerDecision.SUSPEND)


class Partner(models.Model):
    """A partner company (협력사). Identified by its business registration number (사업자등록번호)."""

    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        PartnerStatus.PENDING: (
            PartnerStatus.APPROVED,
            PartnerStatus.REJECTED,
            PartnerStatus.CHANGES_REQUESTED,
        ),
        PartnerStatus.CHANGES_REQUESTED: (PartnerStatus.PENDING, PartnerStatus.REJECTED),
        PartnerStatus.APPROVED: (PartnerStatus.SUSPENDED,),
        PartnerStatus.SUSPENDED: (PartnerStatus.APPROVED,),
        PartnerStatus.REJECTED: (PartnerStatus.PENDING,),
    }
    # The partner must be told why (DESIGN.md rule 7).
    REASON_REQUIRED: ClassVar[frozenset[str]] = frozenset(
        {PartnerStatus.REJECTED, PartnerStatus.CHANGES_REQUESTED, PartnerStatus.SUSPENDED}
    )

    organization = models.OneToOneField(Organization, on_delete=models.PROTECT, related_name="partner")
    status = models.CharField(
        _("status"), max_length=20, choices=PartnerStatus.choices, default=PartnerStatus.PENDING
    )
    status_reason = models.TextField(_("reason"), blank=True)
    brn = models.CharField(_("business registration number"), max_length=10, unique=True)
    corporate_number = models.CharField(_("corporate registration number"), max_length=13, blank=True)
    name_ko = models.CharField(_("company name (Korean)"), max_length=200)
    name_en = models.CharField(_("company name (English)"), max_length=200, blank=True)
    ceo_name = models.CharField(_("CEO"), max_length=100)
    address = models.CharField(_("address"), max_length=300, blank=True)
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    ksic_code = models.CharField(_("main industry (KSIC code)"), max_length=5)
    average_revenue_krw = models.BigIntegerField(_("3-year average revenue (KRW)"), null=True, blank=True)
    total_assets_krw = models.BigIntegerField(_("total assets (KRW)"), null=True, blank=True)
    in_disclosed_group = models.BooleanField(
        _("belongs to a disclosed business group (공시대상기업집단)"), default=False
    )
    owned_by_large_firm = models.BooleanField(
        # xgettext:no-python-format
        _("≥30 % owned as largest shareholder by a firm with total assets ≥ 5,000억"),
        default=False,
    )
    size_class = models.CharField(
        _("size class"), max_length=16, choices=SizeClass.choices, blank=True, db_index=True
    )
    size_basis = models.JSONField(_("size basis"), default=dict, blank=True)
    size_computed_on = models.DateField(_("size computed on"), null=True, blank=True)
    size_standard = models.ForeignKey(
        SizeStandard, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tier = models.PositiveSmallIntegerField(
        _("tier"), choices=Tier.choices, default=Tier.FIRST, db_index=True
    )
    fair_trade_agreement = models.BooleanField(_("fair-trade agreement signed (공정거래협약)"), default=False)
    fair_trade_agreement_on = models.DateField(_("fair-trade agreement date"), null=True, blank=True)
    fields = models.ManyToManyField(
        CollaborationField, through="PartnerField", related_name="partners", blank=True
    )
    capabilities = models.TextField(_("capabilities"), blank=True)
    capability_tags = models.CharField(
        _("capability tags"), max_length=500, blank=True, help_text=_("Comma-separated")
    )
    is_representative = models.BooleanField(_("representative partner"), default=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name_ko"]
        constraints = [
            models.CheckConstraint(condition=Q(brn__regex=r"^[0-9]{10}$"), name="partner_brn_ten_digits"),
            models.CheckConstraint(condition=Q(tier__gte=1, tier__lte=4), name="partner_tier_1_to_4"),
            models.CheckConstraint(
                condition=Q(average_revenue_krw__isnull=True) | Q(average_revenue_krw__gte=0),
                name="partner_revenue_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(total_assets_krw__isnull=True) | Q(total_assets_krw__gte=0),
                name="partner_assets_nonneg",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "name_ko"], name="partner_status_name"),
            # The directory's default order (name, then id) read straight from an index, page by page.
            models.Index(fields=["name_ko", "id"], name="partner_name_id"),
            models.Index(fields=["created_at"], name="partner_created"),
        ]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name_ko

    @property
    def brn_display(self) -> str:
        return f"{self.brn[:3]}-{self.brn[3:5]}-{self.brn[5:]}"

    @property
    def tags(self) -> list[str]:
        return [tag.strip() for tag in self.capability_tags.split(",") if tag.strip()]


class PartnerField(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="field_links")
    field = models.ForeignKey(CollaborationField, on_delete=models.PROTECT, related_name="partner_links")
    is_representative = models.BooleanField(_("representative of this field"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "field"], name="partner_field_once"),
            # One representative partner stands for a field (DOMAIN.md §0).
            models.UniqueConstraint(
                fields=["field"], condition=Q(is_representative=True), name="one_representative_per_field"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.field}"


class Contact(models.Model):
    """A person at the partner the host may contact. Personal data: access is logged (PIPA)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=100)
    department = models.CharField(_("department / title"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_primary", "name"]

    def __str__(self) -> str:
        return self.name


class DocumentKind(models.TextChoices):
    BUSINESS_REGISTRATION = "business_registration", _("Business registration certificate (사업자등록증)")
    SME_CONFIRMATION = "sme_confirmation", _("SME confirmation (중소기업확인서)")
    FAIR_TRADE_AGREEMENT = "fair_trade_agreement", _("Fair-trade agreement (공정거래협약서)")
    CREDIT_RATING = "credit_rating", _("Credit rating report")
    OTHER = "other", _("Other")


class PartnerDocument(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document type"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(upload_to="partners/documents/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class PartnerStatusChange(models.Model):
    """The onboarding timeline the partner sees: every decision with its reason."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=PartnerStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=PartnerStatus.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.from_status} → {self.to_status}"
