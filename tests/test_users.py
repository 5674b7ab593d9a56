"""The custom user model: mobile numbers stored as +86…, typed either way."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.models import User
from portal.phones import mask_phone, normalize_phone
from portal.privacy import mask_text


@pytest.mark.parametrize("typed", ["13812345678", "+8613812345678", "138 1234 5678", "0086-138-1234-5678"])
def test_mainland_numbers_are_stored_in_international_form(typed):
    assert normalize_phone(typed) == "+8613812345678"


@pytest.mark.parametrize("typed", ["1381234567", "23812345678", "+85212345678", "abc"])
def test_other_input_is_refused_with_the_number_quoted_in_chinese(typed):
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as caught:
            normalize_phone(typed)
        message = caught.value.messages[0]
    assert typed in message
    assert "手机号码" in message


def test_phones_are_masked_for_display():
    assert mask_phone("+8613812345678") == "138****5678"


class AccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "phone"]


def test_an_account_form_takes_eleven_digits_and_keeps_the_number_unique(db):
    form = AccountForm(data={"username": "zhang", "phone": "13812345678"})
    assert form.is_valid(), form.errors
    assert form.save().phone == "+8613812345678"

    again = AccountForm(data={"username": "li", "phone": "+86 138 1234 5678"})
    assert not again.is_valid()
    assert "phone" in again.errors
    assert again["phone"].value() == "+86 138 1234 5678"


def test_an_empty_phone_is_stored_as_null_so_many_accounts_can_have_none(db):
    for name in ("a", "b"):
        form = AccountForm(data={"username": name, "phone": ""})
        assert form.is_valid(), form.errors
        assert form.save().phone is None


def test_chinese_names_read_family_name_first():
    assert User(last_name="顾", first_name="文静").get_full_name() == "顾文静"
    assert User(last_name="Smith", first_name="Anna").get_full_name() == "Anna Smith"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("请回电13812345678", "请回电138****5678"),
        ("电话 +86 138-1234-5678 谢谢", "电话 +86 138-****-5678 谢谢"),
        ("００８６１３８１２３４５６７８", "００８６１３８****５６７８"),
        ("全角１３８１２３４５６７８号", "全角１３８****５６７８号"),
        ("身份证310104199001011234", "身份证31**************34"),
        ("身份证３１０１０４１９９００１０１１２３Ｘ", "身份证３１**************３Ｘ"),
        ("座机021-64000001", "座机021-****0001"),
        ("5号楼301室，车棚有20辆车", "5号楼301室，车棚有20辆车"),
        ("快递单号123456789012345678901", "快递单号123456789012345678901"),
    ],
)
def test_typed_phone_and_id_numbers_are_masked_full_width_too(typed, shown):
    assert mask_text(typed) == shown


def test_names_the_portal_knows_are_masked_longest_first():
    assert mask_text("王秀英和王秀说车棚乱停", names=["王秀英", "王秀", "李"]) == "王*英和王*说车棚乱停"
