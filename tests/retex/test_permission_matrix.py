"""Permission matrix: every URL pattern of the site, for every kind of person.

`EXPECTED` maps each URL pattern (its full route string, as Django's resolver
spells it) to the answer expected for the six roles, in the order of `ROLES`:

    anonymous, verified user, member, representative of A, editor, administrator

Answers are `200`, `login` (302 to the login page), `mfa` (302 to the MFA
set-up page), `302` (any other redirect), `403`, `404`, `405`. A `500` is never
expected. `test_every_url_pattern_has_an_expectation` fails, listing them, when a
new pattern has no entry: add one (run with `RETEX_MATRIX_PRINT=1` to see what the
site answers today, then check every answer is the one it should be).

Parameterised patterns are requested with real objects of the fixtures (see
`_param`); pages of the site are requested through `PAGE_URLS`. Requests are GET;
POST-only views answer 405 (or the login redirect first). Each role's requests
run in one test, with the data set up once for that role.
"""

import datetime
import os
import re
import uuid

import pytest
import wagtail_factories
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import (
    Collection,
    PageViewRestriction,
    Site,
    Task,
    Workflow,
)

from aid.answers import answer_create
from aid.questions import question_create, report_create
from events.models import CalendarToken, Registration, RegistrationStatus
from knowledge.models import KnowledgePageDocument
from members.affiliation import affiliation_request, affiliation_set_role
from members.models import AffiliationRole
from retex.visibility import MEMBERS_GROUP
from search.models import Synonym
from tests.factories import (
    ArticlePageFactory,
    CollectivityPageFactory,
    EventPageFactory,
    PracticePageFactory,
    ThemeFactory,
    UserFactory,
    close_response,
    give_mfa,
    make_document,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "verified", "member", "representative", "editor", "admin")

LOGIN_PATHS = ("/accounts/login/", "/admin/login/", "/_util/login/")
MFA_PATH = "/accounts/2fa/totp/activate/"

NOWHERE = 999_999  # an id no object has

# Every pattern under /admin/ answers the three roles without admin access the
# same way (Wagtail's `require_admin_access` wraps them all): the rule is asserted
# on every admin pattern, parameterised or not.
NO_ADMIN = "login login login"

