"""CSV import from the web for admins: the same all-or-nothing import as ``import_registry``."""

import io

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from facilities import csvio
from facilities.forms import ImportForm
from facilities.views._common import managers


@require_http_methods(["GET", "POST"])
@managers
def import_csv(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("This file is not UTF-8 text: save it as “CSV UTF-8” and try again."))
        else:
            result = csvio.import_rows(form.cleaned_data["kind"], io.StringIO(text, newline=""),
                                       actor=request.user, dry_run=form.cleaned_data["dry_run"])
    return render(request, "facilities/import_form.html",
                  {"form": form, "result": result, "columns": csvio.COLUMNS})
