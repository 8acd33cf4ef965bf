from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import ApiTokenForm
from .models import ApiToken
from .services import api_token_create, api_token_revoke


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request, "accounts/settings.html", {"tokens": tokens, "form": ApiTokenForm()}
    )


@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
        return render(request, "accounts/token_created.html", {"token": token, "raw": raw})
    return render(request, "accounts/token_form.html", {"form": form})


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(user=request.user, pk=token_id).first()
    if token is None:
        raise Http404
    api_token_revoke(token=token)
    messages.success(request, _("The token was revoked. It no longer works."))
    return redirect("accounts:settings")
