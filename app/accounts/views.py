"""Account pages: register, verify, log in/out, reset the password, profile, OIDC."""
from __future__ import annotations

from urllib.parse import urlparse

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash
from wtforms.widgets import PasswordInput

from app.accounts import captcha, oidc
from app.accounts import operations as ops
from app.accounts.forms import (
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResendForm,
    ResetPasswordForm,
)
from app.core.locale import current_locale
from app.extensions import limiter
from app.security import throttle

bp = Blueprint("accounts", __name__, url_prefix="/account")


def _limit(key: str, default: str):
    return lambda: current_app.config.get(key, default)


def safe_next(target: str | None) -> str | None:
    """Only local paths: never send a citizen to another site after login."""
    if not target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target) or "\\" in target:
        return None  # CR/LF would split the Location header; a backslash reads as // to browsers
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _after_login():
    return redirect(safe_next(request.values.get("next")) or safe_next(session.pop("login_next", None))
                    or url_for("filing.my_dossiers"))


def _complete_login(user) -> None:
    login_user(user, remember=False)
    current_app.appbuilder.sm.update_user_auth_stat(user, True)


def _fresh_captcha(form) -> None:
    form.captcha_id.data = captcha.new_challenge(replacing=form.captcha_id.data)
    form.captcha.data = ""


def keep_passwords(form) -> None:
    """Show the passwords typed again when they were fine: a wrong code costs nothing else."""
    if not form.password.errors and not form.confirm.errors:
        form.password.widget = form.confirm.widget = PasswordInput(hide_value=False)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_limit("REGISTER_RATE_LIMIT", "10 per hour"), methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("filing.my_dossiers"))
    form = RegisterForm()
    if form.is_submitted() and captcha.refresh_requested():
        keep_passwords(form)
    elif form.is_submitted():
        valid = form.validate()
        if captcha.accepted(form) and valid:
            try:
                ops.register_citizen(ops.Registration(form.full_name.data, form.email.data,
                                                      form.phone.data, form.password.data),
                                     locale=current_locale())
            except ops.AccountError as exc:
                form.email.errors = list(form.email.errors) + [exc.errors["email"]]
            else:
                # The same answer whether the address was new or already had an account.
                return render_template("accounts/registered.html", email=form.email.data)
        keep_passwords(form)
    _fresh_captcha(form)
    return render_template("accounts/register.html", form=form)


@bp.route("/captcha/<challenge_id>.png")
def captcha_image(challenge_id: str):
    data = captcha.image_png(challenge_id)
    if data is None:
        abort(404)
    return Response(data, mimetype="image/png", headers={"Cache-Control": "no-store"})


@bp.route("/captcha/<challenge_id>.wav")
@limiter.limit(_limit("CAPTCHA_AUDIO_RATE_LIMIT", "30 per minute"))
def captcha_audio(challenge_id: str):
    """The spoken alternative of the picture (Vietnamese digits)."""
    data = captcha.audio_wav(challenge_id)
    if data is None:
        abort(404)
    return Response(data, mimetype="audio/wav", headers={"Cache-Control": "no-store"})


@bp.route("/captcha/refresh", methods=["POST"])
@limiter.limit(_limit("CAPTCHA_REFRESH_RATE_LIMIT", "30 per minute"))
def captcha_refresh():
    """Another code for the page's script, replacing the one shown (CSRF-checked POST)."""
    challenge_id = captcha.new_challenge(replacing=request.form.get("captcha_id"))
    return {"id": challenge_id,
            "image": url_for("accounts.captcha_image", challenge_id=challenge_id),
            "audio": url_for("accounts.captcha_audio", challenge_id=challenge_id)}


