"""Store every mobile number in libphonenumber's E.164 form.

The old check let full-width digits through (+8613９00000001), beside the same number in ASCII.
Each stored number is parsed again; where two accounts turn out to share a number, the one whose
number was proven keeps it (else the older one) and the other loses the number (its owner signs
in again by code). A number that is not a mainland mobile number (the old pattern let 140…
through) is removed and listed: the account could not be saved with it any more.
"""

from django.db import migrations


def canonical_numbers(apps, schema_editor):
    import phonenumbers

    User = apps.get_model("portal", "User")
    users = list(User.objects.exclude(phone=None).exclude(phone="").order_by("-phone_verified", "date_joined", "pk"))

    def remove(user, why):
        # .update(), as a save would check the number against the field's rules.
        print(f"\n  account {user.pk}: {why}; its number was removed")
        User.objects.filter(pk=user.pk).update(phone=None, phone_verified=False)

    keeper, renamed = {}, []
    for user in users:
        try:
            number = phonenumbers.parse(user.phone, "CN")
        except phonenumbers.NumberParseException:
            remove(user, "its number is not a phone number")
            continue
        canonical = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        mobile = phonenumbers.number_type(number) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
        if number.country_code != 86 or not phonenumbers.is_valid_number(number) or not mobile:
            remove(user, "its number is not a mainland mobile number")
            continue
        if canonical in keeper:
            # Removed before any number is rewritten, so no two rows ever hold one number.
            remove(user, f"it shares its number with account {keeper[canonical]}")
            continue
        keeper[canonical] = user.pk
        if canonical != user.phone:
            renamed.append((user, canonical))
    for user, canonical in renamed:
        user.phone = canonical
        user.save(update_fields=["phone"])


class Migration(migrations.Migration):
    dependencies = [("portal", "0007_account_sign_outs")]

    operations = [migrations.RunPython(canonical_numbers, migrations.RunPython.noop)]
