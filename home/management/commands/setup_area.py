"""Create a residents' area on a real installation: its home page, site, groups and permissions,
and its first administrator (docs/deploy.md). Refuses, changing nothing, if any of it exists.

The administrator's password is read from PORTAL_ADMIN_PASSWORD or asked for, never given on the
command line (where `ps` and the shell's history would keep it).
"""

import getpass
import os
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Site

from home import setup
from portal.models import Area, User
from portal.phones import normalize_phone

PASSWORD_VARIABLE = "PORTAL_ADMIN_PASSWORD"


def phone_of(typed):
    return normalize_phone(typed) if typed else None


class Command(BaseCommand):
    help = "Create a residents' area, its site and its first administrator (refuses if any exists)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The area's name, e.g. 徐汇苑居民区.")
        parser.add_argument("--slug", required=True, help="Latin letters, used in addresses, e.g. xuhuiyuan.")
        parser.add_argument("--subdistrict", required=True, help="The subdistrict, e.g. 枫林路街道.")
        parser.add_argument("--hostname", required=True, help="The site's host name, e.g. xuhuiyuan.example.cn.")
        parser.add_argument("--port", type=int, default=443, help="The port residents reach it on (443).")
        parser.add_argument("--admin-username", required=True, help="The first administrator's user name.")
        parser.add_argument("--admin-phone", default="", help="Their mobile number, for notices by SMS.")
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="Make them an administrator of the whole installation (every area) rather than the area's lead.",
        )

    def handle(self, *args, name, slug, subdistrict, hostname, port, admin_username, admin_phone, superuser, **opts):
        for option, check in (
            ("--slug", lambda: validate_slug(slug)),
            ("--admin-phone", lambda: phone_of(admin_phone)),
        ):
            try:
                check()
            except ValidationError as error:
                raise CommandError(f"{option}: {' '.join(error.messages)}") from None
        phone = phone_of(admin_phone)
        if not 0 < port < 65536:
            raise CommandError(_("The port must be between 1 and 65535."))
        self.refuse_what_exists(name, slug, hostname, port, admin_username, phone)
        user = User(username=admin_username, phone=phone, phone_verified=phone is not None)
        password = self.password(user)

        with transaction.atomic():
            setup.remove_wagtail_welcome_page(subdistrict)
            area = setup.new_area(name=name, slug=slug, subdistrict=subdistrict, hostname=hostname, port=port)
            user.set_password(password)
            if superuser:
                user.is_superuser = user.is_staff = True
            else:
                user.area = area
            user.save()
            if not superuser:
                # A lead is staff who also approves the area's notices (portal/roles.py).
                user.groups.add(area.staff_group, area.lead_group)

        base = f"https://{hostname}" + ("" if port == 443 else f":{port}")
        write = self.stdout.write
        write(self.style.SUCCESS(_("The area %(name)s is ready: %(url)s/") % {"name": name, "url": base}))
        role = _("administrator of every area") if superuser else _("lead of %(area)s") % {"area": name}
        write(_("  Admin: %(url)s/admin/ as %(user)s (%(role)s)") % {"url": base, "user": admin_username, "role": role})
        write(_("  At the first sign-in they set up two-step verification with an authenticator app."))

    def refuse_what_exists(self, name, slug, hostname, port, username, phone):
        taken = []
        if Area.objects.filter(slug=slug).exists():
            taken.append(_("an area with the slug %(slug)s") % {"slug": slug})
        if Area.objects.filter(name=name).exists():
            taken.append(_("an area named %(name)s") % {"name": name})
        if Site.objects.filter(hostname=hostname, port=port).exists():
            taken.append(_("a site at %(host)s:%(port)s") % {"host": hostname, "port": port})
        if User.objects.filter(username=username).exists():
            taken.append(_("a user named %(username)s") % {"username": username})
        if phone and User.objects.filter(phone=phone).exists():
            taken.append(_("an account with the number %(phone)s") % {"phone": phone})
        if taken:
            raise CommandError(_("Nothing was created: there is already %(what)s.") % {"what": "; ".join(taken)})

    def password(self, user):
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            if not sys.stdin.isatty():
                raise CommandError(
                    _("Set %(variable)s to the administrator's password, or run the command in a terminal.")
                    % {"variable": PASSWORD_VARIABLE}
                )
            password = getpass.getpass(_("Password for %(username)s: ") % {"username": user.username})
            if password != getpass.getpass(_("The same password again: ")):
                raise CommandError(_("The passwords differ."))
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return password
