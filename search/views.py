"""`/recherche/`: the search page.

Until the search issue brings the French search documents and Elasticsearch,
this searches the public live pages through Wagtail's database backend.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Page

from retex.visibility import pages_visible_to
from search.forms import SearchForm

PAGE_SIZE = 20


@require_GET
def search_page(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        pages = pages_visible_to(Page.objects.all(), user=request.user).exclude(
            depth__lte=2
        )
        found = pages.search(form.cleaned_data["terms"]).results()
        paginator = Paginator(found, PAGE_SIZE)
        results = paginator.get_page(request.GET.get("page"))
    return render(request, "search/search.html", {"form": form, "results": results})
