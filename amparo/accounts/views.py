from __future__ import annotations

from allauth.account.views import LoginView
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from amparo.core.forms import run_service
from amparo.core.lists import list_page
from amparo.core.ratelimit import rate_limit
from amparo.core.services import SYSTEM
from amparo.organizations.selectors import managed_organizations
from amparo.organizations.services import membership_invite

from . import new_token
from .forms import (
    PEOPLE_DEFAULT_SORT,
    PEOPLE_SORTS,
    ApiTokenForm,
    DonorSignInForm,
    PeopleFilterForm,
    PersonInviteForm,
)
from .models import ApiToken, User
from .roles import PROVIDER_ROLES, Role
from .services import (
    api_token_create,
    api_token_revoke,
    donor_link_check,
    donor_link_request,
    donor_link_use,
    user_invite,
)


class SignInView(LoginView):  # type: ignore[misc]
    """allauth's sign-in (password, then the authenticator code) with our own page."""

    template_name = "accounts/login.html"


@rate_limit("donor-sign-in", per_ip="10/h")
def donor_sign_in(request: HttpRequest) -> HttpResponse:
    """Donors sign in by a link mailed to the address they type. The answer is the same page
    whether or not the address has an account, so the page tells nobody who gives."""
    form = DonorSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The link's address comes from the fund's configured site, never from the request's
        # Host header (which whoever sends the request chooses).
        donor_link_request(email=form.cleaned_data["email"])
        return render(request, "accounts/donor_link_sent.html", {"form": DonorSignInForm()})
    return render(request, "accounts/donor_sign_in.html", {"form": form})


def _link_refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


@rate_limit("donor-sign-in-link", per_ip="30/h")
def donor_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page a sign-in link opens: a button that signs in on POST, so that a mail scanner
    opening the link does not use it up. A link that no longer works says why."""
    try:
        user = donor_link_use(token=token, by=SYSTEM) if request.method == "POST" else None
        if user is None:
            donor_link_check(token=token)
    except ValidationError as error:
        context = {"form": DonorSignInForm(), "refusal": _link_refusal(error)}
        return render(request, "accounts/donor_sign_in.html", context, status=400)
    if user is None:
        return render(request, "accounts/donor_link.html")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("donations:list")


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "behind login_required"
    return user


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=_signed_in(request))
    return render(request, "accounts/settings.html", {"tokens": tokens, "form": ApiTokenForm()})


@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    """Post/redirect/get: the POST creates the token and redirects; the page after it shows the
    raw token once. Back or reload on that page shows it no more and creates nothing."""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = api_token_create(user=_signed_in(request), name=form.cleaned_data["name"])
        new_token.hold(request.session, token_id=token.pk, raw=raw)
        return redirect("accounts:token-created")
    return render(request, "accounts/token_form.html", {"form": form})


@never_cache
@login_required
def token_created(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    held = new_token.take(request.session)
    token = (
        ApiToken.objects.filter(user=user, pk=held.token_id, revoked_at__isnull=True).first()
        if held is not None
        else None
    )
    raw = held.raw if held is not None and token is not None else None
    return render(request, "accounts/token_created.html", {"token": token, "raw": raw})


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=_signed_in(request), pk=token_id).first()
    if token is None:
        raise Http404
    api_token_revoke(token=token)
    messages.success(request, _("The token was revoked. It no longer works."))
    return redirect("accounts:settings")


def _fund_admin(request: HttpRequest) -> User:
    """The signed-in fund administrator; anyone else gets the same 404 as a missing page."""
    user = request.user
    if not isinstance(user, User) or not user.is_active or user.role != Role.FUND_ADMIN:
        raise Http404
    return user


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """Everyone with an account, for fund administrators: role, organization, status."""
    _fund_admin(request)
    listing = list_page(
        request,
        User.objects.prefetch_related("memberships__organization"),
        form=PeopleFilterForm(request.GET),
        sorts=PEOPLE_SORTS,
        default_sort=PEOPLE_DEFAULT_SORT,
    )
    return render(
        request,
        "accounts/people.html",
        {"people": listing.rows, "listing": listing},
        status=listing.status,
    )


@login_required
def person_invite(request: HttpRequest) -> HttpResponse:
    """A fund administrator invites anyone; provider roles join the chosen organization."""
    by = _fund_admin(request)
    form = PersonInviteForm(
        request.POST or None,
        organizations=managed_organizations(fetched_by=by),
        initial={"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "email": data["email"],
            "role": data["role"],
            "by": by,
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "language": data["language"],
        }
        invited = (
            run_service(form, membership_invite, organization=data["organization"], **common)
            if data["role"] in PROVIDER_ROLES
            else run_service(form, user_invite, **common)
        )
        if invited is not None:
            messages.success(request, _("The invitation was sent."))
            return redirect("accounts:people")
    return render(request, "accounts/invite.html", {"form": form})
