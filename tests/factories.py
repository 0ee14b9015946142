from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from courtexec.models import Court, User

PASSWORD = "correct horse battery staple"


class CourtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Court
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试第{n}基层人民法院")
    code = factory.Sequence(lambda n: f"浙{1000 + n:04d}")
    level = Court.Level.BASIC


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    court = factory.SubFactory(CourtFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=[role.value for role in extracted]))
