from __future__ import annotations

from allauth.account.views import LoginView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.core.forms import run_service
from amparo.organizations.selectors import managed_organizations
from amparo.organizations.services import membership_invite

from .forms import ApiTokenForm, PersonInviteForm
from .models import ApiToken, User
from .roles import PROVIDER_ROLES, Role
from .services import api_token_create, api_token_revoke, user_invite


class SignInView(LoginView):  # type: ignore[misc]
    """allauth's sign-in (password, then the authenticator code) with our own page."""

    template_name = "accounts/login.html"


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
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = api_token_create(user=_signed_in(request), name=form.cleaned_data["name"])
        return render(request, "accounts/token_created.html", {"token": token, "raw": raw})
    return render(request, "accounts/token_form.html", {"form": form})


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
    users = User.objects.prefetch_related("memberships__organization").order_by(
        "role", "last_name", "first_name", "email"
    )
    return render(request, "accounts/people.html", {"people": users})


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
