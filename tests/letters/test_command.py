import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from cases.letters.kinds import SLUGS

from ..conftest import pdftotext
from ..letters_fixtures import make_letter_case

pytestmark = pytest.mark.django_db


def test_render_letter_writes_the_pdf(owner, tmp_path):
    case = make_letter_case(owner)
    out = tmp_path / "letter.pdf"
    call_command("render_letter", str(case.pk), "evidence_index", "-o", str(out))
    assert "证据目录" in pdftotext(out)


def test_bad_case_id_exits_with_code_2(tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("render_letter", "424242", "demand_letter", "-o", str(tmp_path / "x.pdf"))
    assert exc.value.returncode == 2 and "424242" in str(exc.value)


def test_missing_data_is_listed_and_exits_with_code_2(owner, tmp_path):
    case = make_letter_case(owner, with_proposal=False)
    # In Chinese whatever language an earlier test's request left active (the command's default).
    with translation.override("zh-hans"), pytest.raises(CommandError) as exc:
        call_command("render_letter", str(case.pk), "demand_letter", "-o", str(tmp_path / "x.pdf"))
    assert exc.value.returncode == 2
    assert "您选定的还款方案" in str(exc.value)  # the one thing missing: a chosen plan
    assert not (tmp_path / "x.pdf").exists()


def test_bad_kind_exits_with_code_2_and_help_lists_the_choices(tmp_path):
    manage = [sys.executable, str(Path(__file__).resolve().parents[2] / "manage.py"), "render_letter"]
    bad = subprocess.run([*manage, "1", "love_letter", "-o", str(tmp_path / "x.pdf")], capture_output=True, text=True)
    assert bad.returncode == 2
    assert "invalid choice: 'love_letter'" in bad.stderr
    usage = subprocess.run([*manage, "--help"], capture_output=True, text=True, check=True).stdout
    assert "{" + ",".join(SLUGS) + "}" in usage


def test_render_letter_bundle_appends_the_evidence(owner, tmp_path):
    from pypdf import PdfReader

    case = make_letter_case(owner)
    index, bundle = tmp_path / "index.pdf", tmp_path / "bundle.pdf"
    call_command("render_letter", str(case.pk), "evidence_index", "-o", str(index))
    call_command("render_letter", str(case.pk), "evidence_index", "-o", str(bundle), "--bundle")
    assert len(PdfReader(bundle).pages) == len(PdfReader(index).pages) + 3


def test_bundle_is_refused_for_other_kinds(owner, tmp_path):
    case = make_letter_case(owner)
    with pytest.raises(CommandError) as exc:
        call_command("render_letter", str(case.pk), "demand_letter", "-o", str(tmp_path / "x.pdf"), "--bundle")
    assert exc.value.returncode == 2
