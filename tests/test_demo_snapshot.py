"""The demo fixture copies seed_demo's rows back instead of running it for every test
(tests/demo_snapshot.py): a test that made rows of its own first keeps them."""

import pytest
from django.contrib.auth.models import Group

from portal.models import Area
from tests import demo_snapshot


def test_the_demo_is_copied_back_for_a_test_that_made_nothing_first(demo):
    # Run first in this file, so the copy exists for the tests below whatever ran before.
    assert demo_snapshot._snapshot is not None
    assert set(demo) == {"xuhuiyuan", "wanliu"}


@pytest.fixture(params=["第一组", "第二组"])
def own_group(request, db):
    return Group.objects.create(name=request.param)


def test_rows_made_before_the_demo_are_kept(own_group, demo):
    assert Group.objects.filter(name=own_group.name).exists()
    assert not Group.objects.filter(name__in={"第一组", "第二组"} - {own_group.name}).exists()
    assert set(Area.objects.values_list("slug", flat=True)) == {"xuhuiyuan", "wanliu"}