# fmt: off
EXPECTED: dict[str, str] = {
    'healthz': "200 200 200 200 200 200",
    'robots.txt': "200 200 200 200 200 200",
    'sitemap.xml': "200 200 200 200 200 200",
    'admin/login/': "login login login login login login",
    'admin/': "login login login 200 200 200",
    'admin/test404/': "login login login 200 200 200",
    'admin/api/main/^pages/': "login login login 200 200 200",
    'admin/api/main/^pages/<int:pk>/': "login login login 200 200 200",
    'admin/api/main/^pages/find/': "login login login 404 404 404",
    'admin/api/main/^pages/<int:pk>/action/<str:action_name>/':
        "login login login 405 405 405",
    'admin/api/main/^documents/': "login login login 200 200 200",
    'admin/api/main/^documents/<int:pk>/': "login login login 200 200 200",
    'admin/api/main/^documents/find/': "login login login 404 404 404",
    'admin/api/main/^images/': "login login login 200 200 200",
    'admin/api/main/^images/<int:pk>/': "login login login 200 200 200",
    'admin/api/main/^images/find/': "login login login 404 404 404",
    # Wagtail's deliberate error page ("failwhale" raises on purpose): not
    # requested for the roles that pass `require_admin_access` ("-").
    'admin/failwhale/': "login login login - - -",
    'admin/pages/': "login login login 302 200 200",
    'admin/pages/<int:parent_page_id>/': "login login login 200 200 200",
    'admin/pages/<int:parent_page_id>/results/': "login login login 200 200 200",
    'admin/bulk/<str:app_label>/<str:model_name>/<str:action>/':
        "login login login 200 200 200",
    (
        'admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_'
        'name>/<int:parent_page_id>/'
    ): "login login login 302 200 200",
    (
        'admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_'
        'name>/<int:parent_page_id>/preview/'
    ): "login login login 302 200 200",
    'admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_model_name>/':
        "login login login 200 200 200",
    'admin/pages/create/<slug:app_label>/<slug:model_name>':
        "login login login 200 302 302",
    (
        'admin/pages/usage/<slug:content_type_app_name>/<slug:content_type_mode'
        'l_name>/results/'
    ): "login login login 200 200 200",
    'admin/pages/<int:page_id>/usage/': "login login login 200 200 200",
    'admin/pages/<int:page_id>/edit/': "login login login 200 200 200",
    'admin/pages/<int:page_id>/edit/preview/': "login login login 200 200 200",
    'admin/pages/<int:page_id>/view_draft/': "login login login 200 200 200",
    'admin/pages/<int:parent_page_id>/add_subpage/': "login login login 302 302 302",
    'admin/pages/<int:page_id>/delete/': "login login login 302 302 200",
    'admin/pages/<int:page_id>/unpublish/': "login login login 302 302 200",
    'admin/pages/<int:page_id>/convert_alias/': "login login login 404 404 404",
    'admin/pages/search/': "login login login 200 200 200",
    'admin/pages/search/results/': "login login login 200 200 200",
    'admin/pages/<int:page_to_move_id>/move/': "login login login 302 302 200",
    'admin/pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/':
        "login login login 200 200 200",
    'admin/pages/<int:page_to_move_id>/set_position/': "login login login 405 405 405",
    'admin/pages/<int:page_id>/copy/': "login login login 200 200 200",
    'admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/':
        "login login login 404 404 404",
    (
        'admin/pages/workflow/collect_action_data/<int:page_id>/<slug:action_na'
        'me>/<int:task_state_id>/'
    ): "login login login 404 404 404",
    'admin/pages/workflow/confirm_cancellation/<int:page_id>/':
        "login login login 200 200 200",
    'admin/pages/workflow/preview/<int:page_id>/<int:task_id>/':
        "login login login 302 302 302",
    'admin/pages/<int:page_id>/privacy/': "login login login 302 302 200",
    'admin/pages/<int:page_id>/lock/': "login login login 405 405 405",
    'admin/pages/<int:page_id>/unlock/': "login login login 405 405 405",
    'admin/pages/<int:page_id>/revisions/': "login login login 302 302 302",
    'admin/pages/<int:page_id>/revisions/<int:revision_id>/view/':
        "login login login 200 200 200",
    'admin/pages/<int:page_id>/revisions/<int:revision_id>/revert/':
        "login login login 200 200 200",
    'admin/pages/<int:page_id>/revisions/<int:revision_id>/unschedule/':
        "login login login 302 302 200",
    (
        'admin/pages/^(?P<pk>\\d+)/revisions/compare/(?P<revision_id_a>live|earl'
        'iest|\\d+)\\.\\.\\.(?P<revision_id_b>live|latest|\\d+)/$'
    ): "login login login 200 200 200",
    'admin/pages/<int:page_id>/workflow_history/': "login login login 200 200 200",
    'admin/pages/<int:page_id>/workflow_history/detail/<int:workflow_state_id>/':
        "login login login 404 404 404",
    'admin/pages/<int:page_id>/history/': "login login login 200 200 200",
    'admin/pages/<int:page_id>/history/results/': "login login login 200 200 200",
    'admin/choose-page/': "login login login 200 200 200",
    'admin/choose-page/<int:parent_page_id>/': "login login login 200 200 200",
    'admin/choose-page/search/': "login login login 200 200 200",
    'admin/choose-page/chosen-multiple/': "login login login 200 200 200",
    'admin/choose-external-link/': "login login login 200 200 200",
    'admin/choose-email-link/': "login login login 200 200 200",
    'admin/choose-phone-link/': "login login login 200 200 200",
    'admin/choose-anchor-link/': "login login login 200 200 200",
    'admin/tag-autocomplete/': "login login login 200 200 200",
    'admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/':
        "login login login 404 404 404",
    'admin/collections/': "login login login 302 302 200",
    'admin/collections/add/': "login login login 302 302 200",
    'admin/collections/<int:pk>/': "login login login 302 302 404",
    'admin/collections/<int:pk>/delete/': "login login login 404 404 404",
    'admin/collections/<int:collection_id>/privacy/': "login login login 302 302 200",
    'admin/workflows/list/': "login login login 302 302 200",
    'admin/workflows/list/results/': "login login login 302 302 200",
    'admin/workflows/add/': "login login login 302 302 200",
    'admin/workflows/enable/<int:pk>/': "login login login 405 405 405",
    'admin/workflows/disable/<int:pk>/': "login login login 302 302 200",
    'admin/workflows/edit/<int:pk>/': "login login login 302 302 200",
    'admin/workflows/usage/<int:pk>/': "login login login 302 302 200",
    'admin/workflows/usage/<int:pk>/results/': "login login login 302 302 200",
    'admin/workflows/remove/<int:page_pk>/': "login login login 405 405 405",
    'admin/workflows/remove/<int:page_pk>/<int:workflow_pk>/':
        "login login login 405 405 405",
    'admin/workflows/tasks/add/<str:app_label>/<str:model_name>/':
        "login login login 302 302 200",
    'admin/workflows/tasks/select_type/': "login login login 302 302 302",
    'admin/workflows/tasks/index/': "login login login 302 302 200",
    'admin/workflows/tasks/index/results/': "login login login 302 302 200",
    'admin/workflows/tasks/edit/<int:pk>/': "login login login 302 302 200",
    'admin/workflows/tasks/disable/<int:pk>/': "login login login 302 302 200",
    'admin/workflows/tasks/enable/<int:pk>/': "login login login 405 405 405",
    'admin/workflows/task_chooser/': "login login login 200 200 200",
    'admin/workflows/task_chooser/results/': "login login login 200 200 200",
    'admin/workflows/task_chooser/create/': "login login login 200 200 200",
    'admin/workflows/task_chooser/<int:task_id>/': "login login login 200 200 200",
    'admin/reports/locked/': "login login login 302 302 200",
    'admin/reports/locked/results/': "login login login 302 302 200",
    'admin/reports/workflow/': "login login login 200 200 200",
    'admin/reports/workflow/results/': "login login login 200 200 200",
    'admin/reports/workflow_tasks/': "login login login 200 200 200",
    'admin/reports/workflow_tasks/results/': "login login login 200 200 200",
    'admin/reports/site-history/': "login login login 200 200 200",
    'admin/reports/site-history/results/': "login login login 200 200 200",
    'admin/reports/aging-pages/': "login login login 200 200 200",
    'admin/reports/aging-pages/results/': "login login login 200 200 200",
    'admin/reports/page-types-usage/': "login login login 200 200 200",
    'admin/reports/page-types-usage/results/': "login login login 200 200 200",
    'admin/account/': "login login login 200 200 200",
    'admin/logout/': "login login login 405 405 405",
    'admin/dismissibles/': "login login login 200 200 200",
    (
        'admin/editing-sessions/ping/<str:app_label>/<str:model_name>/<str:obje'
        'ct_id>/<int:session_id>/'
    ): "login login login 405 405 405",
    'admin/editing-sessions/release/<int:session_id>/': "login login login 405 405 405",
    'admin/block-preview/': "login login login 404 404 404",
    'admin/membres/nouvelle-collectivite/': "login login login 302 200 200",
    'admin/reports/ressources-par-theme/': "login login login 200 200 200",
    'admin/reports/ressources-par-theme/results/': "login login login 200 200 200",
    'admin/evenements/<int:event_id>/inscriptions/': "login login login 302 200 200",
    'admin/evenements/<int:event_id>/inscriptions/export.csv':
        "login login login 302 200 200",
    'admin/evenements/<int:event_id>/inscriptions/export.xlsx':
        "login login login 302 200 200",
    'admin/evenements/<int:event_id>/inscriptions/emargement/':
        "login login login 302 200 200",
    'admin/evenements/<int:event_id>/inscriptions/ecrire/':
        "login login login 302 200 200",
    'admin/evenements/<int:event_id>/inscriptions/<int:registration_id>/presence/':
        "login login login 405 405 405",
    'admin/evenements/<int:event_id>/inscriptions/<int:registration_id>/annuler/':
        "login login login 405 405 405",
    'admin/evenements/<int:event_id>/inscriptions/<int:registration_id>/promouvoir/':
        "login login login 405 405 405",
    'admin/reports/recherches/': "login login login 302 200 200",
    'admin/forms/': "login login login 200 200 200",
    'admin/forms/results/': "login login login 200 200 200",
    'admin/forms/submissions/<int:page_id>/': "login login login 404 404 404",
    'admin/forms/submissions/<int:page_id>/results/': "login login login 404 404 404",
    'admin/forms/submissions/<int:page_id>/delete/': "login login login 302 302 302",
    'admin/redirects/': "login login login 302 302 200",
    'admin/redirects/results/': "login login login 302 302 200",
    'admin/redirects/add/': "login login login 302 302 200",
    'admin/redirects/<int:redirect_id>/': "login login login 302 302 200",
    'admin/redirects/<int:redirect_id>/delete/': "login login login 302 302 200",
    'admin/redirects/import/': "login login login 302 302 200",
    'admin/redirects/import/process/': "login login login 302 302 405",
    'admin/settings/<slug:app_name>/<slug:model_name>/':
        "login login login 302 302 302",
    'admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/':
        "login login login 404 404 404",
    'admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/preview/':
        "login login login 404 404 404",
    'admin/embeds/chooser/': "login login login 200 200 200",
    'admin/embeds/chooser/upload/': "login login login 200 200 200",
    'admin/snippets/': "login login login 302 302 302",
    'admin/documents/': "login login login 200 200 200",
    'admin/documents/results/': "login login login 200 200 200",
    'admin/documents/add/': "login login login 200 200 200",
    'admin/documents/edit/<int:document_id>/': "login login login 302 200 200",
    'admin/documents/delete/<int:document_id>/': "login login login 302 200 200",
    'admin/documents/multiple/add/': "login login login 200 200 200",
    'admin/documents/multiple/<int:doc_id>/': "login login login 405 405 405",
    'admin/documents/multiple/create_from_uploaded_document/<int:uploaded_file_id>/':
        "login login login 405 405 405",
    'admin/documents/multiple/<int:doc_id>/delete/': "login login login 405 405 405",
    'admin/documents/multiple/delete_upload/<int:uploaded_file_id>/':
        "login login login 405 405 405",
    'admin/documents/usage/<int:document_id>/': "login login login 302 200 200",
    'admin/images/': "login login login 200 200 200",
    'admin/images/results/': "login login login 200 200 200",
    'admin/images/<int:image_id>/': "login login login 302 302 200",
    'admin/images/<int:image_id>/delete/': "login login login 302 302 200",
    'admin/images/<int:image_id>/generate_url/': "login login login 404 404 404",
    'admin/images/<int:image_id>/generate_url/output/': "login login login 404 404 404",
    'admin/images/<int:image_id>/preview/<str:filter_spec>/':
        "login login login 302 302 200",
    'admin/images/add/': "login login login 200 200 200",
    'admin/images/usage/<int:image_id>/': "login login login 302 302 200",
    'admin/images/multiple/add/': "login login login 200 200 200",
    'admin/images/multiple/<int:image_id>/': "login login login 405 405 405",
    'admin/images/multiple/create_from_uploaded_image/<int:uploaded_file_id>/':
        "login login login 405 405 405",
    'admin/images/multiple/<int:image_id>/delete/': "login login login 405 405 405",
    'admin/images/multiple/delete_upload/<int:uploaded_file_id>/':
        "login login login 405 405 405",
    'admin/snippets/retex/theme/': "login login login 302 302 200",
    'admin/snippets/retex/theme/results/': "login login login 302 302 200",
    'admin/snippets/retex/theme/add/': "login login login 302 302 200",
    'admin/snippets/retex/theme/edit/<int:pk>/': "login login login 302 302 200",
    'admin/snippets/retex/theme/delete/<int:pk>/': "login login login 302 302 200",
    'admin/snippets/retex/theme/usage/<int:pk>/': "login login login 302 302 200",
    'admin/snippets/retex/theme/history/<int:pk>/': "login login login 302 302 200",
    'admin/snippets/retex/theme/history-results/<int:pk>/':
        "login login login 302 302 200",
    'admin/snippets/retex/theme/copy/<int:pk>/': "login login login 302 302 200",
    'admin/snippets/choose/retex/theme/': "login login login 200 200 200",
    'admin/snippets/choose/retex/theme/results/': "login login login 200 200 200",
    'admin/snippets/choose/retex/theme/chosen/<str:pk>/':
        "login login login 200 200 200",
    'admin/snippets/choose/retex/theme/chosen-multiple/':
        "login login login 200 200 200",
    'admin/snippets/choose/retex/theme/create/': "login login login 302 302 200",
    'admin/snippets/search/synonym/': "login login login 302 200 200",
    'admin/snippets/search/synonym/results/': "login login login 302 200 200",
    'admin/snippets/search/synonym/add/': "login login login 302 200 200",
    'admin/snippets/search/synonym/edit/<int:pk>/': "login login login 302 200 200",
    'admin/snippets/search/synonym/delete/<int:pk>/': "login login login 302 200 200",
    'admin/snippets/search/synonym/usage/<int:pk>/': "login login login 302 200 200",
    'admin/snippets/search/synonym/history/<int:pk>/': "login login login 302 200 200",
    'admin/snippets/search/synonym/history-results/<int:pk>/':
        "login login login 302 200 200",
    'admin/snippets/choose/search/synonym/': "login login login 200 200 200",
    'admin/snippets/choose/search/synonym/results/': "login login login 200 200 200",
    'admin/snippets/choose/search/synonym/chosen/<str:pk>/':
        "login login login 200 200 200",
    'admin/snippets/choose/search/synonym/chosen-multiple/':
        "login login login 200 200 200",
    'admin/snippets/choose/search/synonym/create/': "login login login 302 200 200",
    'admin/affiliations/': "login login login 302 200 200",
    'admin/affiliations/results/': "login login login 302 200 200",
    'admin/affiliations/new/': "login login login 302 302 200",
    'admin/affiliations/edit/<int:pk>/': "login login login 302 200 200",
    'admin/affiliations/delete/<int:pk>/': "login login login 302 302 200",
    'admin/affiliations/history/<int:pk>/': "login login login 302 200 200",
    'admin/affiliations/history-results/<int:pk>/': "login login login 302 200 200",
    'admin/affiliations/usage/<int:pk>/': "login login login 302 200 200",
    'admin/affiliations/inspect/<int:pk>/': "login login login 302 200 200",
    'admin/sites/': "login login login 302 302 200",
    'admin/sites/results/': "login login login 302 302 200",
    'admin/sites/new/': "login login login 302 302 200",
    'admin/sites/edit/<int:pk>/': "login login login 302 302 200",
    'admin/sites/delete/<int:pk>/': "login login login 302 302 200",
    'admin/sites/history/<int:pk>/': "login login login 302 302 200",
    'admin/sites/history-results/<int:pk>/': "login login login 302 302 200",
    'admin/sites/usage/<int:pk>/': "login login login 302 302 200",
    'admin/sites/copy/<int:pk>/': "login login login 302 302 200",
    'admin/users/': "login login login 302 302 200",
    'admin/users/results/': "login login login 302 302 200",
    'admin/users/new/': "login login login 302 302 200",
    'admin/users/edit/<int:pk>/': "login login login 302 302 200",
    'admin/users/delete/<int:pk>/': "login login login 302 302 200",
    'admin/users/history/<int:pk>/': "login login login 302 302 200",
    'admin/users/history-results/<int:pk>/': "login login login 302 302 200",
    'admin/users/usage/<int:pk>/': "login login login 302 302 200",
    'admin/users/copy/<int:pk>/': "login login login 302 302 200",
    'admin/groups/': "login login login 302 302 200",
    'admin/groups/results/': "login login login 302 302 200",
    'admin/groups/new/': "login login login 302 302 200",
    'admin/groups/edit/<int:pk>/': "login login login 302 302 200",
    'admin/groups/delete/<int:pk>/': "login login login 302 302 200",
    'admin/groups/history/<int:pk>/': "login login login 302 302 200",
    'admin/groups/history-results/<int:pk>/': "login login login 302 302 200",
    'admin/groups/usage/<int:pk>/': "login login login 302 302 200",
    'admin/documents/chooser/': "login login login 200 200 200",
    'admin/documents/chooser/results/': "login login login 200 200 200",
    'admin/documents/chooser/chosen/<str:pk>/': "login login login 200 200 200",
    'admin/documents/chooser/chosen-multiple/': "login login login 200 200 200",
    'admin/documents/chooser/create/': "login login login 200 200 200",
    'admin/images/chooser/': "login login login 200 200 200",
    'admin/images/chooser/results/': "login login login 200 200 200",
    'admin/images/chooser/chosen/<str:pk>/': "login login login 302 302 200",
    'admin/images/chooser/chosen-multiple/': "login login login 200 200 200",
    'admin/images/chooser/create/': "login login login 200 200 200",
    'admin/images/chooser/<int:image_id>/select_format/':
        "login login login 302 302 200",
    # Moderation of the mutual-aid space: editors view and edit (hide,
    # restore, handle), nobody adds from the admin, only administrators delete.
    'admin/entraide/signalements/': "login login login 302 200 200",
    'admin/entraide/signalements/results/': "login login login 302 200 200",
    'admin/entraide/signalements/new/': "login login login 302 302 302",
    'admin/entraide/signalements/edit/<int:pk>/': "login login login 302 200 200",
    'admin/entraide/signalements/delete/<int:pk>/': "login login login 302 302 200",
    'admin/entraide/signalements/history/<int:pk>/': "login login login 302 200 200",
    'admin/entraide/signalements/history-results/<int:pk>/':
        "login login login 302 200 200",
    'admin/entraide/signalements/usage/<int:pk>/': "login login login 302 200 200",
    'admin/entraide/signalements/inspect/<int:pk>/': "login login login 302 200 200",
    'admin/entraide/questions/': "login login login 302 200 200",
    'admin/entraide/questions/results/': "login login login 302 200 200",
    'admin/entraide/questions/new/': "login login login 302 302 302",
    'admin/entraide/questions/edit/<int:pk>/': "login login login 302 200 200",
    'admin/entraide/questions/delete/<int:pk>/': "login login login 302 302 200",
    'admin/entraide/questions/history/<int:pk>/': "login login login 302 200 200",
    'admin/entraide/questions/history-results/<int:pk>/':
        "login login login 302 200 200",
    'admin/entraide/questions/usage/<int:pk>/': "login login login 302 200 200",
    'admin/entraide/questions/inspect/<int:pk>/': "login login login 302 200 200",
    'admin/entraide/reponses/': "login login login 302 200 200",
    'admin/entraide/reponses/results/': "login login login 302 200 200",
    'admin/entraide/reponses/new/': "login login login 302 302 302",
    'admin/entraide/reponses/edit/<int:pk>/': "login login login 302 200 200",
    'admin/entraide/reponses/delete/<int:pk>/': "login login login 302 302 200",
    'admin/entraide/reponses/history/<int:pk>/': "login login login 302 200 200",
    'admin/entraide/reponses/history-results/<int:pk>/':
        "login login login 302 200 200",
    'admin/entraide/reponses/usage/<int:pk>/': "login login login 302 200 200",
    'admin/entraide/reponses/inspect/<int:pk>/': "login login login 302 200 200",
    'admin/sprite/': "200 200 200 200 200 200",
    'admin/password_reset/': "404 404 404 404 404 404",
    'admin/password_reset/done/': "404 404 404 404 404 404",
    'admin/password_reset/confirm/<uidb64>/<token>/': "404 404 404 404 404 404",
    'admin/password_reset/complete/': "404 404 404 404 404 404",
    'admin/jsi18n/': "200 200 200 200 200 200",
    'admin/^.*/$': "login login login 404 404 404",
    'accounts/login/': "200 200 200 200 200 200",
    'accounts/logout/': "302 200 200 200 200 200",
    'accounts/inactive/': "200 200 200 200 200 200",
    'accounts/signup/': "200 200 200 200 200 200",
    'accounts/reauthenticate/': "login 200 200 200 200 200",
    # Reauthentication by an emailed code is turned off (settings).
    'accounts/reauthenticate/code/': "login 403 403 403 403 403",
    'accounts/reauthenticate/code/confirm/': "login 403 403 403 403 403",
    'accounts/email/': "login 200 200 200 200 200",
    'accounts/confirm-email/': "200 200 200 200 200 200",
    'accounts/password/change/': "login 200 200 200 200 200",
    'accounts/password/set/': "login 302 302 302 302 302",
    'accounts/password/reset/': "200 200 200 200 200 200",
    'accounts/login/code/confirm/': "login 302 302 302 302 302",
    'accounts/^confirm-email/(?P<key>[-:\\w]+)/$': "200 200 200 200 200 200",
    'accounts/password/reset/key/done/': "200 200 200 200 200 200",
    'accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$':
        "200 200 200 200 200 200",
    'accounts/password/reset/done/': "200 200 200 200 200 200",
    'accounts/2fa/': "login 200 200 200 200 200",
    'accounts/2fa/authenticate/': "login 302 302 302 302 302",
    'accounts/2fa/reauthenticate/': "login 302 302 200 200 200",
    'accounts/2fa/totp/activate/': "login 302 302 302 302 302",
    'accounts/2fa/totp/deactivate/': "login 404 404 302 302 302",
    'accounts/2fa/recovery-codes/': "login 404 404 404 404 404",
    'accounts/2fa/recovery-codes/generate/': "login 302 302 302 302 302",
    'accounts/2fa/recovery-codes/download/': "login 404 404 404 404 404",
    # A document attached to a public page; a members-only one is in PAGE_EXPECTED.
    'documents/^(\\d+)/(.*)$': "200 200 200 200 200 200",
    'documents/authenticate_with_password/<int:restriction_id>/':
        "404 404 404 404 404 404",
    'evenements/agenda.ics': "200 200 200 200 200 200",
    '^((?:[\\w\\-]+/)+evenement\\.ics)$': "200 200 200 200 200 200",
    'mon-espace/agenda/<str:token>.ics': "200 200 200 200 200 200",
    'mon-espace/agenda/nouvelle-adresse/': "login 405 405 405 405 405",
    'mon-espace/': "login 200 200 200 200 200",
    'mon-espace/profil/': "login 200 200 200 200 200",
    'mon-espace/rattachement/': "login 200 200 200 200 200",
    'mon-espace/rattachement/quitter/': "login 302 200 200 302 302",
    'mon-espace/collectivite/<str:collectivity_id>/profil/':
        "login 404 404 200 404 404",
    'mon-espace/rattachements/': "login 200 200 200 200 200",
    # Practices proposed from Mon espace: members of the network only (others
    # are told how to join); someone else's proposal is a 404, editors are
    # sent to the page in the admin (here a practice nobody proposed).
    'mon-espace/pratiques/proposer/': "login 403 200 200 403 403",
    'mon-espace/pratiques/<str:page_id>/modifier/': "login 403 404 404 302 302",
    'mon-espace/rattachements/<str:affiliation_id>/<str:decision>/':
        "login 405 405 405 405 405",
    'mon-espace/mes-donnees.json': "login 200 200 200 200 200",
    'mon-espace/supprimer-mon-compte/': "login 200 200 200 200 200",
    # Follows and email preferences: one's own; unsubscribing needs a signed token.
    'mon-espace/abonnements/': "login 200 200 200 200 200",
    'mon-espace/abonnements/suivre/': "login 405 405 405 405 405",
    'mon-espace/abonnements/<int:follow_id>/retirer/': "login 405 405 405 405 405",
    'desabonnement/<str:token>/': "404 404 404 404 404 404",
    # The letter: confirming a public subscription needs a signed token; the
    # sending page names a letter the editor may publish (here: not a letter).
    'lettre/confirmer/<str:token>/': "404 404 404 404 404 404",
    'admin/lettre/<int:page_id>/envoi/': "login login login 404 404 404",
    'ressources/flux.xml': "200 200 200 200 200 200",
    'membres/export.csv': "200 200 200 200 200 200",
    'membres/export.json': "200 200 200 200 200 200",
    'ressources/atom.xml': "200 200 200 200 200 200",
    'ressources/fiche/<int:practice_id>.pdf': "200 200 200 200 200 200",
    'recherche/': "200 200 200 200 200 200",
    'api/search/': "200 200 200 200 200 200",
    'api/search/suggest/': "200 200 200 200 200 200",
    'attestations/verifier/': "200 200 200 200 200 200",
    'mon-espace/attestations/<int:registration_id>/attestation.pdf':
        "login 404 404 404 404 404",
    # Entraide: members only; others signed in get how to join (403); editors
    # read and moderate but neither ask nor answer; only an answer's author edits it.
    'entraide/': "login 403 200 200 200 200",
    'entraide/poser/': "login 403 200 200 403 403",
    'entraide/poser/suggestions/': "login 403 200 200 403 403",
    'entraide/<int:question_id>-<str:slug>/reprise/': "login 403 405 405 405 405",
    'entraide/<int:question_id>-<str:slug>/solliciter/': "login 403 405 405 405 405",
    'entraide/<int:question_id>-<str:slug>/publication/':
        "login 403 405 405 405 405",
    'entraide/<int:question_id>-<str:slug>/ressource/': "login 403 405 405 405 405",
    'entraide/reponses/<int:answer_id>/reprise/': "login 403 405 405 405 405",
    'entraide/<int:question_id>-<str:slug>/': "login 403 200 200 200 200",
    'entraide/<int:question_id>-<str:slug>/repondre/': "login 403 405 405 405 405",
    'entraide/<int:question_id>-<str:slug>/clore/': "login 403 405 405 405 405",
    'entraide/<int:question_id>-<str:slug>/signaler/': "login 403 405 405 405 405",
    'entraide/reponses/<int:answer_id>/utile/': "login 403 405 405 405 405",
    'entraide/reponses/<int:answer_id>/solution/': "login 403 405 405 405 405",
    'entraide/reponses/<int:answer_id>/modifier/': "login 403 302 200 403 403",
    'entraide/reponses/<int:answer_id>/signaler/': "login 403 405 405 405 405",
    '_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/':
        "200 200 200 200 200 200",
    '_util/login/': "login login login login login login",
    '^((?:[\\w\\-]+/)*)$': "200 200 200 200 200 200",
}
# fmt: on

