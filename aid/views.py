"""`/entraide/`: thin views over `questions.py`, `answers.py` and `selectors.py`.

Anonymous visitors are sent to the login page; signed-in people who may not
read the space get a 403 page explaining how to join (`aid/not_member.html`).
Every POST answers with a redirect (with a message) or the form again with its
French errors; none needs JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aid import answers as answer_rules
from aid import drafts, publication, solicitations
from aid import questions as question_rules
from aid.access import can_moderate, can_read, can_write
from aid.errors import AidError
from aid.forms import (
    AnswerEditForm,
    AnswerForm,
    ConsentForm,
    QuestionFilterForm,
    QuestionForm,
    ReportForm,
    SolicitForm,
)
from aid.models import MAX_SOLICITATIONS, Answer, Question, QuestionStatus
from aid.selectors import count_answers, question_answers, questions_listing
from aid.suggestions import existing_answers
from retex.pagination import paginate
from retex.ratelimit import rate_limited
from retex.views import id_or_404, private

POSTING = "aid_post"


def _refuse(request, *, writing: bool = False):
    """The 403 page: how to join the network (or why this is for members)."""
    return render(request, "aid/not_member.html", {"writing": writing}, status=403)


def _reader(view):
    """Signed-in readers only (anonymous: login; others: how to join)."""

    def wrapper(request, *args, **kwargs):
        if not can_read(request.user):
            return _refuse(request)
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return login_required(wrapper)


def _question_or_404(question_id: int) -> Question:
    question = (
        Question.objects.filter(pk=id_or_404(question_id), hidden=False)
        .select_related("author", "collectivity")
        .prefetch_related("themes")
        .first()
    )
    if question is None:
        raise Http404
    return question


@_reader
def question_list(request):
    form = QuestionFilterForm(request.GET or None)
    filters = form.valid_filters() if form.is_bound else {}
    questions = paginate(request, questions_listing(filters=filters))
    questions.object_list = count_answers(questions.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return private(
        render(
            request,
            "aid/question_list.html",
            {
                "questions": questions,
                "filter_form": form,
                "filtered": bool(filters),
                "extra_query": query.urlencode(),
                "can_ask": can_write(request.user),
            },
        )
    )


CHECK = "verifier"


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited(POSTING)
def question_create(request):
    """The form; `?titre=` prefills the title and shows what already answers
    it, as does the « Vérifier les réponses existantes » button (a POST that
    posts nothing and shows the form again, with what was typed)."""
    if not can_write(request.user):
        return _refuse(request, writing=True)
    checking = request.method == "POST" and CHECK in request.POST
    if request.method == "POST" and not checking:
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                question, created = question_rules.question_create(
                    author=request.user,
                    title=form.cleaned_data["title"],
                    details=form.cleaned_data["details"],
                    themes=form.cleaned_data["themes"],
                    token=form.cleaned_data["token"],
                    consent=form.cleaned_data["consent"],
                )
            except AidError as error:
                form.add_error(None, error.message)
            else:
                if created:
                    messages.success(request, _("Votre question est posée au réseau."))
                return redirect(question)
        title = request.POST.get("title", "")
    elif checking:
        # Shown again unbound: checking is not submitting, no error yet.
        form = QuestionForm(initial=_typed(request.POST))
        title = request.POST.get("title", "")
    else:
        title = request.GET.get("titre", "")[:300]
        form = QuestionForm(initial={"title": title} if title else {})
    return private(
        render(
            request,
            "aid/question_form.html",
            {
                "form": form,
                "title": title,
                "checked": checking or bool(title and request.method == "GET"),
                "suggestions": existing_answers(title=title, user=request.user),
                "check_name": CHECK,
            },
        )
    )


def _typed(data) -> dict:
    """What the person typed, to fill the form again (themes as a list)."""
    initial = {
        name: data.get(name, "")[:20_000] for name in ("title", "details", "token")
    }
    initial["themes"] = data.getlist("themes")
    initial["consent"] = bool(data.get("consent"))
    if not initial["token"]:
        initial.pop("token")
    return initial


@login_required
@require_http_methods(["GET"])
def question_suggestions(request):
    """The suggestions alone (an HTML fragment), for the form's script."""
    if not can_write(request.user):
        return _refuse(request, writing=True)
    title = request.GET.get("titre", "")[:300]
    return private(
        render(
            request,
            "aid/includes/suggestions.html",
            {
                "suggestions": existing_answers(title=title, user=request.user),
                "title": title,
                "checked": True,
            },
        )
    )


