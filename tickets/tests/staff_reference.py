"""The staff picker as Django builds it (a User per option, ``label_from_instance``): the reference
the row-based ``tickets.forms.StaffChoiceField`` is held to."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReferenceStaffChoiceField(forms.ModelChoiceField):
    site = None

    def label_from_instance(self, obj):
        parts = [str(obj.get_role_display())]
        jobs = getattr(obj, "open_jobs", None)
        if jobs is not None:
            parts.append(_("%(n)s open") % {"n": jobs})
        if self.site is not None:
            from facilities.routing import estimate

            profile = getattr(obj, "staff_profile", None) if hasattr(obj, "staff_profile") else None
            home = getattr(profile, "home_site", None)
            travel = estimate(home, self.site) if home else None
            if travel is not None:
                parts.append(_("~%(min)s min away") % {"min": travel.duration_min})
        return f"{obj.get_full_name()} ({', '.join(str(p) for p in parts)})"