# Pages of the site (served by `wagtail_serve` / `event_ics`), built in `data`.
PAGE_EXPECTED: dict[str, str] = {
    "home": "200 200 200 200 200 200",
    "resources": "200 200 200 200 200 200",
    "article": "200 200 200 200 200 200",
    "members_article": "403 403 200 200 403 200",
    "practice": "200 200 200 200 200 200",
    "members": "200 200 200 200 200 200",
    "collectivity": "200 200 200 200 200 200",
    "events": "200 200 200 200 200 200",
    "event": "200 200 200 200 200 200",
    "members_event": "403 403 200 200 403 200",
    "event_ics": "200 200 200 200 200 200",
    "members_event_ics": "403 403 200 200 403 200",
    # Over: « Événement passé », its synthesis and materials.
    "past_event": "200 200 200 200 200 200",
    # Cancelling asks first, on its own page: for the registered person (the
    # member, on the past event: the deadline passed, no button); others are
    # sent back to the event; a restricted one answers as its page does.
    "past_event_unregister": "login 302 200 302 302 302",
    "members_event_unregister": "403 403 302 302 403 302",
    # Editors manage documents in the admin, so they may download them.
    "members_document": "login 403 200 200 200 200",
    "unknown": "404 404 404 404 404 404",
}

# Patterns that are only mounted with DEBUG on (`static()`): requested if present.
DEBUG_ONLY = {"^media/(?!documents/)(?P<path>.*)$"}


