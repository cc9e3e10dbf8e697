"""Outcomes of overseas support (성과): meetings, MOUs and contracts per exhibition application, and
export amounts in their currency with KRW at an exchange rate the host records with its date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangsaeng.overseas.models.exhibitions import ExhibitionApplication
from sangsaeng.partners.models import Partner


class ExchangeRate(models.Model):
    """KRW per one unit of a currency on a date, as the host records it (e.g. the 매매기준율)."""

    currency = models.CharField(_("currency"), max_length=3)
    rate_date = models.DateField(_("rate date"))
    krw_per_unit = models.DecimalField(_("KRW per unit"), max_digits=14, decimal_places=4)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency", "-rate_date"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "rate_date"], name="ovs_rate_once_a_day"),
            models.CheckConstraint(condition=Q(krw_per_unit__gt=0), name="ovs_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.krw_per_unit} ({self.rate_date})"


class ExhibitionOutcome(models.Model):
    """What an exhibition brought a partner: business meetings held, MOUs and contracts signed."""

    application = models.OneToOneField(
        ExhibitionApplication, on_delete=models.PROTECT, related_name="outcome"
    )
    meetings_held = models.PositiveIntegerField(_("business meetings held"), default=0)
    mous = models.PositiveIntegerField(_("MOUs signed"), default=0)
    contracts = models.PositiveIntegerField(_("contracts signed"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("exhibition outcome")
        verbose_name_plural = _("exhibition outcomes")

    def __str__(self) -> str:
        return str(self.application)


class ExportRecord(models.Model):
    """An export amount (수출액) a partner reports, in its currency and in KRW at the recorded rate."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="export_records")
    application = models.ForeignKey(
        ExhibitionApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="exports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    country = models.CharField(_("country"), max_length=80)
    currency = models.CharField(_("currency"), max_length=3)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    rate = models.ForeignKey(ExchangeRate, on_delete=models.PROTECT, related_name="+")
    amount_krw = models.BigIntegerField(_("amount (KRW)"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "country", "id"]
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        indexes = [models.Index(fields=["partner", "year"], name="ovs_export_partner_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount_krw__gte=0), name="ovs_export_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.year} {self.country}"
