"""Fixtures of the use-case tests: gate scores, a sponsored use case, a PDF upload."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sangsaeng.usecases.tests.factories import make_use_case

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SCORES = {"fit": 4, "feasibility": 3, "market": 5, "capability": 4}


@pytest.fixture
def pdf():
    return SimpleUploadedFile("제안서.pdf", PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def sponsored(cast):
    """A submitted use case of the cast's partner with the reviewer as sponsor."""
    return make_use_case(cast.partner, cast.partner_owner, sponsor=cast.reviewer)
