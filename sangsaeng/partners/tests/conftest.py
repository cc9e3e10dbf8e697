"""Fixtures of the partner tests: sign-up input, a pending partner, uploads, English for text checks."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sangsaeng.accounts.models import Role
from sangsaeng.accounts.tests.factories import MembershipFactory, UserFactory
from sangsaeng.partners.models import PartnerStatus
from sangsaeng.partners.tests.factories import PartnerFactory

VALID_BRN = "116-82-00276"  # DOMAIN.md §0 vectors
OTHER_VALID_BRN = "134-86-72683"
INVALID_BRN = "116-82-00278"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def company_profile(**overrides):
    """What a company types at sign-up (a 중기업 in electronic components by the seeded tables)."""
    values = {
        "brn": VALID_BRN,
        "corporate_number": "",
        "name_ko": "새빛전자",
        "name_en": "Saebit Electronics",
        "ceo_name": "이대표",
        "address": "서울특별시 중구 세종대로 110",
        "founded_on": None,
        "employees": 40,
        "ksic_code": "26110",
        "average_revenue_krw": 20_000_000_000,
        "total_assets_krw": 10_000_000_000,
        "in_disclosed_group": False,
        "owned_by_large_firm": False,
        "tier": 1,
        "capabilities": "5G 중계기 설계",
        "capability_tags": "5G, RF",
    }
    values.update(overrides)
    return values


@pytest.fixture
def pending(db):
    """A partner waiting for review, with its owner (the person who signed it up)."""
    partner = PartnerFactory(status=PartnerStatus.PENDING)
    owner = UserFactory(email="pending-owner@partner.example", language="en")
    MembershipFactory(user=owner, organization=partner.organization, role=Role.OWNER)
    partner.created_by = owner
    partner.save(update_fields=["created_by"])
    partner.owner = owner
    return partner


def pdf_upload(name="certificate.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name="scan.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")