# --- URL enumeration ------------------------------------------------------------


def all_routes() -> list[str]:
    routes = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                routes.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "")
    return list(dict.fromkeys(routes))


# --- Data -----------------------------------------------------------------------


def _verified_user(**kwargs):
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def _document(name: str, *, page) -> Document:
    document = make_document(name, b"%PDF-1.7 " + name.encode())
    KnowledgePageDocument.objects.create(page=page, document=document)
    return document


def build_data(section, home_page) -> dict:
    members_index = section("membres")
    resources = section("ressources")
    events_index = section("evenements")
    members_group, _ = Group.objects.get_or_create(name=MEMBERS_GROUP)

    ville_a = CollectivityPageFactory(
        parent=members_index, title="Ville A", email_domains="ville-a.fr"
    )
    ville_b = CollectivityPageFactory(
        parent=members_index, title="Ville B", email_domains="ville-b.fr"
    )
    superuser = give_mfa(_verified_user(is_superuser=True, is_staff=True))

    verified = _verified_user(email="verifie@ailleurs.fr")
    member = _verified_user(email="membre@ville-b.fr")
    affiliation_request(user=member, collectivity=ville_b)
    representative = _verified_user(email="rep@ville-a.fr")
    affiliation = affiliation_request(user=representative, collectivity=ville_a)
    affiliation_set_role(
        affiliation_id=affiliation.pk,
        role=AffiliationRole.REPRESENTATIVE,
        by=superuser,
    )
    give_mfa(representative)
    # Someone waiting for the representative's decision.
    applicant = _verified_user(email="candidat@ailleurs.fr")
    pending = affiliation_request(user=applicant, collectivity=ville_a)
    editor = _verified_user(email="editeur@reseau.fr")
    editor.groups.add(Group.objects.get(name="Éditeurs"))
    give_mfa(editor)

    article = ArticlePageFactory(parent=resources, title="Article public")
    members_article = ArticlePageFactory(parent=resources, title="Article membres")
    restriction = PageViewRestriction.objects.create(
        page=members_article, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(members_group)
    practice = PracticePageFactory(parent=resources, collectivity=ville_a)
    event = EventPageFactory(parent=events_index, title="Evenement public")
    members_event = EventPageFactory(parent=events_index, title="Evenement membres")
    event_restriction = PageViewRestriction.objects.create(
        page=members_event, restriction_type=PageViewRestriction.GROUPS
    )
    event_restriction.groups.add(members_group)
    past_event = EventPageFactory(
        parent=events_index,
        start=timezone.now() - datetime.timedelta(days=10),
        end=timezone.now() - datetime.timedelta(days=10, hours=-2),
    )
    registration = Registration.objects.create(
        event=past_event,
        user=member,
        status=RegistrationStatus.CONFIRMED,
        attended=True,
        confirmed_at=timezone.now() - datetime.timedelta(days=20),
    )
    token = CalendarToken.objects.create(user=member, token="t" * 40)
    ville_a.save_revision(user=superuser)
    event.save_revision(user=superuser)

    theme = ThemeFactory()
    question, _ = question_create(
        author=member,
        title="Une question au réseau",
        details="Précisions.",
        token=uuid.uuid4(),
    )
    answer, _ = answer_create(
        question_id=question.pk,
        author=representative,
        body="Une réponse.",
        token=uuid.uuid4(),
    )
    synonym = Synonym.objects.create(terms="matrice, tableau")
    document = _document("guide.pdf", page=article)
    members_document = _document("bureau.pdf", page=members_article)
    image = wagtail_factories.ImageFactory()
    from wagtail.contrib.redirects.models import Redirect

    redirect = Redirect.objects.create(old_path="/ancien", redirect_link="/")
    workflow = Workflow.objects.first()
    task = Task.objects.first()

    return {
        "users": {
            "anonymous": None,
            "verified": verified,
            "member": member,
            "representative": representative,
            "editor": editor,
            "admin": superuser,
        },
        "home": home_page,
        "ville_a": ville_a,
        "ville_b": ville_b,
        "article": article,
        "members_article": members_article,
        "practice": practice,
        "event": event,
        "members_event": members_event,
        "past_event": past_event,
        "restriction": restriction,
        "registration": registration,
        "token": token,
        "pending": pending,
        "theme": theme,
        "question": question,
        "answer": answer,
        "report": report_create(user=member, answer_id=answer.pk, reason="Hors sujet"),
        "synonym": synonym,
        "document": document,
        "members_document": members_document,
        "image": image,
        "redirect": redirect,
        "workflow": workflow,
        "task": task,
        "members_group": members_group,
        "collection": Collection.get_first_root_node(),
        "site": Site.objects.get(is_default_site=True),
        "revision": ville_a.latest_revision,
    }


def page_urls(d) -> dict[str, str]:
    """Representative pages of the site → their URL."""
    return {
        "home": "/",
        "resources": "/ressources/",
        "article": d["article"].url,
        "members_article": d["members_article"].url,
        "practice": d["practice"].url,
        "members": "/membres/",
        "collectivity": d["ville_a"].url,
        "events": "/evenements/",
        "event": d["event"].url,
        "members_event": d["members_event"].url,
        "event_ics": d["event"].url + "evenement.ics",
        "members_event_ics": d["members_event"].url + "evenement.ics",
        "past_event": d["past_event"].url,
        "past_event_unregister": d["past_event"].url + "desinscription/",
        "members_event_unregister": d["members_event"].url + "desinscription/",
        "members_document": d["members_document"].url,
        "unknown": "/cette-page-n-existe-pas/",
    }


# --- Concrete URLs --------------------------------------------------------------


# Routes whose URL cannot be built from their parameters' names alone.
def overrides(d) -> dict[str, str]:
    a = d["ville_a"].pk
    return {
        "documents/^(\\d+)/(.*)$": d["document"].url,
        "^media/(?!documents/)(?P<path>.*)$": "/media/absent.txt",
        "^((?:[\\w\\-]+/)*)$": "/",
        "mon-espace/pratiques/<str:page_id>/modifier/": (
            f"/mon-espace/pratiques/{d['practice'].pk}/modifier/"
        ),
        "^((?:[\\w\\-]+/)+evenement\\.ics)$": d["event"].url + "evenement.ics",
        "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": "/accounts/confirm-email/k/",
        "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
            "/accounts/password/reset/key/1-k/"
        ),
        "admin/^.*/$": "/admin/nimporte-quoi/",
        "admin/pages/^(?P<pk>\\d+)/revisions/compare/(?P<revision_id_a>live|"
        "earliest|\\d+)\\.\\.\\.(?P<revision_id_b>live|latest|\\d+)/$": (
            f"/admin/pages/{a}/revisions/compare/earliest...latest/"
        ),
        "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/": (
            f"/admin/bulk/wagtailcore/page/delete/?id={a}"
        ),
        "admin/settings/<slug:app_name>/<slug:model_name>/": (
            "/admin/settings/retex/sitesettings/"
        ),
        "admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/": (
            f"/admin/settings/retex/sitesettings/{d['site'].pk}/"
        ),
        "admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/preview/": (
            f"/admin/settings/retex/sitesettings/{d['site'].pk}/preview/"
        ),
    }


