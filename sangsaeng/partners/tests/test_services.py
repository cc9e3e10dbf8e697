"""Services of the partner registry: sign-up, profile, decisions, contacts, documents, fields."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from sangsaeng.accounts.models import Membership, Organization, OrganizationKind, Role, User
from sangsaeng.accounts.tests.factories import UserFactory
from sangsaeng.core.models import AuditEvent, Notification
from sangsaeng.partners import services
from sangsaeng.partners.models import (
    SME_CLASSES,
    CollaborationField,
    Contact,
    DocumentKind,
    Partner,
    PartnerDocument,
    PartnerStatus,
    PartnerStatusChange,
)
from sangsaeng.partners.tests.conftest import (
    INVALID_BRN,
    OTHER_VALID_BRN,
    company_profile,
    pdf_upload,
    png_upload,
)
from sangsaeng.partners.tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db

ACCOUNT = {"email": "owner@new.example", "name": "이대표", "password": "a-long-Passphrase-42"}


def _snapshot():
    return (
        User.objects.count(),
        Organization.objects.count(),
        Partner.objects.count(),
        Membership.objects.count(),
        PartnerStatusChange.objects.count(),
        AuditEvent.objects.count(),
    )


# --- Sign-up --------------------------------------------------------------------------------------


def test_sign_up_creates_owner_company_membership_history_and_one_audit_event(cast, english):
    audit_before = AuditEvent.objects.count()

    partner = services.sign_up_partner(
        privacy_consent=True, actor=AnonymousUser(), profile=company_profile(), **ACCOUNT
    )

    partner.refresh_from_db()
    assert partner.status == PartnerStatus.PENDING
    assert partner.brn == "1168200276"
    assert partner.organization.kind == OrganizationKind.PARTNER
    assert partner.organization.name == "새빛전자"
    owner = User.objects.get(email="owner@new.example")
    assert owner.check_password(ACCOUNT["password"])
    assert partner.created_by == owner
    assert Membership.objects.get(user=owner).role == Role.OWNER
    assert list(partner.status_changes.values_list("from_status", "to_status")) == [("", "pending")]
    assert partner.size_class in SME_CLASSES and partner.size_standard is not None
    events = AuditEvent.objects.filter(seq__gt=audit_before)
    assert [e.action for e in events] == ["partners.sign_up_partner"]
    assert "password" not in str(events[0].changes)


def test_sign_up_notifies_host_admins_and_programme_managers_only(cast):
    services.sign_up_partner(privacy_consent=True, actor=None, profile=company_profile(), **ACCOUNT)

    recipients = set(Notification.objects.values_list("recipient__email", flat=True))
    assert recipients == {"admin@host.example", "pm@host.example"}


def test_sign_up_with_a_registered_brn_is_refused_naming_the_rule(cast, english):
    PartnerFactory(brn="1168200276")
    before = _snapshot()

    with pytest.raises(ValidationError) as caught:
        services.sign_up_partner(
            privacy_consent=True, actor=None, profile=company_profile(brn="116 82 00276"), **ACCOUNT
        )

    assert (
        "one partner per business registration number (사업자등록번호)" in caught.value.message_dict["brn"][0]
    )
    assert _snapshot() == before


def test_sign_up_with_a_wrong_check_digit_reports_the_brn_field(db, english):
    before = _snapshot()

    with pytest.raises(ValidationError) as caught:
        services.sign_up_partner(
            privacy_consent=True, actor=None, profile=company_profile(brn=INVALID_BRN), **ACCOUNT
        )

    assert [e.code for e in caught.value.error_dict["brn"]] == ["brn_checksum"]
    assert _snapshot() == before


def test_sign_up_accepts_full_width_digits(db):
    partner = services.sign_up_partner(
        privacy_consent=True, actor=None, profile=company_profile(brn="１３４－８６－７２６８３"), **ACCOUNT
    )

    assert partner.brn == "1348672683"


def test_sign_up_reports_every_problem_at_once(db):
    with pytest.raises(ValidationError) as caught:
        services.sign_up_partner(
            privacy_consent=True,
            actor=None,
            profile=company_profile(brn="12", ksic_code="abc", ceo_name=""),
            email="not-an-email",
            name="",
            password="123",
        )

    assert {"brn", "ksic_code", "ceo_name", "email", "name", "password"} <= set(caught.value.error_dict)


def test_a_logged_in_person_without_organisation_becomes_the_owner(db):
    person = UserFactory()
    users_before = User.objects.count()

    partner = services.sign_up_partner(privacy_consent=True, actor=person, profile=company_profile())

    assert User.objects.count() == users_before
    assert partner.created_by == person
    assert Membership.objects.get(user=person, is_active=True).organization == partner.organization


def test_a_member_of_an_organisation_cannot_register_another_company(cast):
    before = _snapshot()

    with pytest.raises(PermissionDenied):
        services.sign_up_partner(privacy_consent=True, actor=cast.partner_owner, profile=company_profile())

    assert _snapshot() == before


def test_sign_up_normalises_decomposed_hangul_and_tags(db):
    import unicodedata

    partner = services.sign_up_partner(
        privacy_consent=True,
        actor=None,
        profile=company_profile(
            name_ko=unicodedata.normalize("NFD", "새빛전자"), capability_tags=" 5G ,rf, 5g,,"
        ),
        **ACCOUNT,
    )

    assert partner.name_ko == "새빛전자"
    assert partner.capability_tags == "5G, rf"


# --- Decisions ----------------------------------------------------------------------------------


def test_approving_records_history_audit_and_notifies_the_owner_after_commit(
    cast, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        partner = services.decide_partner(actor=cast.host_admin, partner=pending, decision="approve")

    partner.refresh_from_db()
    assert partner.status == PartnerStatus.APPROVED and partner.approved_at is not None
    change = partner.status_changes.first()
    assert (change.from_status, change.to_status, change.actor) == ("pending", "approved", cast.host_admin)
    assert AuditEvent.objects.first().action == "partners.approve_partner"
    assert [m.to for m in mail.outbox] == [[pending.owner.email]]
    assert "Approved" in mail.outbox[0].subject  # the owner reads English


def test_rejecting_tells_the_owner_the_reason(cast, pending, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_partner(
            actor=cast.program_manager, partner=pending, decision="reject", reason="사업자등록증이 없습니다"
        )

    pending.refresh_from_db()
    assert pending.status == PartnerStatus.REJECTED
    assert pending.status_reason == "사업자등록증이 없습니다"
    notification = Notification.objects.get(recipient=pending.owner)
    assert "사업자등록증이 없습니다" in notification.body
    assert len(mail.outbox) == 1 and "사업자등록증이 없습니다" in mail.outbox[0].body


@pytest.mark.parametrize("decision", ["reject", "request_changes"])
def test_a_decision_that_needs_a_reason_is_refused_without_one(cast, pending, decision, english):
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.decide_partner(actor=cast.host_admin, partner=pending, decision=decision, reason="  ")

    assert "reason" in caught.value.error_dict
    pending.refresh_from_db()
    assert pending.status == PartnerStatus.PENDING
    assert AuditEvent.objects.count() == before
    assert pending.status_changes.count() == 0


@pytest.mark.parametrize(
    ("status", "decision"),
    [
        (PartnerStatus.APPROVED, "approve"),
        (PartnerStatus.PENDING, "reinstate"),
        (PartnerStatus.PENDING, "suspend"),
        (PartnerStatus.REJECTED, "approve"),
        (PartnerStatus.SUSPENDED, "approve"),
        (PartnerStatus.CHANGES_REQUESTED, "approve"),
    ],
)
def test_transitions_outside_the_workflow_are_refused_and_change_nothing(cast, status, decision, english):
    partner = PartnerFactory(status=status)
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.decide_partner(actor=cast.host_admin, partner=partner, decision=decision, reason="why")

    assert caught.value.error_dict["decision"][0].code == "invalid_transition"
    assert "Allowed now" in caught.value.message_dict["decision"][0]
    partner.refresh_from_db()
    assert partner.status == status
    assert AuditEvent.objects.count() == before


def test_suspending_and_reinstating_follow_the_workflow(cast):
    partner = cast.partner

    services.decide_partner(
        actor=cast.host_admin, partner=partner, decision="suspend", reason="계약 위반 조사"
    )
    services.decide_partner(actor=cast.host_admin, partner=partner, decision="reinstate")

    partner.refresh_from_db()
    assert partner.status == PartnerStatus.APPROVED
    assert list(partner.status_changes.values_list("to_status", flat=True)) == ["approved", "suspended"]


def test_no_one_approves_the_company_they_registered(cast, pending):
    pending.created_by = cast.host_admin
    pending.save(update_fields=["created_by"])
    before = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        services.decide_partner(actor=cast.host_admin, partner=pending, decision="approve")

    pending.refresh_from_db()
    assert pending.status == PartnerStatus.PENDING
    assert AuditEvent.objects.count() == before


def test_a_host_decider_cannot_decide_on_their_own_organisation(cast):
    partner = PartnerFactory(status=PartnerStatus.PENDING, organization=cast.host)

    with pytest.raises(PermissionDenied):
        services.decide_partner(actor=cast.program_manager, partner=partner, decision="approve")

    partner.refresh_from_db()
    assert partner.status == PartnerStatus.PENDING


@pytest.mark.parametrize("who", ["reviewer", "auditor", "lab_operator", "loan_officer", "observer"])
def test_only_admins_and_programme_managers_decide(cast, pending, who):
    before = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        services.decide_partner(actor=getattr(cast, who), partner=pending, decision="approve")

    pending.refresh_from_db()
    assert pending.status == PartnerStatus.PENDING
    assert AuditEvent.objects.count() == before


def test_the_owner_cannot_approve_their_own_company(pending):
    with pytest.raises(PermissionDenied):
        services.decide_partner(actor=pending.owner, partner=pending, decision="approve")

    pending.refresh_from_db()
    assert pending.status == PartnerStatus.PENDING


def test_the_owner_resubmits_after_a_change_request(cast, pending):
    services.decide_partner(
        actor=cast.host_admin, partner=pending, decision="request_changes", reason="주소 누락"
    )

    partner = services.resubmit_partner(actor=pending.owner, partner=pending, note="주소를 넣었습니다")

    assert partner.status == PartnerStatus.PENDING and partner.status_reason == ""
    assert partner.status_changes.first().reason == "주소를 넣었습니다"
    assert AuditEvent.objects.first().action == "partners.resubmit_partner"


def test_a_member_cannot_resubmit_and_an_approved_partner_cannot_be_resubmitted(cast):
    with pytest.raises(PermissionDenied):
        services.resubmit_partner(actor=cast.partner_member, partner=cast.partner)
    with pytest.raises(ValidationError):
        services.resubmit_partner(actor=cast.partner_owner, partner=cast.partner)

    cast.partner.refresh_from_db()
    assert cast.partner.status == PartnerStatus.APPROVED


# --- Profile ------------------------------------------------------------------------------------


def test_the_owner_edits_the_profile_and_the_change_is_audited_with_a_diff(cast):
    services.update_partner(actor=cast.partner_member, partner=cast.partner, changes={"name_en": "GND Tech"})

    cast.partner.refresh_from_db()
    assert cast.partner.name_en == "GND Tech"
    assert cast.partner.organization.name_en == "GND Tech"
    event = AuditEvent.objects.first()
    assert event.action == "partners.update_partner"
    assert event.changes["name_en"][1] == "GND Tech"


def test_the_brn_is_locked_for_the_partner_after_approval(cast, english):
    before = AuditEvent.objects.count()
    brn = cast.partner.brn

    with pytest.raises(ValidationError) as caught:
        services.update_partner(
            actor=cast.partner_owner, partner=cast.partner, changes={"brn": OTHER_VALID_BRN}
        )

    assert caught.value.error_dict["brn"][0].code == "locked_after_approval"
    cast.partner.refresh_from_db()
    assert cast.partner.brn == brn
    assert AuditEvent.objects.count() == before


def test_a_host_decider_changes_the_brn_and_name_after_approval(cast):
    services.update_partner(
        actor=cast.host_admin,
        partner=cast.partner,
        changes={"brn": OTHER_VALID_BRN, "name_ko": "가나다테크놀로지"},
    )

    cast.partner.refresh_from_db()
    assert cast.partner.brn == "1348672683"
    assert cast.partner.organization.name == "가나다테크놀로지"


def test_the_brn_can_be_corrected_before_approval(pending):
    services.update_partner(actor=pending.owner, partner=pending, changes={"brn": OTHER_VALID_BRN})

    pending.refresh_from_db()
    assert pending.brn == "1348672683"


def test_changing_to_a_registered_brn_is_refused(cast, english):
    with pytest.raises(ValidationError) as caught:
        services.update_partner(
            actor=cast.host_admin, partner=cast.partner, changes={"brn": cast.other_partner.brn}
        )

    assert "one partner per business registration number" in caught.value.message_dict["brn"][0]


def test_revenue_change_recomputes_the_size_class(cast):
    partner = cast.partner
    services.update_partner(
        actor=cast.partner_owner,
        partner=partner,
        changes={"average_revenue_krw": 500_000_000, "total_assets_krw": 1_000_000_000},
    )
    partner.refresh_from_db()
    assert partner.size_class == "small"

    services.update_partner(actor=cast.partner_owner, partner=partner, changes={"in_disclosed_group": True})

    partner.refresh_from_db()
    assert partner.size_class == "large"
    assert partner.size_basis["rule"] == "disclosed_group"


def test_saving_an_unchanged_profile_writes_nothing(cast):
    before = AuditEvent.objects.count()

    services.update_partner(
        actor=cast.partner_owner, partner=cast.partner, changes={"name_ko": cast.partner.name_ko}
    )

    assert AuditEvent.objects.count() == before


def test_the_partner_cannot_set_the_fair_trade_agreement_but_the_host_can(cast):
    with pytest.raises(ValidationError) as caught:
        services.update_partner(
            actor=cast.partner_owner, partner=cast.partner, changes={"fair_trade_agreement": True}
        )
    assert "fair_trade_agreement" in caught.value.error_dict

    services.update_partner(
        actor=cast.host_admin, partner=cast.partner, changes={"fair_trade_agreement": True}
    )
    cast.partner.refresh_from_db()
    assert cast.partner.fair_trade_agreement is True


@pytest.mark.parametrize("who", ["other_partner_owner", "reviewer", "auditor", "loan_officer", "observer"])
def test_others_cannot_edit_the_profile(cast, who):
    before = AuditEvent.objects.count()

    with pytest.raises(PermissionDenied):
        services.update_partner(actor=getattr(cast, who), partner=cast.partner, changes={"name_en": "X"})

    cast.partner.refresh_from_db()
    assert cast.partner.name_en != "X"
    assert AuditEvent.objects.count() == before


# --- Contacts -----------------------------------------------------------------------------------


def test_contacts_are_added_with_one_primary_and_audited_masked(cast):
    first = services.add_contact(
        actor=cast.partner_owner,
        partner=cast.partner,
        values={
            "name": "홍길동",
            "email": "Hong@Partner.example",
            "phone": "010-1234-5678",
            "is_primary": True,
        },
    )
    second = services.add_contact(
        actor=cast.partner_owner, partner=cast.partner, values={"name": "김영희", "is_primary": True}
    )

    first.refresh_from_db()
    assert first.email == "hong@partner.example"
    assert (first.is_primary, second.is_primary) == (False, True)
    event = AuditEvent.objects.filter(action="partners.add_contact").order_by("seq").first()
    assert "hong@partner.example" not in str(event.changes) and "010-1234-5678" not in str(event.changes)


def test_contact_changes_and_removal_are_audited(cast):
    contact = ContactFactory(partner=cast.partner)

    services.update_contact(actor=cast.host_admin, contact=contact, values={"department": "영업팀"})
    services.remove_contact(actor=cast.partner_owner, contact=contact)

    assert not Contact.objects.filter(pk=contact.pk).exists()
    actions = list(AuditEvent.objects.order_by("-seq").values_list("action", flat=True)[:2])
    assert actions == ["partners.remove_contact", "partners.update_contact"]


def test_a_bad_phone_number_is_a_field_error(cast):
    with pytest.raises(ValidationError) as caught:
        services.add_contact(
            actor=cast.partner_owner, partner=cast.partner, values={"name": "홍", "phone": "12"}
        )

    assert "phone" in caught.value.error_dict
    assert not Contact.objects.exists()


def test_other_partners_and_readers_cannot_change_contacts(cast):
    for who in (cast.other_partner_owner, cast.auditor, cast.reviewer):
        with pytest.raises(PermissionDenied):
            services.add_contact(actor=who, partner=cast.partner, values={"name": "X"})
    assert not Contact.objects.exists()


# --- Documents ----------------------------------------------------------------------------------


def test_a_pdf_is_stored_under_a_random_name(cast):
    document = services.upload_document(
        actor=cast.partner_owner,
        partner=cast.partner,
        kind=DocumentKind.BUSINESS_REGISTRATION,
        upload=pdf_upload("사업자등록증.pdf"),
    )

    assert document.original_name == "사업자등록증.pdf"
    assert "사업자등록증" not in document.file.name
    assert document.content_type == "application/pdf"
    assert document.file.read().startswith(b"%PDF-")
    assert AuditEvent.objects.first().action == "partners.upload_document"


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (pdf_upload("virus.exe"), "file_type"),
        (pdf_upload("fake.pdf", content=b"MZ\x90\x00 not a pdf"), "file_content"),
        (png_upload("looks.jpg"), "file_content"),
        (pdf_upload("empty.pdf", content=b""), "file_empty"),
    ],
)
def test_wrong_files_are_refused(cast, upload, code):
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.upload_document(actor=cast.partner_owner, partner=cast.partner, kind="other", upload=upload)

    assert caught.value.error_dict["file"][0].code == code
    assert not PartnerDocument.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_file_over_the_limit_is_refused(cast, settings):
    settings.MAX_DOCUMENT_BYTES = 1024

    with pytest.raises(ValidationError) as caught:
        services.upload_document(
            actor=cast.partner_owner,
            partner=cast.partner,
            kind="other",
            upload=pdf_upload(content=b"%PDF-1.4" + b"0" * 2000),
        )

    assert caught.value.error_dict["file"][0].code == "file_size"
    assert not PartnerDocument.objects.exists()


def test_deleting_a_document_removes_the_file_after_commit(cast, django_capture_on_commit_callbacks):
    document = services.upload_document(
        actor=cast.partner_owner, partner=cast.partner, kind="other", upload=pdf_upload()
    )
    storage, name = document.file.storage, document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_document(actor=cast.partner_owner, document=document)

    assert not PartnerDocument.objects.exists()
    assert not storage.exists(name)


def test_another_partner_cannot_upload_documents(cast):
    with pytest.raises(PermissionDenied):
        services.upload_document(
            actor=cast.other_partner_owner, partner=cast.partner, kind="other", upload=pdf_upload()
        )
    assert not PartnerDocument.objects.exists()


# --- Collaboration fields -------------------------------------------------------------------------


def test_the_host_sets_fields_and_a_representative(cast):
    technology = CollaborationField.objects.get(code="area-technology")
    network = CollaborationField.objects.get(code="area-network")

    services.set_partner_fields(
        actor=cast.host_admin,
        partner=cast.partner,
        field_ids=[technology.pk, network.pk],
        representative_field_ids=[technology.pk],
    )

    cast.partner.refresh_from_db()
    assert cast.partner.is_representative is True
    assert set(cast.partner.field_links.values_list("field__code", "is_representative")) == {
        ("area-technology", True),
        ("area-network", False),
    }
    assert AuditEvent.objects.first().changes["representative_of"] == [[], ["area-technology"]]


def test_a_field_has_one_representative_and_the_message_names_it(cast, english):
    technology = CollaborationField.objects.get(code="area-technology")
    services.set_partner_fields(
        actor=cast.host_admin,
        partner=cast.partner,
        field_ids=[technology.pk],
        representative_field_ids=[technology.pk],
    )
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.set_partner_fields(
            actor=cast.host_admin,
            partner=cast.other_partner,
            field_ids=[technology.pk],
            representative_field_ids=[technology.pk],
        )

    message = caught.value.message_dict["representative_fields"][0]
    assert cast.partner.name_ko in message and "기술" in message
    assert not cast.other_partner.field_links.exists()
    assert AuditEvent.objects.count() == before


def test_partners_cannot_set_their_own_fields(cast):
    technology = CollaborationField.objects.get(code="area-technology")

    with pytest.raises(PermissionDenied):
        services.set_partner_fields(actor=cast.partner_owner, partner=cast.partner, field_ids=[technology.pk])

    assert not cast.partner.field_links.exists()
