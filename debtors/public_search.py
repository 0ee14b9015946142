"""The public search page of the dishonest-debtor list (``/public/blacklist/``, no sign-in).

One view answers the full page or, for htmx, the results partial. The rules (query length,
what is published, masking) are the selector's; the rate limit is the API's, shared per address.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from debtors import selectors
from debtors.throttling import PublicSearchThrottle


class PublicSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name, ID number or credit code"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "search", "enterkeyhint": "search"}
        ),
    )
    page = forms.IntegerField(min_value=1, required=False)


class _WithoutQuery:
    """The request as templates see it, its full path without the query string."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    def __getattr__(self, name: str):
        return getattr(self._request, name)

    def get_full_path(self) -> str:
        return self._request.path


@never_cache
@require_GET
def blacklist_search(request: HttpRequest) -> HttpResponse:
    form = PublicSearchForm(request.GET or None)
    found = None
    status = 200
    query = request.GET.get("q")
    if query is not None and form.is_valid():
        if not PublicSearchThrottle().allow(request):
            form.add_error(None, _("Too many searches from your address; try again in a minute."))
            status = 429
        else:
            try:
                found = selectors.public_blacklist_search(
                    query=form.cleaned_data["q"], page=form.cleaned_data["page"] or 1
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
                status = 400
    elif query is not None:
        status = 400
    by_identity = selectors.looks_like_identity_number(selectors.public_key(query))
    context = {
        "form": form,
        "found": found,
        # A full identity number is never written back into a page (caches, screenshots): not
        # into the search box, nor into the language switch's return address.
        "echo": "" if by_identity else (query or "").strip(),
        "searched": query is not None,
    }
    if by_identity:
        context["request"] = _WithoutQuery(request)
    template = "public/_blacklist_results.html" if request.htmx else "public/blacklist_search.html"
    return render(request, template, context, status=status)
