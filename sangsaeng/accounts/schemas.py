"""API schemas of accounts: separate input (XxxIn) and output (XxxOut) shapes."""

from datetime import datetime

from ninja import Field, Schema

from sangsaeng.accounts.models import InvitationStatus, OrganizationKind, Role
from sangsaeng.core.schemas import Id


class OrganizationOut(Schema):
    id: int
    kind: OrganizationKind
    name: str
    name_en: str
    is_active: bool


class MeOut(Schema):
    id: int
    email: str
    name: str
    phone: str
    language: str
    organization: OrganizationOut | None
    role: Role | None


class MemberOut(Schema):
    """A person's membership. E-mail and phone are masked outside the viewer's own organisation."""

    id: int = Field(..., description="Membership id")
    user_id: int
    name: str
    email: str
    phone: str
    role: Role
    title: str
    is_active: bool
    created_at: datetime
    deactivated_at: datetime | None


class MemberPageOut(Schema):
    items: list[MemberOut]
    count: int


class InvitationIn(Schema):
    email: str = Field(..., max_length=254)
    role: Role
    organization_id: Id | None = Field(
        None, description="Defaults to your own organisation (host admins: a bank or agency id)."
    )


class InvitationOut(Schema):
    id: int
    organization_id: int
    email: str
    role: Role
    status: InvitationStatus
    invited_by_id: int
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


class ApiTokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(..., description="The first characters of the token, to tell tokens apart")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiTokenCreatedOut(ApiTokenOut):
    token: str = Field(..., description="The secret token. Shown once: store it now.")
