"""Staff's "Residents" screens in the Wagtail admin (docs/architecture.md: the area boundary; personal data).

Accounts for residents without a smartphone, made at the reception desk; confirming that a
resident lives in the area; lifting a booking pause; signing the resident's app out. Staff reach
only the residents of their own area (another area's resident is a 404), the list masks names
and numbers, and every time staff open a full record it is logged with Wagtail's audit log.
"""

import hashlib
import time

from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, get_random_string
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from portal import accounts, sms
from portal.account_forms import ResidentDetailsMixin
from portal.areas import staff_area
from portal.ids import is_id
from portal.models import Building, User
from portal.phones import PhoneFormField, mask_phone
from portal.privacy import mask_name, record_consent

LOG_ACTIONS = {
    "portal.resident.view": (gettext_lazy("View resident record"), gettext_lazy("Opened the resident's record")),
    "portal.resident.create": (
        gettext_lazy("Create resident account"),
        gettext_lazy("Created the resident's account at the reception desk"),
    ),
    "portal.resident.confirm": (
        gettext_lazy("Confirm residency"),
        gettext_lazy("Confirmed that the resident lives in the area"),
    ),
    "portal.resident.resume_booking": (
        gettext_lazy("Lift booking pause"),
        gettext_lazy("Let the resident book again before the pause ended"),
    ),
    # Older entries: the app sign-out that reset_access replaced.
    "portal.resident.revoke_tokens": (
        gettext_lazy("Sign out resident's app"),
        gettext_lazy("Signed the resident's app out"),
    ),
    "portal.resident.set_building": (
        gettext_lazy("Set resident's building"),
        gettext_lazy("Chose the resident's building from the area's list"),
    ),
    "portal.resident.move_in": (
        gettext_lazy("Move resident's account here"),
        gettext_lazy("Moved the account to this area, with a code the resident received"),
    ),
    "portal.resident.reset_access": (
        gettext_lazy("Reset resident's access"),
        gettext_lazy("Signed the account out everywhere and cleared its password, after checking identity"),
    ),
}


def residents_of(area):
    """The active resident accounts of an area: everyone living there, not its staff."""
    return User.objects.filter(area=area, is_active=True).exclude(groups=area.staff_group_id)


def is_resident(account):
    """An account of someone living in an area, not of anyone who uses the admin."""
    return account.is_active and not account.is_superuser and not account.has_perm("wagtailadmin.access_admin")


class StaffOnlyMixin(WagtailAdminTemplateMixin):
    """Staff of an area only; the area is theirs, never chosen."""

    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.area = staff_area(request.user)
        if self.area is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(area=self.area, **kwargs)

    def get_breadcrumbs_items(self):
        index = {"url": reverse("portal_residents:index"), "label": _("Residents")}
        return [*self.breadcrumbs_items, index, {"url": "", "label": self.get_header_title()}]


class SearchForm(forms.Form):
    phone = PhoneFormField(label=gettext_lazy("Mobile number"), required=False)
    unconfirmed = forms.BooleanField(label=gettext_lazy("Only residents not yet confirmed"), required=False)
    unmatched_building = forms.BooleanField(
        label=gettext_lazy("Only residents whose building is not on the area's list"), required=False
    )


class ResidentIndexView(StaffOnlyMixin, TemplateView):
    template_name = "portal/residents/index.html"
    page_title = gettext_lazy("Residents")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = SearchForm(self.request.GET)
        residents = residents_of(self.area).order_by("-date_joined")
        if search.is_valid():
            if search.cleaned_data["phone"]:
                residents = residents.filter(phone=search.cleaned_data["phone"])
            if search.cleaned_data["unconfirmed"]:
                residents = residents.filter(residency_verified_at=None)
            if search.cleaned_data["unmatched_building"]:
                residents = residents.filter(home_building=None)
        else:
            residents = residents.none()
        page = Paginator(residents, 20).get_page(self.request.GET.get("p"))
        context.update(
            search=search,
            residents=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            now=timezone.now(),
        )
        return context

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class ResidentForm(ResidentDetailsMixin, forms.ModelForm):
    consent = forms.BooleanField(
        label=gettext_lazy("The resident has been given the privacy notice and agrees to it."),
        error_messages={"required": gettext_lazy("Give the resident the privacy notice and tick this box.")},
    )

    class Meta:
        model = User
        fields = ["phone"]

    field_order = ["name", "phone", "building", "room_number", "consent"]

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.fields["phone"].required = True

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        account = User.objects.filter(phone=phone).first()
        if account is None:
            return phone
        if account.area_id == self.area.pk or not is_resident(account):
            raise ValidationError(
                _("This mobile number already has an account. Search for it in the residents list instead.")
            )
        # Whose it is and where are not staff's to know: the resident can move it here.
        self.movable_phone = phone
        raise ValidationError(
            _(
                "This mobile number already has an account. If it is the resident's, they can move it to "
                "this area with a code sent to the number."
            )
        )


class ResidentCreateView(StaffOnlyMixin, FormView):
    template_name = "portal/residents/create.html"
    page_title = gettext_lazy("New resident account")
    form_class = ResidentForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "area": self.area}

    def form_invalid(self, form):
        if phone := getattr(form, "movable_phone", None):
            # The number as stored, for the move page: kept in the session, never in an address.
            self.request.session[MOVE_SESSION_KEY] = {"phone": phone}
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        resident = form.save(commit=False)
        form.fill_resident(resident)
        resident.area = self.area
        get_adapter(self.request).populate_username(self.request, resident)
        resident.set_unusable_password()  # the resident signs in with a code, or staff book for them
        now = timezone.now()
        resident.residency_verified_at = now  # staff saw them at the desk
        record_consent(resident, at=now)
        resident.save()
        log(resident, "portal.resident.create", user=self.request.user)
        messages.success(self.request, _("The account is ready, and residency is confirmed."))
        return redirect("portal_residents:detail", resident.pk)


