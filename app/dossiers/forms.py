"""WTForms of the wizard steps that are not the generated declaration."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.accounts.forms import REQUIRED, CaptchaMixin, phone_filter, strip

DELIVERY_LABELS = {
    "office": _l("At the one-stop office"),
    "post": _l("By post to my address"),
    "online": _l("Electronically (download here)"),
}


class StartForm(FlaskForm):
    unit = SelectField(_l("Handling unit"), validators=[DataRequired(REQUIRED)])
    agree = BooleanField(_l("I have read the requirements of this procedure and want to file it online."),
                         validators=[DataRequired(_l("Tick the box to continue."))])
    token = HiddenField()


class DeliveryForm(FlaskForm):
    phone = StringField(_l("Mobile phone"), filters=[phone_filter], render_kw={"inputmode": "tel", "autocomplete": "tel"})
    email = StringField(_l("Email"), filters=[strip], render_kw={"autocomplete": "email", "type": "email"})
    # The procedure's own rule (submission.delivery_problems) says why another way is refused.
    method = RadioField(_l("How do you want to receive the result?"), validators=[DataRequired(REQUIRED)],
                        validate_choice=False)
    province = SelectField(_l("Province / city"), validators=[Optional()], validate_choice=False)
    commune = SelectField(_l("Commune / ward"), validators=[Optional()], validate_choice=False)
    street = StringField(_l("House number, street, hamlet"), filters=[strip], validators=[Length(max=255)],
                         render_kw={"autocomplete": "street-address"})
    exemption = RadioField(_l("Do you claim an exemption from the fee?"), validators=[Optional()],
                           validate_choice=False, default="")


class SubmitForm(CaptchaMixin, FlaskForm):
    pledge = BooleanField(_l("I take legal responsibility for the statements above."),
                          validators=[DataRequired(_l("Tick the pledge to submit."))])


class WithdrawForm(FlaskForm):
    note = TextAreaField(_l("Reason (optional)"), filters=[strip], validators=[Length(max=500)])
    confirm = BooleanField(_l("Yes, withdraw this dossier: the office will not process it."),
                           validators=[DataRequired(_l("Tick the box to confirm that you want to withdraw."))])
