"""Fixtures of the councils tests: one council of the host with a chair (partner A), a member of partner
B and a member of a third partner C; a PDF upload."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sangsaeng.councils.models import Council, CouncilMember, MemberRole
from sangsaeng.councils.tests.factories import make_council, seat
from sangsaeng.partners.tests.factories import make_partner_owner

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Board:
    council: Council
    chair: CouncilMember  # cast.partner_owner (partner A)
    member_b: CouncilMember  # cast.other_partner_owner (partner B)
    member_c: CouncilMember  # a third partner's owner
    third_owner: object


@pytest.fixture
def board(cast) -> Board:
    council = make_council(cast.host)
    _partner_c, owner_c = make_partner_owner(name_ko="사아자네트웍스")
    return Board(
        council=council,
        chair=seat(council, cast.partner_owner, MemberRole.CHAIR),
        member_b=seat(council, cast.other_partner_owner),
        member_c=seat(council, owner_c),
        third_owner=owner_c,
    )


@pytest.fixture
def pdf():
    return SimpleUploadedFile("발표자료.pdf", PDF_BYTES, content_type="application/pdf")
