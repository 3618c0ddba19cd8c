from django.core.paginator import Paginator


def paginate(request, object_list, *, per_page: int = 20):
    """A page of `object_list` for `?page=`; a malformed or out-of-range number gives
    the nearest valid page rather than an error."""
    return Paginator(object_list, per_page).get_page(request.GET.get("page"))
