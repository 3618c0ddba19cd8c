from wagtail.admin.forms import WagtailAdminPageForm


class PracticePageForm(WagtailAdminPageForm):
    """A representative proposes practices for their own collectivity only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or "collectivity" not in self.fields:
            return
        staff = user.is_superuser or user.has_perm("members.manage_membership")
        if not staff:
            from members.affiliation import represented_collectivities

            self.fields["collectivity"].queryset = represented_collectivities(user)