def _pk_for(route: str, d) -> int:
    """What `<int:pk>` names, by the route's prefix."""
    by_prefix = [
        ("admin/api/main/^pages/", d["ville_a"].pk),
        ("admin/api/main/^documents/", d["document"].pk),
        ("admin/api/main/^images/", d["image"].pk),
        ("admin/collections/", d["collection"].pk),
        ("admin/workflows/tasks/", d["task"].pk),
        ("admin/workflows/", d["workflow"].pk),
        ("admin/snippets/retex/theme/", d["theme"].pk),
        ("admin/snippets/choose/retex/theme/", d["theme"].pk),
        ("admin/snippets/search/synonym/", d["synonym"].pk),
        ("admin/snippets/choose/search/synonym/", d["synonym"].pk),
        ("admin/sites/", d["site"].pk),
        ("admin/affiliations/", d["pending"].pk),
        ("admin/entraide/questions/", d["question"].pk),
        ("admin/entraide/reponses/", d["answer"].pk),
        ("admin/entraide/signalements/", d["report"].pk),
        ("admin/users/", d["users"]["verified"].pk),
        ("admin/groups/", d["members_group"].pk),
        ("admin/documents/", d["document"].pk),
        ("admin/images/", d["image"].pk),
    ]
    for prefix, pk in by_prefix:
        if route.startswith(prefix):
            return pk
    return NOWHERE