@bp.route("/verify/<token>")
def verify_email(token: str):
    user, problem = ops.verify_email(token)
    if user is None:
        return render_template("accounts/link_problem.html", problem=problem,
                               form=ResendForm()), 400
    flash(_("Your email address is confirmed. You can log in now."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/verify", methods=["POST"])
@limiter.limit(_limit("RESET_RATE_LIMIT", "5 per 15 minutes"))
def resend_verification():
    form = ResendForm()
    if form.validate_on_submit():
        user = ops.find_by_login(form.email.data)
        if user is not None and not user.active:
            ops.resend_verification(user, current_locale())
    flash(_("If an account waits for confirmation at this address, a new link is on its way."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_limit("LOGIN_RATE_LIMIT", "10 per minute"), methods=["POST"])
def login():
    if current_user.is_authenticated:
        return _after_login()
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        sm = current_app.appbuilder.sm
        user = ops.find_by_login(form.login.data)
        # One password hash whoever asks (unknown, inactive or known): no answer by timing.
        if user is not None and not user.active:
            throttle.check_account(form.login.data)
            if user.password and check_password_hash(user.password, form.password.data):
                form.login.errors = list(form.login.errors) + [
                    _("Confirm your email address first: open the link we sent you.")]
            else:
                throttle.note_failure(form.login.data)
                form.password.errors = list(form.password.errors) + [
                    _("The email, user name or password is not right.")]
        else:
            authenticated = sm.auth_user_db(user.username if user else form.login.data,
                                            form.password.data)
            if authenticated is None:
                form.password.errors = list(form.password.errors) + [
                    _("The email, user name or password is not right.")]
            else:
                _complete_login(authenticated)
                return _after_login()
    return render_template("accounts/login.html", form=form, providers=oidc.providers(),
                           resend=ResendForm())


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.pop("unit", None)
    flash(_("You are logged out."), "info")
    return redirect(url_for("portal.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_limit("RESET_RATE_LIMIT", "5 per 15 minutes"), methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        ops.request_password_reset(form.email.data, current_locale())
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_limit("RESET_RATE_LIMIT", "5 per 15 minutes"), methods=["POST"])
def reset_password(token: str):
    from app.accounts.tokens import RESET_MAX_AGE, RESET_SALT, token_user

    user, problem = token_user(token, RESET_SALT, RESET_MAX_AGE)
    if user is None:
        return render_template("accounts/link_problem.html", problem=problem, form=ResendForm()), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        ops.reset_password(token, form.password.data)
        flash(_("Your password was changed. Log in with the new one."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.path))
    form = ProfileForm()
    if request.method == "GET":
        values = ops.profile_values(current_user)
        form.full_name.data = values.get("full_name", "")
        form.phone.data = values.get("phone", "")
        form.citizen_id.data = values.get("citizen_id", "")
        form.gender.data = values.get("gender", "")
        form.address.data = values.get("address", "")
        profile_row = ops.get_profile(current_user)
        form.date_of_birth.data = profile_row.date_of_birth
    elif form.validate_on_submit():
        ops.update_profile(current_user, full_name_=form.full_name.data, phone=form.phone.data,
                           citizen_id=form.citizen_id.data, date_of_birth=form.date_of_birth.data,
                           gender=form.gender.data, address=form.address.data)
        flash(_("Your details were saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, email=current_user.email)


@bp.route("/oidc/<name>/login")
def oidc_login(name: str):
    client = oidc.client(name)
    if client is None:
        abort(404)
    session["login_next"] = safe_next(request.args.get("next"))
    return client.authorize_redirect(url_for("accounts.oidc_callback", name=name, _external=True))


@bp.route("/oidc/<name>/callback")
def oidc_callback(name: str):
    client = oidc.client(name)
    if client is None:
        abort(404)
    try:
        token = client.authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        if client.load_server_metadata().get("userinfo_endpoint"):
            claims.update(client.userinfo(token=token))
    except Exception:  # noqa: BLE001 - a refused or broken exchange; tell the citizen, log it
        current_app.logger.exception("OIDC login with %s failed", name)
        flash(_("Logging in with %(provider)s did not succeed; please try again.",
                provider=oidc.providers()[name].get("title", name)), "error")
        return redirect(url_for("accounts.login"))
    if not claims.get("sub"):
        flash(_("The identity provider did not say who you are; please try again."), "error")
        return redirect(url_for("accounts.login"))
    user = oidc.login_identity(name, claims)
    _complete_login(user)
    return _after_login()
