"""CSV import and export: good files, bad files (nothing written), dry runs, round trips, progress."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from facilities import csvio
from facilities.models import Equipment, EquipmentModel, Location, Site

SITES_CSV = """name,address,latitude,longitude,active
Head Office,"1 Canada Square, London",51.5049,-0.0195,yes
Depot,,,,
"""
LOCATIONS_CSV = """site,path
Head Office,Block A / Floor 1 / Room 101
Head Office,Block A / Floor 1 / Room 102
Depot,Yard
"""
MODELS_CSV = """manufacturer,name,category
Daikin,VRV IV,HVAC
Canon,C3226i,Printer
"""
EQUIPMENT_CSV = """asset_tag,serial_number,manufacturer,model,site,location,install_date,warranty_end,status,notes
HO-1,SN1,Daikin,VRV IV,Head Office,Block A / Floor 1 / Room 101,2024-01-10,2027-01-10,in_service,
HO-2,SN2,canon,c3226i,Head Office,Block A / Floor 1,,,Out of service,"jams, often"
DP-1,,Daikin,VRV IV,Depot,,,,,
"""
BAD_EQUIPMENT_CSV = """asset_tag,serial_number,manufacturer,model,site,location,install_date,warranty_end,status,notes
OK-1,,Daikin,VRV IV,Head Office,,,,,
BAD-1,,Daikin,VRV IV,Nowhere,,,,,
BAD-2,,Acme,Rocket,Head Office,,,,,
BAD-3,,Daikin,VRV IV,Head Office,Block Z,,,,
BAD-4,,Daikin,VRV IV,Head Office,,10/01/2024,,,
BAD-5,,Daikin,VRV IV,Head Office,,2024-05-01,2023-01-01,,
BAD-6,,Daikin,VRV IV,Head Office,,,,broken,
,,Daikin,VRV IV,Head Office,,,,,
OK-1,,Daikin,VRV IV,Depot,,,,,
"""


def _import(kind, text, actor, dry_run=False):
    return csvio.import_rows(kind, io.StringIO(text), actor=actor, dry_run=dry_run)


@pytest.fixture
def loaded(admin):
    for kind, text in [("sites", SITES_CSV), ("locations", LOCATIONS_CSV), ("models", MODELS_CSV),
                       ("equipment", EQUIPMENT_CSV)]:
        result = _import(kind, text, admin)
        assert result.ok, result.errors
    return admin


def test_good_files_import_everything(loaded):
    hq = Site.objects.get(name="Head Office")
    assert str(hq.latitude) == "51.504900" and Site.objects.get(name="Depot").latitude is None
    assert Location.objects.get(name="Room 102").path == "Head Office / Block A / Floor 1 / Room 102"
    assert Location.objects.filter(site=hq).count() == 4
    ho2 = Equipment.objects.get(asset_tag="HO-2")
    assert ho2.status == "out_of_service" and ho2.notes == "jams, often"
    assert ho2.location.path == "Head Office / Block A / Floor 1"
    assert str(Equipment.objects.get(asset_tag="HO-1").warranty_end) == "2027-01-10"


def test_importing_the_same_files_again_changes_nothing(loaded):
    for kind, text in [("sites", SITES_CSV), ("locations", LOCATIONS_CSV), ("models", MODELS_CSV),
                       ("equipment", EQUIPMENT_CSV)]:
        result = _import(kind, text, loaded)
        assert result.ok and result.created == 0 and result.updated == 0 and result.unchanged == result.total


def test_changed_rows_update(loaded):
    result = _import("equipment", EQUIPMENT_CSV.replace("Out of service", "retired"), loaded)
    assert (result.updated, result.unchanged) == (1, 2)
    assert Equipment.objects.get(asset_tag="HO-2").status == "retired"


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_bad_file_lists_every_error_and_writes_nothing(loaded, dry_run):
    before = set(Equipment.objects.values_list("asset_tag", "site__name"))
    result = _import("equipment", BAD_EQUIPMENT_CSV, loaded, dry_run=dry_run)
    lines = {line: message for line, message in result.errors}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9]
    assert "Nowhere" in lines[3] and "Acme Rocket" in lines[4] and "Block Z" in lines[5]
    assert "YYYY-MM-DD" in lines[6] and "warranty" in lines[7] and "broken" in lines[8] and "asset_tag" in lines[9]
    assert set(Equipment.objects.values_list("asset_tag", "site__name")) == before
    assert not Equipment.objects.filter(asset_tag="OK-1").exists()  # the good row is not written either


def test_a_good_dry_run_writes_nothing(admin):
    result = _import("sites", SITES_CSV, admin, dry_run=True)
    assert result.ok and result.created == 2 and not result.written
    assert not Site.objects.exists()


def test_rows_of_one_file_may_build_on_each_other(admin):
    _import("sites", SITES_CSV, admin)
    result = _import("locations", "site,path\nDepot,Yard\nDepot,Yard / Shed\n", admin, dry_run=True)
    assert result.ok and result.created == 2 and not Location.objects.exists()


@pytest.mark.parametrize("text,fragment", [
    ("asset_tag,colour\nX,red\n", "missing column"),
    ("name,address,latitude,longitude,active,extra\nA,,,,,\n", "unknown column"),
])
def test_bad_headers_are_reported(admin, text, fragment):
    kind = "equipment" if text.startswith("asset_tag") else "sites"
    result = _import(kind, text, admin)
    assert not result.ok and fragment in result.errors[0][1]


def test_site_rows_are_validated(admin):
    text = "name,address,latitude,longitude,active\nA,,95,0,\nB,,51,,\nC,,abc,1,\nD,,,,maybe\n"
    result = _import("sites", text, admin)
    assert [line for line, _ in result.errors] == [2, 3, 4, 5]
    assert not Site.objects.exists()


def test_export_then_import_round_trips(loaded):
    Equipment.objects.filter(asset_tag="HO-2").update(notes="=HYPERLINK(\"http://evil\")")
    files = {}
    for kind in csvio.KINDS:
        out = io.StringIO()
        csvio.export_rows(kind, out)
        files[kind] = out.getvalue()
    assert "'=HYPERLINK" in files["equipment"]  # no formula reaches a spreadsheet
    for kind in csvio.KINDS:
        result = _import(kind, files[kind], loaded)
        assert result.ok and result.unchanged == result.total, (kind, result)
    assert Equipment.objects.get(asset_tag="HO-2").notes.startswith("=HYPERLINK")


def test_import_command_dry_run_and_progress(admin, tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(SITES_CSV, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_registry", "sites", str(path), "--dry-run", stdout=out, stderr=err)
    assert "Dry run: nothing was written" in out.getvalue()
    assert "2/2 rows (100%)" in err.getvalue()
    assert not Site.objects.exists()
    call_command("import_registry", "sites", str(path), stdout=out, stderr=err)
    assert Site.objects.count() == 2


def test_import_command_fails_on_errors_and_lists_them(admin, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,address,latitude,longitude,active\nA,,95,0,\nB,,,,\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_registry", "sites", str(path), stdout=out, stderr=io.StringIO())
    assert "line 2: latitude" in out.getvalue()
    assert not Site.objects.exists()


def test_import_command_needs_an_admin_and_a_file(db, tmp_path):
    with pytest.raises(CommandError, match="No active admin"):
        call_command("import_registry", "sites", str(tmp_path / "x.csv"), stdout=io.StringIO())


def test_import_command_rejects_non_utf8(admin, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("name\nCaf\xe9\n".encode("latin-1"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_registry", "sites", str(path), stdout=out, stderr=io.StringIO())
    assert "not UTF-8" in out.getvalue()
    assert not Site.objects.exists()


def test_export_command_writes_a_file(loaded, tmp_path):
    path = tmp_path / "eq.csv"
    call_command("export_registry", "equipment", "-o", str(path), stderr=io.StringIO())
    assert path.read_text().splitlines()[0] == ",".join(csvio.COLUMNS["equipment"])
    assert len(path.read_text().splitlines()) == 4


def test_admin_downloads_csv_from_the_web(loaded, client_for):
    response = client_for(loaded).get(reverse("facilities:export_csv", args=["models"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert b"Daikin,VRV IV,HVAC" in response.content
    assert client_for(loaded).get(reverse("facilities:export_csv", args=["nope"])).status_code == 404
    assert EquipmentModel.objects.count() == 2


def _upload(text: str | bytes, name="f.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, content_type="text/csv")


@pytest.mark.parametrize("role,status", [("admin", 200), ("engineer", 403), ("technician", 403), ("customer", 403)])
def test_import_page_per_role(users, client_for, role, status):
    assert client_for(users[role]).get(reverse("facilities:import_csv")).status_code == status


def test_web_import_dry_run_then_real(admin, client_for):
    c = client_for(admin)
    url = reverse("facilities:import_csv")
    body = c.post(url, {"kind": "sites", "file": _upload(SITES_CSV), "dry_run": "on"}).content.decode()
    assert "2 rows: 2 new" in body and "Dry run: nothing was written" in body
    assert not Site.objects.exists()
    body = c.post(url, {"kind": "sites", "file": _upload(SITES_CSV)}).content.decode()
    assert "Imported." in body and Site.objects.count() == 2


def test_web_import_lists_errors_and_writes_nothing(admin, client_for):
    response = client_for(admin).post(reverse("facilities:import_csv"), {
        "kind": "sites", "file": _upload("name,address,latitude,longitude,active\nA,,95,0,\nB,,,,\nC,,1,,\n"),
    })
    body = response.content.decode()
    assert response.status_code == 200 and "2 problems found: nothing was written" in body
    assert "Line 2" in body and "Line 4" in body
    assert not Site.objects.exists()


def test_web_import_rejects_non_utf8(admin, client_for):
    response = client_for(admin).post(reverse("facilities:import_csv"), {
        "kind": "sites", "file": _upload("name\nCaf\xe9\n".encode("latin-1")),
    })
    assert response.status_code == 200 and "not UTF-8" in response.content.decode()
    assert not Site.objects.exists()


def test_export_command_to_standard_output(loaded):
    out = io.StringIO()
    call_command("export_registry", "sites", stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    assert lines[0] == "name,address,latitude,longitude,active"
    assert lines[1] == 'Depot,,,,1' and lines[2].startswith('Head Office,"1 Canada Square, London",51.504900')
