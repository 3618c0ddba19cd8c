from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def my_space(request):
    """`/mon-espace/`: the logged-in person's space."""
    return render(request, "members/my_space.html")
