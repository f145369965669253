"""Each reach into a library's internals has an off switch, and refuses a library
version it was not checked against: the app then takes the library's own path."""

import importlib.metadata
import logging
import os
import subprocess
import sys
from pathlib import Path

import django
import pytest
from django.forms.renderers import DjangoTemplates, get_default_renderer

from cases import checks, renderers
from cases.intake.forms import DebtorForm
from cases.letters import compact_fonts, pdf, versions
from cases.renderers import FastFormRenderer

from ..letters_fixtures import make_letter_case
from ..letters_pdf import CJK_FACES, fonts_of, plain_text, read_pdf, uses_notdef

ROOT = Path(__file__).resolve().parents[2]


def _settings_with(**env: str) -> list[str]:
    """FORM_RENDERER and LETTERS_COMPACT_FONTS as a fresh process reads them from ``env``."""
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.FORM_RENDERER); print(settings.LETTERS_COMPACT_FONTS)")
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "negotiator.settings", **env}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True,
                            check=True)
    return result.stdout.split()


def test_the_switches_are_on_by_default_and_read_from_the_environment():
    defaults = {"FAST_FORM_RENDERER": "", "LETTERS_COMPACT_FONTS": ""}
    assert _settings_with(**defaults) == ["cases.renderers.FastFormRenderer", "True"]
    assert _settings_with(FAST_FORM_RENDERER="0", LETTERS_COMPACT_FONTS="0") == [
        "django.forms.renderers.DjangoTemplates", "False"]


def test_a_form_renders_its_labels_inputs_and_errors_on_the_configured_renderer():
    form = DebtorForm(data={"name": ""})
    html = form.as_div()
    assert 'name="name"' in html and "<label" in html
    assert 'class="errorlist"' in html
    assert isinstance(get_default_renderer(), FastFormRenderer | DjangoTemplates)


def test_the_renderer_is_checked_against_the_installed_django():
    assert renderers.checked_version(django.VERSION)
    assert not renderers.checked_version((6, 2, 0, "final", 0))
    assert not renderers.checked_version((7, 0, 0, "alpha", 0))


def test_the_fast_renderer_refuses_a_django_it_was_not_checked_against(monkeypatch, caplog, settings):
    reference = DebtorForm(data={"name": ""}).as_div(), DebtorForm().as_div()
    monkeypatch.setattr(django, "VERSION", (7, 0, 0, "final", 0))
    renderers._refuse.cache_clear()
    with caplog.at_level(logging.WARNING, logger="cases.renderers"):
        renderer = FastFormRenderer()
    assert not renderer.fast
    assert "not the version the fast form renderer was checked against" in caplog.text
    plain = (DebtorForm(data={"name": ""}, renderer=renderer).as_div(), DebtorForm(renderer=renderer).as_div())
    assert plain == reference  # Django's templates, the same markup
    settings.FAST_FORM_RENDERER = True
    assert [w.id for w in checks.check_library_patches(None)] == ["cases.W005"]
    settings.FAST_FORM_RENDERER = False
    assert checks.check_library_patches(None) == []


def test_the_compact_fonts_are_checked_against_the_installed_weasyprint():
    assert compact_fonts.checked_version(compact_fonts.weasyprint_version())
    assert compact_fonts.checked_version("70.2")
    assert not compact_fonts.checked_version("71.0")
    assert not compact_fonts.checked_version("7.0")


def _pretend_weasyprint(monkeypatch, fake: str) -> None:
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: fake if name == "weasyprint" else real(name))


def test_the_compact_fonts_refuse_a_weasyprint_they_were_not_checked_against(monkeypatch, caplog, settings):
    settings.LETTERS_COMPACT_FONTS = True
    _pretend_weasyprint(monkeypatch, "71.0")
    compact_fonts._refuse.cache_clear()
    with caplog.at_level(logging.WARNING, logger="cases.letters.compact_fonts"):
        with compact_fonts.compact_fonts() as compact:
            assert compact is False
    assert "WeasyPrint 71.0 is not the version" in caplog.text
    assert [w.id for w in checks.check_library_patches(None) if w.id == "cases.W006"] == ["cases.W006"]
    settings.LETTERS_COMPACT_FONTS = False
    assert not [w for w in checks.check_library_patches(None) if w.id == "cases.W006"]


@pytest.mark.django_db
@pytest.mark.parametrize("switch", [True, False])
def test_a_letter_prints_every_character_with_the_compact_fonts_on_or_off(owner, settings, switch):
    """Off, WeasyPrint subsets the fonts its own way (the glyph ids of the whole
    face); on, only the glyphs drawn, renumbered. The text is the same."""
    settings.LETTERS_COMPACT_FONTS = switch
    if switch and not compact_fonts.enabled():
        pytest.skip("this WeasyPrint is refused by the compact font subsetting")
    case = make_letter_case(owner, name="陳曉龍")
    html = versions.html_for(versions.generate(case, "hardship_statement"))
    document = read_pdf(pdf.render_pdf(html))
    text = plain_text(document)
    assert "陳曉龍" in text and "32,000.00" in text
    fonts = fonts_of(document)
    assert not any(uses_notdef(font) for font in fonts.values())
    assert len([name for name in fonts if any(face in name for face in CJK_FACES)]) == 2
