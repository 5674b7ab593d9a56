"""The demo fixture copies seed_demo's rows back instead of running it for every test
(tests/demo_snapshot.py): a test that made rows of its own first keeps them."""

import pytest
from django.contrib.auth.models import Group

from portal.models import Area


@pytest.fixture(params=["第一组", "第二组"])
def own_group(request, db):
    return Group.objects.create(name=request.param)


def test_rows_made_before_the_demo_are_kept(own_group, demo):
    assert Group.objects.filter(name=own_group.name).exists()
    assert not Group.objects.filter(name__in={"第一组", "第二组"} - {own_group.name}).exists()
    assert set(Area.objects.values_list("slug", flat=True)) == {"xuhuiyuan", "wanliu"}
