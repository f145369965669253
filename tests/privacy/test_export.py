import io
import json
import zipfile

from django.urls import reverse

from ..factories import make_user
from ..privacy_fixtures import JPEG_BYTES, PDF_BYTES, add_evidence, make_populated_case


def _export(client) -> zipfile.ZipFile:
    response = client.post(reverse("account_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="negotiator-export-')
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_export_holds_everything_about_me_with_my_files(owner_client, owner):
    case = make_populated_case(owner)
    archive = _export(owner_client)
    data = json.loads(archive.read("data.json"))

    assert data["account"]["username"] == "owner"
    [exported] = data["cases"]
    assert exported["id"] == case.pk
    assert exported["debtor"]["id_number"] == "110101199003074512"  # decrypted: it is the user's own copy
    assert {d["account_number"] for d in exported["debts"]} == {"HB2024000012345678", "JB2023000098765432"}
    assert {d["principal"] for d in exported["debts"]} == {"12000.00", "20000.00"}
    assert [b["monthly_amount"] for b in exported["budget_lines"]].count("1800.00") == 1
    assert exported["hardship"]["what_happened"] == "公司裁员，2026年8月起失业"
    assert exported["contacts"][0]["person_name"] == "李专员"
    assert exported["proposals"][0]["engine_output"] == case.proposals.get().engine_output
    assert exported["consent"]["text_version"] == "test"

    [evidence] = exported["evidence"]
    assert archive.read(evidence["file_in_zip"]) == JPEG_BYTES
    [letter] = exported["letters"]
    assert letter["kind"] == "negotiation_request"
    assert archive.read(letter["pdf_in_zip"]) == PDF_BYTES
    assert "html" not in letter and "snapshot" not in letter  # metadata only; the PDF is the letter


def test_export_contains_nothing_of_other_users(owner_client, owner):
    make_populated_case(owner)
    other = make_populated_case(make_user("someone"))
    archive = _export(owner_client)
    data = json.loads(archive.read("data.json"))
    assert other.pk not in [c["id"] for c in data["cases"]]
    assert not [n for n in archive.namelist() if n.startswith(f"cases/{other.pk}/")]


def test_export_file_names_cannot_escape_the_archive(owner_client, owner):
    case = make_populated_case(owner)
    add_evidence(case, content=b"other", name="../../etc/passwd", content_type="text/plain")
    names = _export(owner_client).namelist()
    assert all(".." not in n and not n.startswith("/") for n in names)


def test_export_rejects_get(owner_client):
    assert owner_client.get(reverse("account_export")).status_code == 405


def test_export_needs_login(client, db):
    response = client.post(reverse("account_export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_export_queries_do_not_grow_with_the_number_of_cases(owner_client, owner, django_assert_max_num_queries):
    make_populated_case(owner)
    with django_assert_max_num_queries(20) as one:
        _export(owner_client)
    for _ in range(3):
        make_populated_case(owner)
    with django_assert_max_num_queries(len(one.captured_queries)):
        _export(owner_client)