def _param(name: str, route: str, d) -> str:
    a = d["ville_a"]
    values = {
        "page_id": a.pk,
        "event_id": d["past_event"].pk,
        "parent_page_id": a.get_parent().pk,
        "page_to_move_id": a.pk,
        "page_pk": a.pk,
        "destination_id": a.get_parent().pk,
        "document_id": d["document"].pk,
        "doc_id": d["document"].pk,
        "image_id": d["image"].pk,
        "redirect_id": d["redirect"].pk,
        "task_id": d["task"].pk,
        "workflow_pk": d["workflow"].pk,
        "collection_id": d["collection"].pk,
        "revision_id": d["revision"].pk,
        "registration_id": d["registration"].pk,
        "restriction_id": NOWHERE,
        "page_view_restriction_id": d["restriction"].pk,
        "workflow_state_id": NOWHERE,
        "task_state_id": NOWHERE,
        "uploaded_file_id": NOWHERE,
        "session_id": NOWHERE,
        "object_id": a.pk,
        "content_type_app_name": "members",
        "content_type_model_name": "collectivitypage",
        "app_label": "members" if "pages/create" in route else "wagtailcore",
        "model_name": "collectivitypage" if "pages/create" in route else "page",
        "app_name": "retex",
        "action_name": "approve",
        "filter_spec": "original",
        "token": d["token"].token if "agenda" in route else "jeton",
        "affiliation_id": d["pending"].pk,
        "collectivity_id": a.pk,
        "decision": "approve",
        "uidb64": "MQ",
        "question_id": d["question"].pk,
        "slug": d["question"].slug,
        "answer_id": d["answer"].pk,
        "key": "cle",
        "follow_id": NOWHERE,
        "practice_id": d["practice"].pk,
    }
    if name == "pk":
        return str(_pk_for(route, d))
    if route.startswith("admin/workflows/tasks/add/"):
        return {"app_label": "wagtailcore", "model_name": "groupapprovaltask"}.get(
            name, "x"
        )
    return str(values[name])


