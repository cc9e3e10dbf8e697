from __future__ import annotations

import factory

from sangsaeng.accounts.models import Membership, Organization, OrganizationKind, Role, User

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"사용자{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = OrganizationKind.PARTNER
    name = factory.Sequence(lambda n: f"조직{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.MEMBER


def make_member(kind: str, role: str, organization: Organization | None = None, **user_fields) -> User:
    """A user with an active membership in an organisation of the given kind."""
    organization = organization or OrganizationFactory(kind=kind)
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organization=organization, role=role)
    return user
