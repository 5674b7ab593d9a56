"""Store every mobile number in libphonenumber's E.164 form.

The old check let full-width digits through (+8613９00000001), beside the same number in ASCII.
Each stored number is parsed again; where two accounts turn out to share a number, the one whose
number was proven keeps it (else the older one) and the other loses the number (its owner signs
in again by code). A number that is not a mainland mobile any more is left as it is and listed.
"""

from django.db import migrations


def canonical_numbers(apps, schema_editor):
    import phonenumbers

    User = apps.get_model("portal", "User")
    users = list(User.objects.exclude(phone=None).exclude(phone="").order_by("-phone_verified", "date_joined", "pk"))
    keeper, renamed = {}, []
    for user in users:
        try:
            number = phonenumbers.parse(user.phone, "CN")
            canonical = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            print(f"\n  account {user.pk}: stored number is not a phone number, left unchanged")
            continue
        if canonical in keeper:
            # Removed before any number is rewritten, so no two rows ever hold one number.
            print(f"\n  account {user.pk}: shares its number with account {keeper[canonical]}; its number was removed")
            user.phone, user.phone_verified = None, False
            user.save(update_fields=["phone", "phone_verified"])
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
