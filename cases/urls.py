from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import set_language

from .accounts.forms import LoginForm, PasswordChangeUnderThePassword, QueuedPasswordResetForm
from .accounts import preference_views as preferences
from .accounts import views as account
from .intake import evidence_views as evidence
from .intake import views as intake
from .letters import views as letters
from .negotiation import coach_views as coach
from .negotiation import reminder_views as reminders
from .negotiation import views as log
from .pages import views as pages
from .privacy import views as privacy
from .proposal import views as proposal
from .roads import views as roads
from .sharing import views as sharing

public = login_not_required

urlpatterns = [
    # Pages and account
    path("", pages.landing, name="landing"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("language/", public(set_language), name="set_language"),
    path("accounts/signup/", account.signup, name="signup"),
    path(
        "accounts/login/",
        public(auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True)),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", account.account, name="account"),
    path("accounts/large-text/", preferences.large_text, name="large_text"),
    path("accounts/recovery-code/", preferences.recovery_code_new, name="recovery_code_new"),
    path("accounts/recover/", preferences.recover, name="recover"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeUnderThePassword),
        name="password_change",
    ),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "accounts/password/reset/",
        public(auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm)),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    # Cases
    path("cases/new/", pages.case_new, name="case_new"),
    path("cases/<int:case_id>/", pages.case_detail, name="case_detail"),
    path("cases/<int:case_id>/name/", pages.case_rename, name="case_rename"),
    # Intake wizard (issue 3)
    path("cases/<int:case_id>/intake/", intake.intake_start, name="intake_start"),
    path("cases/<int:case_id>/intake/consent/", intake.intake_consent, name="intake_consent"),
    path("cases/<int:case_id>/intake/about/", intake.intake_about, name="intake_about"),
    path("cases/<int:case_id>/intake/debts/", intake.intake_debts, name="intake_debts"),
    path("cases/<int:case_id>/intake/debts/new-row/", intake.intake_debt_row, name="intake_debt_row"),
    path("cases/<int:case_id>/intake/budget/", intake.intake_budget, name="intake_budget"),
    path("cases/<int:case_id>/intake/hardship/", intake.intake_hardship, name="intake_hardship"),
    path("cases/<int:case_id>/intake/evidence/", intake.intake_evidence, name="intake_evidence"),
    path("cases/<int:case_id>/intake/review/", intake.intake_review, name="intake_review"),
    # Evidence (issue 3)
    path("cases/<int:case_id>/evidence/upload/", evidence.evidence_upload, name="evidence_upload"),
    path("cases/<int:case_id>/evidence/<int:evidence_id>/", evidence.evidence_download, name="evidence_download"),
    path("cases/<int:case_id>/evidence/<int:evidence_id>/delete/", evidence.evidence_delete, name="evidence_delete"),
    path("cases/<int:case_id>/evidence/<int:evidence_id>/edit/", evidence.evidence_edit, name="evidence_edit"),
    # Proposal (issue 4)
    path("cases/<int:case_id>/proposal/", proposal.proposal, name="proposal"),
    path("cases/<int:case_id>/proposal/choose/", proposal.proposal_choose, name="proposal_choose"),
    path("cases/<int:case_id>/proposal/own-amount/", proposal.proposal_own_amount, name="proposal_own_amount"),
    path("cases/<int:case_id>/proposal/include-debt/", proposal.proposal_include_debt, name="proposal_include_debt"),
    path("cases/<int:case_id>/debts/<int:debt_id>/charges/", proposal.debt_charges, name="debt_charges"),
    # Negotiation log (issue 6)
    path("cases/<int:case_id>/log/", log.log, name="log"),
    path("cases/<int:case_id>/log/add/", log.contact_add, name="contact_add"),
    path("cases/<int:case_id>/log/<int:pk>/edit/", log.contact_edit, name="contact_edit"),
    path("cases/<int:case_id>/log/<int:pk>/delete/", log.contact_delete, name="contact_delete"),
    path("cases/<int:case_id>/log/<int:pk>/agree/", coach.contact_agree, name="contact_agree"),
    path("cases/<int:case_id>/log/<int:pk>/follow-up/done/", log.follow_up_done, name="follow_up_done"),
    path("cases/<int:case_id>/log/<int:pk>/follow-up.ics", log.follow_up_calendar, name="follow_up_calendar"),
    path("cases/<int:case_id>/timeline/", log.timeline, name="timeline"),
    # The negotiation coach (issue 18)
    path("cases/<int:case_id>/call-card/<str:lender>/", coach.call_card, name="call_card"),
    path("cases/<int:case_id>/call-card/<str:lender>/pdf/", coach.call_card_pdf, name="call_card_pdf"),
    path("cases/<int:case_id>/log/<int:pk>/accept/", coach.offer_accept, name="offer_accept"),
    path("cases/<int:case_id>/agreements/<int:agreement_id>/check-in/", coach.check_in, name="agreement_check_in"),
    path("accounts/reminders/", reminders.reminders, name="reminders"),
    path("accounts/reminders/calendar/new/", reminders.reminders_feed_new, name="reminders_feed_new"),
    path("accounts/reminders/calendar/stop/", reminders.reminders_feed_revoke, name="reminders_feed_revoke"),
    path("calendar/<str:token>.ics", public(reminders.calendar_feed), name="calendar_feed"),
    path("reminders/unsubscribe/<str:token>/", public(reminders.reminders_unsubscribe), name="reminders_unsubscribe"),
    # Letters (issue 5)
    path("cases/<int:case_id>/letters/", letters.letters_index, name="letters_index"),
    path("cases/<int:case_id>/letters/statements/", letters.letter_statements, name="letter_statements"),
    path("cases/<int:case_id>/lawsuits/", letters.lawsuits, name="lawsuits"),
    path("cases/<int:case_id>/lawsuits/<int:pk>/", letters.lawsuit_edit, name="lawsuit_edit"),
    path("cases/<int:case_id>/lawsuits/<int:pk>/delete/", letters.lawsuit_delete, name="lawsuit_delete"),
    path("cases/<int:case_id>/letters/<slug:kind>/", letters.letter_kind, name="letter_kind"),
    path("cases/<int:case_id>/letters/<slug:kind>/<slug:lender>/", letters.letter_page, name="letter_page"),
    path("cases/<int:case_id>/letters/<slug:kind>/<slug:lender>/generate/", letters.letter_generate, name="letter_generate"),
    path("cases/<int:case_id>/letters/<slug:kind>/<slug:lender>/v<int:version>/", letters.letter_preview, name="letter_preview"),
    path("cases/<int:case_id>/letters/<slug:kind>/<slug:lender>/v<int:version>/status/", letters.letter_status, name="letter_status"),
    path("cases/<int:case_id>/letters/<slug:kind>/<slug:lender>/v<int:version>/pdf/", letters.letter_pdf, name="letter_pdf"),
    path("cases/<int:case_id>/letters/<slug:kind>/<slug:lender>/v<int:version>/bundle/", letters.letter_bundle, name="letter_bundle"),
    path("cases/<int:case_id>/letters/<slug:kind>/<slug:lender>/v<int:version>/submit/", letters.letter_submit, name="letter_submit"),
    # Other roads (issue 19)
    path("cases/<int:case_id>/roads/", roads.roads_index, name="roads_index"),
    path("cases/<int:case_id>/roads/<slug:road>/", roads.road, name="road"),
    path("cases/<int:case_id>/roads/credit-report/wrong-record/", roads.credit_record_error,
         name="credit_record_error"),
    # Privacy (issue 8)
    # Sharing (issue 20): the owner's page, an invitation taken by its link, the advisers' caseload
    path("cases/<int:case_id>/sharing/", sharing.case_sharing, name="case_sharing"),
    path("cases/<int:case_id>/sharing/invitations/<int:invitation_id>/revoke/", sharing.share_invitation_revoke,
         name="share_invitation_revoke"),
    path("cases/<int:case_id>/sharing/<int:share_id>/end/", sharing.share_end, name="share_end"),
    path("cases/<int:case_id>/sharing/<int:share_id>/sensitive/", sharing.share_sensitive_consent,
         name="share_sensitive_consent"),
    path("cases/<int:case_id>/sharing/<int:share_id>/role/", sharing.share_role, name="share_role"),
    path("cases/<int:case_id>/notes/", sharing.adviser_note_add, name="adviser_note_add"),
    path("share/<str:token>/", sharing.share_accept, name="share_accept"),
    path("caseload/", sharing.caseload, name="caseload"),
    path("cases/<int:case_id>/privacy/", privacy.case_privacy, name="case_privacy"),
    path("cases/<int:case_id>/privacy/withdraw/", privacy.case_consent_withdraw, name="case_consent_withdraw"),
    path("cases/<int:case_id>/privacy/consent/", privacy.case_consent_give, name="case_consent_give"),
    path("cases/<int:case_id>/delete/", privacy.case_delete, name="case_delete"),
    path("accounts/export/", privacy.account_export, name="account_export"),
    path("accounts/delete/", privacy.account_delete, name="account_delete"),
]
