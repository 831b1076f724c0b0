from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from coalition.accounts import views
from coalition.accounts.forms import LoginForm, PasswordResetForm
from coalition.core.secret_links import secret_link

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Two-factor authentication (docs/decisions/0010-two-factor-and-log-in-throttling.md)
    path("two-factor/", views.status, name="two_factor"),
    path("two-factor/verify/", views.verify, name="two_factor_verify"),
    path("two-factor/set-up/", views.enrol, name="two_factor_enrol"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="two_factor_recovery_codes"),
    path("two-factor/recovery-codes/new/", views.recovery_codes_new, name="two_factor_recovery_codes_new"),
    path("two-factor/turn-off/", views.turn_off, name="two_factor_turn_off"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm, success_url=reverse_lazy("password_reset_done")
        ),
        name="password_reset",
    ),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        secret_link(auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("password_reset_complete"))),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path(
        "password-change/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path("password-change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
