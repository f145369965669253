"""The information pages of the other roads: which statements each shows (rules.py), in which
order, and the letter it leads to. The escalation ladder (negotiation/rules.py ``LADDER``) links
a rung to a page by its slug."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import rules


@dataclass(frozen=True)
class Section:
    heading: Promise
    facts: tuple[str, ...]


@dataclass(frozen=True)
class Road:
    slug: str
    title: Promise
    summary: Promise
    sections: tuple[Section, ...]
    letters: tuple[str, ...] = ()  # letter kinds' slugs (letters/choices.py)

    @property
    def template(self) -> str:
        return f"cases/roads/{self.slug}.html"

    def all_facts(self) -> list[rules.Fact]:
        return [fact for section in self.sections for fact in rules.facts(*section.facts)]


ROADS: tuple[Road, ...] = (
    Road("mediation", _("Mediation"),
         _("A neutral third party helps you and the lender agree; a court can confirm the agreement."),
         (Section(_("What it is"), ("mediation_what", "mediation_bodies")),
          Section(_("When it fits"), ("mediation_when",)),
          Section(_("After an agreement"), ("mediation_confirmation", "mediation_centres_qualify",
                                            "mediation_restarts_limitation"))),
         ("mediation_application",)),
    Road("consumer-association", _("Consumer association"),
         _("What it can and cannot do for a credit dispute, and when to use it."),
         (Section(_("What the law says"), ("association_law",)),
          Section(_("What it can do"), ("association_can",)),
          Section(_("What it cannot do"), ("association_cannot", "association_12315")))),
    Road("lawyer", _("A lawyer or legal aid"),
         _("How to choose a lawyer, who can get legal aid, and a one-page summary for the first meeting."),
         (Section(_("Choosing a lawyer: a checklist"), ("lawyer_licence", "lawyer_practice", "lawyer_fees",
                                                       "lawyer_communication", "lawyer_no_erasing")),
          Section(_("Legal aid and 12348"), ("legal_aid_12348", "legal_aid_who", "legal_aid_what"))),
         ("lawyer_summary",)),
    Road("credit-report", _("Your credit report"),
         _("Free reports, how long records stay, objecting to a wrong record — and the \"credit repair\" scam."),
         (Section(_("Getting your report"), ("credit_free", "credit_huabei", "credit_notice")),
          Section(_("How long a record stays"), ("credit_five_years", "credit_statement")),
          Section(_("A record that is wrong"), ("credit_objection", "credit_complaint")),
          Section(_("Nobody can delete a true record"), ("credit_no_deletion", "credit_2025_history"))),
         ("credit_report_objection",)),
    Road("bankruptcy", _("Personal bankruptcy"),
         _("Where a personal bankruptcy procedure exists, and whether it may cover you."),
         ()),
    Road("arbitration", _("\"Mediation centre\" calls and arbitration notices"),
         _("How to check a mediation body is real, and what to do with an arbitration notice."),
         (Section(_("A call from a \"mediation centre\""), ("fake_centres", "check_centre")),
          Section(_("An arbitration notice"), ("arbitration_check", "arbitration_answer", "arbitration_deny",
                                               "arbitration_final", "arbitration_challenge",
                                               "arbitration_advance")))),
    Road("going-public", _("Going public, safely"),
         _("If you want to tell others what happened: only provable facts, no one's personal data."),
         (Section(_("Before you post"), ("public_regulator_first", "public_true", "public_staff")),
          Section(_("The risks"), ("public_defamation", "public_risks")))),
)
ROAD_BY_SLUG = {road.slug: road for road in ROADS}

# The bankruptcy page's statements by the case's region: the Shenzhen self-check only in Shenzhen.
BANKRUPTCY_FACTS = {
    rules.SHENZHEN: ("bankruptcy_shenzhen_who", "bankruptcy_shenzhen_counselling", "bankruptcy_shenzhen_observation",
                     "bankruptcy_shenzhen_keep", "bankruptcy_shenzhen_where", "bankruptcy_creditors"),
    rules.XIAMEN: ("bankruptcy_xiamen",),
    rules.ZHEJIANG: ("bankruptcy_zhejiang",),
    rules.NONE: ("bankruptcy_elsewhere",),
}