def _question_context(request, question, **forms):
    user = request.user
    answers = question_answers(question, user=user)
    is_asker = question.author_id is not None and question.author_id == user.pk
    writer = can_write(user)
    candidates = solicitations.candidates_for(question, user=user)
    for answer in answers:
        answer.editable = writer and answer_rules.can_edit(answer, user)
        answer.deadline = answer_rules.edit_deadline(answer)
    return {
        "question": question,
        "answers": answers,
        "is_asker": is_asker,
        "can_write": writer,
        "can_answer": writer and question.status != QuestionStatus.CLOSED,
        "can_choose": writer and is_asker and question.status != QuestionStatus.CLOSED,
        "can_close": question.status != QuestionStatus.CLOSED
        and ((is_asker and writer) or can_moderate(user)),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        # Each answer's report form is written out in the template (the same
        # field, its own ids): one form object for its label and help.
        "report_field": ReportForm.base_fields["reason"],
        "report_field_suffix": ReportForm().label_suffix,
        "report_form": forms.get("report_form")
        or ReportForm(prefix_id="signalement-question"),
        "candidates": candidates,
        "can_solicit": solicitations.can_solicit(question, user),
        "max_solicitations": MAX_SOLICITATIONS,
        # The solicited collectivities are always among the candidates.
        "solicited_count": sum(1 for c in candidates if c.solicitation),
        "knowledge": drafts.knowledge_link(question, user),
        "can_draft": question.knowledge_page_id is None
        and drafts.can_draft(question, user),
        "can_publish": can_moderate(user),
        "missing_consents": publication.missing_consents(question)
        if can_moderate(user)
        else [],
        "is_public": publication.is_public(question),
    }


def question_detail(request, question_id: int, slug: str):
    """Members read every visible thread; anybody else only a public one
    (with the answers of those who agreed), else the login or how to join."""
    question = _question_or_404(question_id)
    if not can_read(request.user):
        if not publication.is_public(question):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return _refuse(request)
        if slug != question.slug:
            return redirect(question, permanent=True)
        return render(
            request,
            "aid/question_public.html",
            {
                "question": question,
                "answers": question_answers(
                    question, user=request.user, public_only=True
                ),
            },
        )
    if slug != question.slug:
        return redirect(question, permanent=True)
    return private(
        render(
            request,
            "aid/question_detail.html",
            _question_context(request, question),
        )
    )


def _done(request, target, text):
    messages.success(request, text)
    return redirect(target)


def _refused(request, target, error: AidError):
    messages.error(request, error.message)
    return redirect(target)


@_reader
@require_POST
@rate_limited(POSTING)
def answer_create(request, question_id: int, slug: str):
    question = _question_or_404(question_id)
    if not can_write(request.user):
        return _refuse(request, writing=True)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer, created = answer_rules.answer_create(
                question_id=question.pk,
                author=request.user,
                body=form.cleaned_data["body"],
                token=form.cleaned_data["token"],
                consent=form.cleaned_data["consent"],
            )
        except AidError as error:
            form.add_error(None, error.message)
        else:
            if created:
                messages.success(request, _("Votre réponse est publiée."))
            return redirect(answer)
    context = _question_context(request, question, answer_form=form)
    return private(render(request, "aid/question_detail.html", context, status=400))


@_reader
@require_POST
def question_close(request, question_id: int, slug: str):
    question = _question_or_404(question_id)
    try:
        question_rules.question_close(question_id=question.pk, user=request.user)
    except AidError as error:
        return _refused(request, question, error)
    return _done(request, question, _("La question est close."))


@_reader
@require_POST
@rate_limited(POSTING)
def question_report(request, question_id: int, slug: str):
    question = _question_or_404(question_id)
    if not can_write(request.user):
        return _refuse(request, writing=True)
    form = ReportForm(request.POST, prefix_id="signalement-question")
    if form.is_valid():
        try:
            question_rules.report_create(
                user=request.user,
                question_id=question.pk,
                reason=form.cleaned_data["reason"],
            )
        except AidError as error:
            return _refused(request, question, error)
        return _done(
            request,
            question,
            _("Merci\u00a0: l'équipe du réseau va examiner votre signalement."),
        )
    context = _question_context(request, question, report_form=form)
    return private(render(request, "aid/question_detail.html", context, status=400))


def _answer_or_404(answer_id: int) -> Answer:
    answer = (
        Answer.objects.filter(
            pk=id_or_404(answer_id), hidden=False, question__hidden=False
        )
        .select_related("question")
        .first()
    )
    if answer is None:
        raise Http404
    return answer


@_reader
@require_POST
def answer_useful(request, answer_id: int):
    answer = _answer_or_404(answer_id)
    try:
        answer_rules.answer_mark_useful(answer_id=answer.pk, user=request.user)
    except AidError as error:
        return _refused(request, answer, error)
    return _done(
        request, answer, _("Merci\u00a0: la réponse est marquée «\u00a0utile\u00a0».")
    )


@_reader
@require_POST
def answer_solution(request, answer_id: int):
    answer = _answer_or_404(answer_id)
    try:
        answer_rules.answer_mark_solution(answer_id=answer.pk, user=request.user)
    except AidError as error:
        return _refused(request, answer, error)
    return _done(
        request,
        answer,
        _("Cette réponse est la solution\u00a0: la question est résolue."),
    )


