"""WTForms of the account pages (Flask-WTF adds the CSRF token)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from app.core.contact import is_citizen_id, is_email, is_mobile_phone, normalize_phone
from app.security.passwords import password_problems

PHONE_MESSAGE = _l("Enter a Vietnamese mobile number: 10 digits starting with 0, or +84 and 9 digits.")
REQUIRED = _l("This field is required.")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def phone_filter(value):
    return normalize_phone(value) if isinstance(value, str) else value


def valid_mobile_phone(form, field) -> None:
    """app.core.contact's rule for a mobile number."""
    if field.data and not is_mobile_phone(field.data):
        raise ValidationError(PHONE_MESSAGE)


def valid_email(form, field) -> None:
    """app.core.contact's rule for an email address."""
    if field.data and not is_email(field.data):
        raise ValidationError(_("Enter a valid email address."))


def valid_citizen_id(form, field) -> None:
    """app.core.contact's rule for a personal identification number."""
    if field.data and not is_citizen_id(field.data):
        raise ValidationError(_("Enter the 12 digits of the number."))


def strong_password(form, field) -> None:
    problems = password_problems(field.data or "")
    if problems:
        raise ValidationError(_("The password needs %(what)s.", what=", ".join(problems)))


class CaptchaMixin:
    captcha_id = HiddenField()
    captcha = StringField(_l("Confirmation code"), validators=[DataRequired(REQUIRED), Length(max=12)],
                          filters=[strip], render_kw={"autocomplete": "off", "inputmode": "numeric"})


class RegisterForm(CaptchaMixin, FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(2, 100)],
                            filters=[strip], render_kw={"autocomplete": "name"})
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED),
                                                valid_email, Length(max=255)],
                       filters=[strip], render_kw={"autocomplete": "email"})
    phone = StringField(_l("Mobile phone"), validators=[DataRequired(REQUIRED), valid_mobile_phone],
                        filters=[phone_filter], render_kw={"autocomplete": "tel", "inputmode": "tel"})
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), strong_password],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(REQUIRED), EqualTo("password", _l("The passwords do not match."))],
                            render_kw={"autocomplete": "new-password"})


class LoginForm(FlaskForm):
    login = StringField(_l("Email or user name"), validators=[DataRequired(REQUIRED)], filters=[strip],
                        render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), valid_email],
                       filters=[strip], render_kw={"autocomplete": "email"})


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED), strong_password],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(REQUIRED), EqualTo("password", _l("The passwords do not match."))],
                            render_kw={"autocomplete": "new-password"})


class ResendForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(REQUIRED), valid_email],
                       filters=[strip])


class ProfileForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(2, 100)], filters=[strip])
    phone = StringField(_l("Mobile phone"), validators=[DataRequired(REQUIRED), valid_mobile_phone],
                        filters=[phone_filter], render_kw={"inputmode": "tel"})
    citizen_id = StringField(_l("Personal identification number"),
                             validators=[Optional(), valid_citizen_id],
                             filters=[strip], render_kw={"inputmode": "numeric"})
    date_of_birth = DateField(_l("Date of birth"), validators=[Optional()],
                              render_kw={"placeholder": "yyyy-mm-dd"})
    gender = SelectField(_l("Sex"), choices=[("", "—"), ("nam", _l("Male")), ("nu", _l("Female"))],
                         validators=[Optional()])
    address = StringField(_l("Place of residence"), validators=[Optional(), Length(max=500)], filters=[strip])
