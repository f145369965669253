from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import set_language

from .forms import LoginForm
from .views import account, intake, letters, log, pages, proposal, review

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
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", public(auth_views.PasswordResetView.as_view()), name="password_reset"),
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
    # Intake wizard (issue 3)
    path("cases/<int:case_id>/intake/", intake.intake_start, name="intake_start"),
    # Evidence (issue 3)
    # Proposal (issue 4)
    path("cases/<int:case_id>/proposal/", proposal.proposal, name="proposal"),
    path("cases/<int:case_id>/proposal/choose/", proposal.proposal_choose, name="proposal_choose"),
    # Negotiation log (issue 6)
    path("cases/<int:case_id>/log/", log.log, name="log"),
    path("cases/<int:case_id>/log/add/", log.contact_add, name="contact_add"),
    path("cases/<int:case_id>/log/<int:pk>/edit/", log.contact_edit, name="contact_edit"),
    path("cases/<int:case_id>/log/<int:pk>/delete/", log.contact_delete, name="contact_delete"),
    path("cases/<int:case_id>/log/<int:pk>/agree/", log.contact_agree, name="contact_agree"),
    path("cases/<int:case_id>/log/<int:pk>/follow-up/done/", log.follow_up_done, name="follow_up_done"),
    path("cases/<int:case_id>/log/<int:pk>/follow-up.ics", log.follow_up_calendar, name="follow_up_calendar"),
    path("cases/<int:case_id>/timeline/", log.timeline, name="timeline"),
    # Letters (issue 5)
    path("cases/<int:case_id>/letters/", letters.letters_index, name="letters_index"),
    path("cases/<int:case_id>/letters/<slug:kind>/", letters.letter_kind, name="letter_kind"),
    # Review (issue 7); the reviewers' workplace itself is in the admin (cases/admin.py)
    path(
        "cases/<int:case_id>/review/letters/<int:letter_id>/resubmit/",
        review.letter_resubmit,
        name="letter_resubmit",
    ),
]