def concrete_url(route: str, d) -> str:
    special = overrides(d)
    if route in special:
        return special[route]
    url = route.replace("^", "").replace("$", "")
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: _param(m.group(1), route, d), url)
    assert "(" not in url and "<" not in url, f"cannot build {route}: {url}"
    return "/" + url


# --- Requests -------------------------------------------------------------------


def answer(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith(LOGIN_PATHS):
            return "login"
        if location.startswith(MFA_PATH):
            return "mfa"
        return "302"
    return str(response.status_code)


def request(client, user, url) -> tuple[str, str]:
    if user is not None:
        client.force_login(user)  # again: some URLs (logout…) end the session
    response = client.get(url)
    # File and streaming responses hold files open until closed.
    close_response(response)
    return answer(response), response.get("Location", "")


def expectation(route: str, role: str) -> str | None:
    index = ROLES.index(role)
    if route in EXPECTED:
        return EXPECTED[route].split()[index]
    if route.startswith("admin/") and index < len(NO_ADMIN.split()):
        return NO_ADMIN.split()[index]
    return None


@pytest.fixture
def data(section, home_page):
    return build_data(section, home_page)


# Wagtail's image views generate renditions and leave Willow's temporary files to
# the garbage collector: harmless here, but "error" would turn them into failures.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, data, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client = Client(raise_request_exception=False)
    user = data["users"][role]
    routes = [r for r in all_routes() if r not in DEBUG_ONLY]
    observed, wrong = {}, []
    for route in routes:
        if expectation(route, role) == "-":
            continue
        url = concrete_url(route, data)
        got, location = request(client, user, url)
        observed[route] = (got, location)
        expected = expectation(route, role)
        if got != expected:
            wrong.append(f"{role:14} GET {url} → {got} {location} (want {expected})")
    for name, url in page_urls(data).items():
        got, location = request(client, user, url)
        observed[name] = (got, location)
        expected = PAGE_EXPECTED.get(name, "").split()
        expected = expected[ROLES.index(role)] if expected else None
        if got != expected:
            wrong.append(f"{role:14} GET {url} → {got} {location} (want {expected})")
    if os.environ.get("RETEX_MATRIX_PRINT"):
        with open(f"matrix-{role}.txt", "w") as out:
            for key, (got, location) in observed.items():
                out.write(f"{key}\t{got}\t{location}\n")
    assert not wrong, "\n".join(wrong)


def test_every_url_pattern_has_an_expectation():
    """A new URL pattern fails here until `EXPECTED` says who may see it."""
    missing = [r for r in all_routes() if r not in EXPECTED and r not in DEBUG_ONLY]
    assert not missing, "URL patterns without an expectation:\n" + "\n".join(missing)
    stale = [r for r in EXPECTED if r not in all_routes()]
    assert not stale, "Expectations for patterns that no longer exist:\n" + "\n".join(
        stale
    )
    for route, answers in {**EXPECTED, **PAGE_EXPECTED}.items():
        assert len(answers.split()) == len(ROLES), route
        assert "500" not in answers.split(), route
