"""Pages: the rights topics, the card, the family plan, and the fund admins' editor.

The family plan keeps nothing: no session, no database row, no cache entry, no log line holds
an answer. The answers travel in the POST body of each step (hidden fields) and come back in
the HTML or the PDF. CSRF protection stays on: Django's CSRF cookie holds a random secret and
none of the answers, so it is not a place where they could be kept.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.core.forms import run_service
from amparo.core.services import ServiceError

from . import markup, pdf, selectors, services
from .content import TOPICS, languages, repository_page
from .forms import PLAN_STEPS, STEP_NAMES, FamilyPlanForm, PageEditForm, PlanStep
from .hotlines import hotlines
from .models import PageVersion
from .permissions import can_edit_rights_pages, has_mfa


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def _no_store(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Neither the browser nor any cache on the way may keep the answer."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response

    return wrapped


# --- Public pages -------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    pages = selectors.rights_page_list(language=_language())
    return render(
        request,
        "rights/index.html",
        {
            "pages": pages,
            "hotlines": hotlines(),
            # A draft's date is when it was written, not reviewed.
            "reviewed": max((p.reviewed for p in pages if not p.drafted), default=None),
        },
    )


@require_GET
def topic(request: HttpRequest, topic: str) -> HttpResponse:
    page = selectors.rights_page(topic=topic, language=_language())
    if page is None:
        raise Http404
    position = TOPICS.index(topic)
    neighbours = {}
    if position + 1 < len(TOPICS):
        following = selectors.rights_page(topic=TOPICS[position + 1], language=_language())
        if following is not None:
            neighbours["next"] = following
    return render(
        request,
        "rights/topic.html",
        {
            "page": page,
            # markup.to_html escapes every character of the text before adding its few tags.
            "body_html": mark_safe(markup.to_html(page.body)),
            "hotlines": hotlines(),
            **neighbours,
        },
    )


@require_GET
def card(request: HttpRequest) -> HttpResponse:
    sides = []
    for code in pdf.card_languages(_language()):
        with translation.override(code):
            title, points, footer = pdf.card_lines()
            sides.append(
                {"language": code, "title": str(title), "points": points, "footer": footer}
            )
    lines = hotlines()
    return render(
        request, "rights/card.html", {"sides": sides, "hotline": lines[0] if lines else None}
    )


@require_GET
def card_pdf(request: HttpRequest) -> HttpResponse:
    data = pdf.rights_card(language=_language(), hotlines=hotlines())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="rights-card.pdf"'
    return response


# --- The family plan (nothing stored) -----------------------------------------------------

INTRO = "intro"
REVIEW = "review"


def _step(name: str) -> PlanStep:
    return PLAN_STEPS[STEP_NAMES.index(name)]


def _target(current: str, action: str) -> str:
    """Where a button leads: the next or previous question, a chosen one, or the review."""
    if action.startswith("goto:") and action[5:] in STEP_NAMES:
        return action[5:]
    order = [INTRO, *STEP_NAMES, REVIEW]
    position = order.index(current)
    if action == "back":
        return order[max(position - 1, 0)]
    return order[min(position + 1, len(order) - 1)]


def _plan_page(request: HttpRequest, form: FamilyPlanForm, show: str) -> HttpResponse:
    answers = form.answers() if form.is_bound and form.is_valid() else dict(form.data.items())
    context: dict[str, Any] = {"hotlines": hotlines(), "show": show}
    if show == INTRO:
        return render(request, "rights/plan_intro.html", context)
    if show == REVIEW:
        context["rows"] = [
            {"step": step, "answer": answers.get(step.name, "")} for step in PLAN_STEPS
        ]
        context["hidden"] = [(n, answers.get(n, "")) for n in STEP_NAMES]
        return render(request, "rights/plan_review.html", context)
    step = _step(show)
    context.update(
        {
            "step": step,
            "field": form[show],
            "number": STEP_NAMES.index(show) + 1,
            "total": len(STEP_NAMES),
            "hidden": [(n, answers.get(n, "")) for n in STEP_NAMES if n != show],
        }
    )
    return render(request, "rights/plan_step.html", context)


@_no_store
@require_http_methods(["GET", "POST"])
def family_plan(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _plan_page(request, FamilyPlanForm(), INTRO)
    form = FamilyPlanForm(request.POST)
    current = str(request.POST.get("step", INTRO))
    if current not in (INTRO, *STEP_NAMES, REVIEW):
        current = INTRO
    action = str(request.POST.get("action", "next"))
    if not form.is_valid():
        bad = [name for name in STEP_NAMES if name in form.errors]
        return _plan_page(request, form, current if current in bad else bad[0])
    if action == "next" and current in STEP_NAMES:
        step = _step(current)
        if step.required and not form.answers()[current].strip():
            form.add_error(current, _("Write at least one name, or the word none."))
            return _plan_page(request, form, current)
    return _plan_page(request, form, _target(current, action))


@_no_store
@require_POST
def family_plan_pdf(request: HttpRequest) -> HttpResponse:
    form = FamilyPlanForm(request.POST)
    if not form.is_valid():
        bad = [name for name in STEP_NAMES if name in form.errors]
        return _plan_page(request, form, bad[0])
    answers = form.answers()
    missing = [s.name for s in PLAN_STEPS if s.required and not answers[s.name].strip()]
    if missing:
        form.add_error(missing[0], _("Write at least one name, or the word none."))
        return _plan_page(request, form, missing[0])
    data = pdf.family_plan(answers=answers, hotlines=hotlines(), today=timezone.localdate())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="family-plan.pdf"'
    return response


# --- Editing (fund admins) ----------------------------------------------------------------


def _editor(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, a fund admin (others get 404) and enrolled in MFA: /rights/ is a public
    prefix that the MFA middleware lets through, so the editor checks it here."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_edit_rights_pages(request.user):
            raise Http404
        if not has_mfa(request.user):
            return redirect("mfa_activate_totp")
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return wrapped


@_editor
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    rows = []
    for slug in TOPICS:
        for code in languages():
            text = repository_page(slug, code)
            latest = selectors.latest_version(topic=slug, language=code)
            published = selectors.rights_page(topic=slug, language=code)
            rows.append(
                {
                    "topic": slug,
                    "language": code,
                    "language_name": translation.get_language_info(code)["name_translated"],
                    "title": latest.title if latest else (text.title if text else slug),
                    "latest": latest,
                    "shown": published.version if published else None,
                }
            )
    return render(request, "rights/manage.html", {"rows": rows})


@_editor
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, language: str, topic: str) -> HttpResponse:
    selectors.access_editable_page(request.user, topic, language)
    latest = selectors.latest_version(topic=topic, language=language)
    text = repository_page(topic, language)
    source: Any = latest or text
    initial = (
        {**{name: getattr(source, name) for name in services.COPIED_FIELDS}, "published": True}
        if source is not None
        else {"reviewed": timezone.localdate()}
    )
    form = PageEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = run_service(
            form,
            services.page_version_save,
            topic=topic,
            language=language,
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
            reviewed=data["reviewed"],
            reviewed_by=data["reviewed_by"],
            published=data["published"],
            note=data["note"],
            by=request.user,
        )
        if version is not None:
            messages.success(
                request, _("Version %(number)s was saved.") % {"number": version.number}
            )
            return redirect("rights:history", language=language, topic=topic)
    preview = ""
    if request.method == "POST" and "body" in form.data:
        preview = markup.to_html(str(form.data.get("body", "")), heading_level=3)
    return render(
        request,
        "rights/edit.html",
        {
            "form": form,
            "topic": topic,
            "language": language,
            "language_name": translation.get_language_info(language)["name_translated"],
            "latest": latest,
            "preview": mark_safe(preview),  # escaped by markup.to_html
            "public_url": reverse("rights:topic", args=[topic]),
        },
    )


@_editor
@require_http_methods(["GET", "POST"])
def history(request: HttpRequest, language: str, topic: str) -> HttpResponse:
    selectors.access_editable_page(request.user, topic, language)
    versions = selectors.page_version_list(topic=topic, language=language, fetched_by=request.user)
    status = 200
    if request.method == "POST":
        choice = str(request.POST.get("version", ""))
        chosen: PageVersion | None = None
        valid = choice == "repository" and repository_page(topic, language) is not None
        if not valid and choice.isdigit():
            chosen = versions.filter(pk=int(choice)).first()
            valid = chosen is not None
        restored = None
        if valid:
            try:
                restored = services.page_version_restore(
                    topic=topic, language=language, version=chosen, by=cast(User, request.user)
                )
            except ServiceError:
                valid = False
        if restored is not None:
            messages.success(
                request,
                _("The text was restored as version %(number)s.") % {"number": restored.number},
            )
            return redirect("rights:history", language=language, topic=topic)
        messages.error(request, _("Choose a version from the list to restore."))
        status = 400
    shown = selectors.rights_page(topic=topic, language=language)
    return render(
        request,
        "rights/history.html",
        {
            "versions": versions,
            "topic": topic,
            "language": language,
            "language_name": translation.get_language_info(language)["name_translated"],
            "repository": repository_page(topic, language),
            "shown": shown.version if shown else None,
            "public_url": reverse("rights:topic", args=[topic]),
        },
        status=status,
    )