@_reader
@require_POST
@rate_limited(POSTING)
def answer_report(request, answer_id: int):
    answer = _answer_or_404(answer_id)
    if not can_write(request.user):
        return _refuse(request, writing=True)
    form = ReportForm(request.POST, prefix_id=f"signalement-{answer.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reason", [])))
        return redirect(answer)
    try:
        question_rules.report_create(
            user=request.user, answer_id=answer.pk, reason=form.cleaned_data["reason"]
        )
    except AidError as error:
        return _refused(request, answer, error)
    return _done(
        request,
        answer,
        _("Merci\u00a0: l'équipe du réseau va examiner votre signalement."),
    )


@_reader
@require_http_methods(["GET", "POST"])
def answer_edit(request, answer_id: int):
    answer = _answer_or_404(answer_id)
    if not can_write(request.user):
        return _refuse(request, writing=True)
    if answer.author_id != request.user.pk:
        return _refused(
            request,
            answer,
            AidError(_("Vous ne pouvez modifier que vos propres réponses.")),
        )
    if not answer_rules.can_edit(answer, request.user):
        return _refused(
            request,
            answer,
            AidError(_("Le délai pour modifier cette réponse est passé.")),
        )
    form = AnswerEditForm(request.POST or None, initial={"body": answer.body})
    if request.method == "POST" and form.is_valid():
        try:
            answer_rules.answer_edit(
                answer_id=answer.pk, user=request.user, body=form.cleaned_data["body"]
            )
        except AidError as error:
            form.add_error(None, error.message)
        else:
            return _done(request, answer, _("Votre réponse est modifiée."))
    return private(
        render(
            request,
            "aid/answer_form.html",
            {
                "form": form,
                "answer": answer,
                "deadline": answer_rules.edit_deadline(answer),
                "cancel_url": reverse(
                    "aid:question",
                    kwargs={
                        "question_id": answer.question_id,
                        "slug": answer.question.slug,
                    },
                ),
            },
        )
    )


@_reader
@require_POST
def question_consent(request, question_id: int, slug: str):
    question = _question_or_404(question_id)
    form = ConsentForm(request.POST)
    form.is_valid()
    consent = bool(form.cleaned_data.get("consent"))
    try:
        question_rules.question_set_consent(
            question_id=question.pk, user=request.user, consent=consent
        )
    except AidError as error:
        return _refused(request, question, error)
    return _done(
        request,
        question,
        _("Merci\u00a0: votre question peut être reprise.")
        if consent
        else _("C'est noté\u00a0: votre question ne sera pas reprise."),
    )


@_reader
@require_POST
def answer_consent(request, answer_id: int):
    answer = _answer_or_404(answer_id)
    form = ConsentForm(request.POST)
    form.is_valid()
    consent = bool(form.cleaned_data.get("consent"))
    try:
        answer_rules.answer_set_consent(
            answer_id=answer.pk, user=request.user, consent=consent
        )
    except AidError as error:
        return _refused(request, answer, error)
    return _done(
        request,
        answer,
        _("Merci\u00a0: votre réponse peut être reprise.")
        if consent
        else _("C'est noté\u00a0: votre réponse ne sera pas reprise."),
    )


@_reader
@require_POST
@rate_limited(POSTING)
def question_solicit(request, question_id: int, slug: str):
    question = _question_or_404(question_id)
    form = SolicitForm(request.POST)
    if not form.is_valid():
        return _refused(request, question, AidError(_("Choisissez une collectivité.")))
    try:
        solicitation, _created = solicitations.solicit(
            question_id=question.pk,
            collectivity_id=form.cleaned_data["collectivity"],
            by=request.user,
        )
    except AidError as error:
        return _refused(request, question, error)
    return _done(
        request,
        question,
        _("%(name)s est sollicitée\u00a0: ses représentants reçoivent un courriel.")
        % {"name": solicitation.collectivity.title},
    )


@_reader
@require_POST
def question_publication(request, question_id: int, slug: str):
    question = _question_or_404(question_id)
    public = request.POST.get("public") == "1"
    try:
        publication.question_set_public(
            question_id=question.pk, public=public, by=request.user
        )
    except AidError as error:
        return _refused(request, question, error)
    return _done(
        request,
        question,
        _("Le fil est public\u00a0: les visiteurs peuvent le lire.")
        if public
        else _("Le fil est de nouveau réservé aux membres."),
    )


@_reader
@require_POST
def question_draft(request, question_id: int, slug: str):
    question = _question_or_404(question_id)
    try:
        page, _created = drafts.draft_from_question(
            question_id=question.pk,
            kind=request.POST.get("kind", ""),
            by=request.user,
        )
    except AidError as error:
        return _refused(request, question, error)
    messages.success(
        request,
        _(
            "Le brouillon «\u00a0%(title)s\u00a0» est créé\u00a0: relisez-le, puis "
            "soumettez-le à la relecture."
        )
        % {"title": page.draft_title},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
