"""Knowledge pages. Thin: parse with a form, call one selector or service, render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from facilities.models import Equipment
from knowledge import permissions, reliability, selectors, services
from knowledge.forms import ArticleForm, ReliabilityFilterForm, SearchForm, VoteForm
from knowledge.search import candidates, more_matches_than_ranked
from knowledge.services import ArticleStateError

PER_PAGE = 20


def _paginate(request, qs):
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def _apply_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _initial_from(article) -> dict:
    return {
        "title": article.title, "body": article.body, "visibility": article.visibility,
        "tags": ", ".join(t.name for t in article.tags.all()),
        "equipment_models": list(article.equipment_models.all()),
        "categories": ", ".join(article.category_list),
    }


@require_safe
@login_required
def article_list(request):
    """Articles the user may read; ranked by relevance when searching."""
    form = SearchForm(request.GET or None)
    filters = form.filters() if request.GET else {
        "q": "", "status": "", "equipment_model": None, "tag": "", "mine": False}
    qs = selectors.article_list(user=request.user, **filters)
    page, querystring = _paginate(request, qs)
    return render(request, "knowledge/article_list.html", {
        "form": form, "page_obj": page, "querystring_base": querystring, "q": filters["q"],
        "can_create": permissions.can_create(request.user), "can_review": permissions.can_review(request.user),
        "is_staff": permissions.is_staff_reader(request.user),
        "ranked_only": bool(filters["q"]) and more_matches_than_ranked(filters["q"]), "ranked": candidates(),
    })


@require_safe
@login_required
def article_detail(request, pk):
    article = selectors.article_get_for(request.user, pk)
    user = request.user
    my_vote = article.votes.filter(user=user).values_list("helpful", flat=True).first()
    return render(request, "knowledge/article_detail.html", {
        "article": article, "tags": list(article.tags.all()),
        "models": list(article.equipment_models.select_related("manufacturer")),
        "can_edit": permissions.can_edit(user, article), "can_propose": permissions.can_propose(user, article),
        "can_publish": permissions.can_publish(user, article),
        "can_unpublish": permissions.can_unpublish(user, article),
        "can_return": permissions.can_return(user, article), "can_delete": permissions.can_delete(user, article),
        "can_vote": permissions.can_vote(user, article), "my_vote": my_vote,
        "is_staff": permissions.is_staff_reader(user),
        "source_visible": article.source_ticket is not None and permissions.is_staff_reader(user),
    })


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def article_create(request):
    if not permissions.can_create(request.user):
        raise PermissionDenied
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(article)
    return render(request, "knowledge/article_form.html", {"form": form, "article": None, "ticket": None})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def article_from_ticket(request, ticket_pk):
    """One click on a resolved ticket: a draft prefilled from its service reports or resolution."""
    from tickets.selectors import ticket_get_for

    ticket = ticket_get_for(request.user, ticket_pk)
    if not permissions.can_create_from_ticket(request.user, ticket):
        raise PermissionDenied
    if request.method == "POST":
        form = ArticleForm(request.POST)
        if form.is_valid():
            try:
                article = services.article_create_from_ticket(actor=request.user, ticket=ticket,
                                                              **form.service_kwargs())
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Draft saved from %(ref)s.") % {"ref": ticket.reference})
                return redirect(article)
    else:
        form = ArticleForm(initial=selectors.article_prefill_from_ticket(ticket))
    return render(request, "knowledge/article_form.html", {"form": form, "article": None, "ticket": ticket})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def article_edit(request, pk):
    article = selectors.article_get_for(request.user, pk)
    if not permissions.can_edit(request.user, article):
        raise PermissionDenied
    if request.method == "POST":
        form = ArticleForm(request.POST)
        if form.is_valid():
            try:
                services.article_update(actor=request.user, article=article, **form.service_kwargs())
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Article saved."))
                return redirect(article)
    else:
        form = ArticleForm(initial=_initial_from(article))
    return render(request, "knowledge/article_form.html", {"form": form, "article": article, "ticket": None})


ACTIONS = {
    "propose": (services.article_propose, _("Proposed for review: an engineer will publish it.")),
    "publish": (services.article_publish, _("Published.")),
    "unpublish": (services.article_unpublish, _("Unpublished: back to draft.")),
    "return": (services.article_return, _("Sent back to its author as a draft.")),
}


@require_POST
@login_required
def article_action(request, pk, action):
    article = selectors.article_get_for(request.user, pk)
    if action == "delete":
        services.article_delete(actor=request.user, article=article)
        messages.success(request, _("Article deleted."))
        return redirect("knowledge:list")
    if action not in ACTIONS:
        raise Http404("No such action.")
    service, done = ACTIONS[action]
    try:
        service(actor=request.user, article=article)
    except ArticleStateError as exc:
        messages.error(request, exc.message)
        return redirect(article)
    messages.success(request, done)
    return redirect(article)


@require_POST
@login_required
def article_vote(request, pk):
    article = selectors.article_get_for(request.user, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose yes or no."))
        return redirect(article)
    services.article_vote(actor=request.user, article=article, helpful=form.cleaned_data["helpful"])
    if request.htmx:
        article.refresh_from_db()
        return render(request, "knowledge/includes/vote.html", {"article": article, "can_vote": True,
                                                                 "my_vote": form.cleaned_data["helpful"]})
    messages.success(request, _("Thank you for your answer."))
    return redirect(article)


@require_safe
@login_required
def review_queue(request):
    if not permissions.can_review(request.user):
        raise PermissionDenied
    page, querystring = _paginate(request, selectors.articles_for_review(request.user))
    return render(request, "knowledge/review_queue.html", {"page_obj": page, "querystring_base": querystring})


# Suggestions while a ticket is typed ----------------------------------------------------------

@require_safe
@login_required
def suggest(request):
    """htmx fragment under the ticket form: matching articles and similar resolved tickets."""
    text = f'{request.GET.get("title", "")} {request.GET.get("description", "")[:500]}'.strip()
    equipment = None
    raw = request.GET.get("equipment", "")
    if raw.isdigit():
        equipment = Equipment.objects.select_related("model").filter(pk=raw).first()
    articles = selectors.suggestions_for(user=request.user, text=text, equipment=equipment) if text else []
    tickets = selectors.similar_resolved_tickets(user=request.user, text=text, equipment=equipment) if text else []
    return render(request, "knowledge/includes/suggestions.html", {
        "articles": articles, "similar": tickets, "query": request.GET.get("title", "")[:200],
    })


@require_POST
@login_required
def deflect(request, pk):
    """"This solved it": counted, and the user leaves without a ticket."""
    article = selectors.article_get_for(request.user, pk)
    services.article_deflect(actor=request.user, article=article, query=request.POST.get("query", ""))
    messages.success(request, _("Glad it helped. No ticket was created."))
    return redirect(article)


# Reliability ----------------------------------------------------------------------------------

def _reliability_figures(request):
    if not permissions.can_view_analytics(request.user):
        raise PermissionDenied
    form = ReliabilityFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {"grouping": "model", "start": None, "end": None,
                                                  "site": None, "category": ""}
    return form, filters, reliability.figures(**filters)


@require_safe
@login_required
def reliability_page(request):
    form, filters, figures = _reliability_figures(request)
    rows = figures.rows
    page, querystring = _paginate(request, rows)
    top = max((r.failures for r in rows), default=0)
    mtbf_max = max((r.mtbf_days or 0 for r in rows), default=0)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "knowledge/reliability.html", {
        "form": form, "page_obj": page, "querystring_base": querystring, "filters": filters, "figures": figures,
        "chart": [{"label": r.label, "n": r.failures, "pct": (100 * r.failures / top) if top else 0,
                   "mtbf": r.mtbf_days, "mtbf_pct": (100 * (r.mtbf_days or 0) / mtbf_max) if mtbf_max else 0}
                  for r in rows[:10]],
        "chart_height": 6 * min(len(rows), 10),
        "totals": {"failures": sum(r.failures for r in rows), "groups": len(rows)},
        "csv_url": reverse("knowledge:reliability_csv") + (f"?{params.urlencode()}" if params else ""),
    })


@require_safe
@login_required
def reliability_csv(request):
    _form, filters, figures = _reliability_figures(request)
    response = HttpResponse(reliability.rows_to_csv(figures.rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="reliability-{filters["grouping"]}-{stamp}.csv"'
    response["Last-Modified"] = http_date(figures.computed_at.timestamp())  # when the figures were computed
    return response
