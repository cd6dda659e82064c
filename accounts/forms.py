"""Sign-up and login forms: errors in plain words, passwords checked by Django's validators."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Preferences
from .selectors import email_taken
from .services import normalise_email


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=150,  # it becomes the username, which holds 150 characters
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        email = normalise_email(self.cleaned_data["email"])
        if email_taken(email):
            raise forms.ValidationError(
                _("An account with this email already exists. Log in, or reset its password.")
            )
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        elif first:
            email = cleaned.get("email", "")
            candidate = get_user_model()(username=email, email=email)
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """Django's login form, asking for the email an account signed up with."""

    username = forms.CharField(
        label=_("Email or username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        return normalise_email(username) if "@" in username else username


class PreferencesForm(forms.ModelForm):
    """What an account chooses for itself (the profile page shows it beside the enterprise)."""

    class Meta:
        model = Preferences
        fields = ["email_language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each language in its own name ("हिंदी"), as a reader of it looks for it.
        self.fields["email_language"].choices = [
            (code, translation.get_language_info(code)["name_local"])
            for code, _name in settings.LANGUAGES
        ]
