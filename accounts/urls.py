from django.urls import path

from accounts import views as accounts

app_name = "accounts"

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("signup/done/", accounts.signup_done, name="signup_done"),
    path("verify/<str:uidb64>/<str:token>/", accounts.verify, name="verify"),
    path("login/", accounts.login, name="login"),
    path("logout/", accounts.logout, name="logout"),
    path("password-reset/", accounts.password_reset, name="password_reset"),
    path("password-reset/done/", accounts.password_reset_done, name="password_reset_done"),
    path(
        "reset/<str:uidb64>/<str:token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("reset/done/", accounts.password_reset_complete, name="password_reset_complete"),
]