class ResidentDetailView(StaffOnlyMixin, TemplateView):
    """A resident's full record, and the actions staff take on it (POST, then back here)."""

    template_name = "portal/residents/detail.html"
    page_title = gettext_lazy("Resident")

    @cached_property
    def resident(self):
        return get_object_or_404(residents_of(self.area), pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return mask_name(self.resident.get_full_name())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        resident = self.resident
        log(resident, "portal.resident.view", user=self.request.user)
        now = timezone.now()
        context.update(
            resident=resident,
            buildings=Building.objects.of_area(self.area),
            paused=resident.booking_paused_until and resident.booking_paused_until > now,
            app_sign_ins=resident.resident_tokens.active().count(),
        )
        return context

    def post(self, request, pk):
        resident = self.resident
        action = request.POST.get("action")
        if action == "confirm" and not resident.residency_verified:
            resident.residency_verified_at = timezone.now()
            resident.save(update_fields=["residency_verified_at"])
            messages.success(request, _("Residency confirmed: this resident's bookings no longer wait for approval."))
        elif action == "resume_booking" and resident.booking_paused_until:
            resident.booking_paused_until = None
            resident.save(update_fields=["booking_paused_until"])
            messages.success(request, _("The resident can book again."))
        elif action == "set_building":
            chosen = request.POST.get("building", "")
            building = Building.objects.of_area(self.area).filter(pk=chosen).first() if is_id(chosen) else None
            if building is None:
                return redirect("portal_residents:detail", resident.pk)
            resident.building = building.name
            resident.save(update_fields=["building"])
            messages.success(request, _("The resident's building is now %(building)s.") % {"building": building})
        elif action == "reset_access":
            if not request.POST.get("identity_checked"):
                messages.error(request, _("Check the resident's identity in person first, then tick the box."))
                return redirect("portal_residents:detail", resident.pk)
            accounts.reset_at_desk(resident)
            messages.success(
                request,
                _("The account is signed out everywhere and has no password: the resident signs in with a code."),
            )
        else:
            return redirect("portal_residents:detail", resident.pk)
        log(resident, f"portal.resident.{action}", user=request.user)
        return redirect("portal_residents:detail", resident.pk)


# Moving a resident's account here from another area


MOVE_SESSION_KEY = "portal_resident_move"
MOVE_CODE_SECONDS = 10 * 60
MOVE_CODE_TRIES = 5


class MoveCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the resident's text message"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def code_digest(code):
    return hashlib.sha256(code.encode()).hexdigest()


class ResidentMoveView(StaffOnlyMixin, TemplateView):
    """The number staff typed has an account elsewhere: with the resident at the desk, text a
    code to the number; the code the resident reads out moves the account here. Staff learn
    nothing of the account (whose, which area) before the code is entered."""

    template_name = "portal/residents/move.html"
    page_title = gettext_lazy("Move a resident's account here")

    def dispatch(self, request, *args, **kwargs):
        self.pending = request.session.get(MOVE_SESSION_KEY) if hasattr(request, "session") else None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        if not self.pending:
            return redirect("portal_residents:add")
        return self.render(MoveCodeForm())

    def render(self, form, status=200):
        context = self.get_context_data(
            form=form, phone=mask_phone(self.pending["phone"]), code_sent=bool(self.pending.get("digest"))
        )
        return self.render_to_response(context, status=status)

    def post(self, request):
        if not self.pending:
            return redirect("portal_residents:add")
        if request.POST.get("action") == "send":
            return self.send_code()
        form = MoveCodeForm(request.POST)
        if not form.is_valid() or not self.pending.get("digest"):
            return self.render(form, status=400)
        if self.pending["expires"] < time.time() or self.pending["tries"] >= MOVE_CODE_TRIES:
            form.add_error("code", _("This code has ended. Send a new one."))
            return self.render(form, status=400)
        if not constant_time_compare(code_digest(form.cleaned_data["code"]), self.pending["digest"]):
            self.pending["tries"] += 1
            self.request.session[MOVE_SESSION_KEY] = self.pending
            form.add_error("code", _("This code is not right. Check the text message and type its 6 digits again."))
            return self.render(form, status=400)
        return self.move()

    def send_code(self):
        phone = self.pending["phone"]
        if not ratelimit.consume(self.request, action="request_login_code", key=phone):
            messages.error(self.request, _("Too many codes for this number. Please wait a little and try again."))
            return redirect("portal_residents:move")
        sms.spend_code_allowance(self.request)
        code = get_random_string(6, "0123456789")
        self.pending.update(digest=code_digest(code), expires=time.time() + MOVE_CODE_SECONDS, tries=0)
        self.request.session[MOVE_SESSION_KEY] = self.pending
        sms.send(phone, "move_account_code", area=self.area.name, code=code)
        messages.success(self.request, _("A code is on its way to the number. Ask the resident to read it out."))
        return redirect("portal_residents:move")

    def move(self):
        account = User.objects.filter(phone=self.pending["phone"]).first()
        del self.request.session[MOVE_SESSION_KEY]
        if account is None or not is_resident(account):
            messages.error(self.request, _("This account cannot be moved here. Please ask the subdistrict office."))
            return redirect("portal_residents:index")
        account.area = self.area
        account.residency_verified_at = None  # confirmed for the old area, not for this one
        account.save(update_fields=["area", "residency_verified_at"])
        log(account, "portal.resident.move_in", user=self.request.user)
        messages.success(
            self.request,
            _("The account now belongs to this area. Confirm that the resident lives here when you have checked."),
        )
        return redirect("portal_residents:detail", account.pk)
