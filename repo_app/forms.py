"""Web forms (Flask-WTF: CSRF on every form, validation messages in the UI language)."""

from __future__ import annotations

from datetime import date

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from repo_app.vocab import (
    ACCESS_LABELS,
    DEGREE_LEVEL_LABELS,
    LANGUAGE_LABELS,
    TYPE_LABELS,
    AccessLevel,
)

REQUIRED = _l("This field is required.")


class _CatalogueTranslations:
    """WTForms' own messages ("Not a valid date value.", "Field cannot be longer than…")
    looked up in our catalogue: WTForms ships no Vietnamese, and Flask-WTF's i18n reads
    only the catalogues WTForms ships. Their Vietnamese is in messages.po."""

    # The catalogue itself, not Flask-Babel's gettext: WTForms fills in the %(max)d itself.
    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


class Form(FlaskForm):
    """Every form of the site: Flask-WTF's CSRF, and every message in the page's language."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: FlaskForm) -> _CatalogueTranslations:
            return _CatalogueTranslations()


def split_list(value: str | None) -> list[str]:
    """People and keywords are typed one per line or separated by ';'."""
    if not value:
        return []
    parts = value.replace("\r", "").replace("\n", ";").split(";")
    return [p.strip() for p in parts if p.strip()]


def join_list(values: list[str]) -> str:
    return "\n".join(values)


class LoginForm(Form):
    # No format check beyond what `repo-app users create` makes: an account on an intranet
    # domain (admin@thuvien.local) must be able to log in, and a malformed address simply
    # matches no account ("Wrong e-mail or password", in the page's language).
    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED)])
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class WorkForm(Form):
    """The deposit and edit form: ETD-MS fields plus the PDFs."""

    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=1000)])
    alt_title = StringField(_l("Alternative title (e.g. in English)"),
                            validators=[Optional(), Length(max=1000)])
    creators = TextAreaField(_l("Authors (one per line)"), validators=[DataRequired(REQUIRED)])
    advisors = TextAreaField(_l("Advisors (one per line)"), validators=[Optional()])
    type = SelectField(_l("Type of work"), choices=[(k.value, v) for k, v in TYPE_LABELS.items()])
    year = IntegerField(
        _l("Year"),
        validators=[DataRequired(REQUIRED),
                    NumberRange(1900, date.today().year + 1,
                                message=_l("Enter a year between 1900 and next year."))],
    )
    language = SelectField(_l("Language"), choices=list(LANGUAGE_LABELS.items()))
    collection_id = SelectField(_l("Faculty or department"), coerce=int)
    degree_name = StringField(_l("Degree name (e.g. Thạc sĩ Quản trị kinh doanh)"),
                              validators=[Optional(), Length(max=200)])
    # Empty first: the level the type implies (a master's thesis is a master's), so the form
    # never quietly says "bachelor" for a work whose depositor left it alone.
    degree_level = SelectField(
        _l("Degree level"),
        choices=[("", _l("As the type of work implies"))]
        + [(k.value, v) for k, v in DEGREE_LEVEL_LABELS.items() if k.value])
    discipline = StringField(_l("Discipline"), validators=[Optional(), Length(max=200)])
    grantor = StringField(_l("Degree grantor"), validators=[Optional(), Length(max=300)])
    abstract = TextAreaField(_l("Abstract"), validators=[Optional(), Length(max=20000)])
    keywords = TextAreaField(_l("Keywords (separated by ; or one per line)"),
                             validators=[Optional()])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=1000)])
    abstract_en = TextAreaField(_l("Abstract in English"),
                                validators=[Optional(), Length(max=20000)])
    keywords_en = TextAreaField(_l("Keywords in English (separated by ; or one per line)"),
                                validators=[Optional()])
    # The picker offers PDFs only; the server still checks what arrives (files.stage).
    files = MultipleFileField(_l("PDF files"), render_kw={"accept": "application/pdf,.pdf"})
    staged = HiddenField()
    embargo_requested_until = DateField(_l("Embargo until (only if you ask for one)"),
                                        validators=[Optional()])
    embargo_request_reason = TextAreaField(_l("Why the work needs an embargo"),
                                           validators=[Optional(), Length(max=2000)])
    accept_licence = BooleanField(_l("I have read and accept the deposit licence"))
    save = SubmitField(_l("Save draft"))
    submit_work = SubmitField(_l("Submit for review"))


def access_choices() -> list[tuple[str, object]]:
    return [(k.value, v) for k, v in ACCESS_LABELS.items()]


class ReviewForm(Form):
    """A librarian's decision on a submitted work, with its access level."""

    access_level = SelectField(_l("Access level"), choices=access_choices())
    embargo_until = DateField(_l("Embargo ends on"), validators=[Optional()])
    access_after_embargo = SelectField(
        _l("Level after the embargo"),
        choices=[c for c in access_choices() if c[0] != AccessLevel.EMBARGOED],
    )
    reason = StringField(_l("Reason for the access level"), validators=[Optional(), Length(max=500)])
    comment = TextAreaField(_l("Comment to the depositor"), validators=[Optional()])
    publish = SubmitField(_l("Accept and publish"))
    return_work = SubmitField(_l("Return to depositor"))


class AccessForm(Form):
    """Change the access level of a published work (audited, with a reason)."""

    access_level = SelectField(_l("Access level"), choices=access_choices())
    embargo_until = DateField(_l("Embargo ends on"), validators=[Optional()])
    access_after_embargo = SelectField(
        _l("Level after the embargo"),
        choices=[c for c in access_choices() if c[0] != AccessLevel.EMBARGOED],
    )
    reason = StringField(_l("Why"), validators=[DataRequired(REQUIRED), Length(max=500)])
    submit = SubmitField(_l("Change access"))


class ActionForm(Form):
    """A bare POST button (CSRF-protected), e.g. re-run extraction."""

    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Confirm"))


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED)])
    confirmation = PasswordField(_l("The new password again"), validators=[DataRequired(REQUIRED)])
    submit = SubmitField(_l("Set the password"))


def role_choices() -> list[tuple[str, object]]:
    return [("reader", _l("Reader")), ("depositor", _l("Depositor")),
            ("librarian", _l("Librarian")), ("admin", _l("Administrator"))]


class AccountForm(Form):
    """An administrator creates an account; its owner sets the password from a mailed link."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=role_choices())
    submit = SubmitField(_l("Create the account"))


class RoleForm(Form):
    role = SelectField(_l("Role"), choices=role_choices())
    submit = SubmitField(_l("Change the role"))


class OcrCorrectionForm(Form):
    """A librarian's text for one OCR'd page, replacing what tesseract read."""

    text = TextAreaField(_l("Corrected text"), validators=[DataRequired(REQUIRED),
                                                           Length(max=100_000)])
    submit = SubmitField(_l("Save the corrected text"))


class ScanForm(Form):
    """The scanning station: one holding's page images, its description and access level.

    Title, authors, year and type may be left empty when the holding has them.
    """

    holding = StringField(_l("Holding (holding id or call number)"),
                          validators=[DataRequired(REQUIRED), Length(max=100)])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=1000)])
    creators = TextAreaField(_l("Authors (one per line)"), validators=[Optional()])
    year = IntegerField(
        _l("Year"),
        validators=[Optional(),
                    NumberRange(1900, date.today().year + 1,
                                message=_l("Enter a year between 1900 and next year."))],
    )
    type = SelectField(_l("Type of work"), choices=[(k.value, v) for k, v in TYPE_LABELS.items()])
    language = SelectField(_l("Language"), choices=list(LANGUAGE_LABELS.items()))
    access_level = SelectField(_l("Access level"), choices=access_choices())
    embargo_until = DateField(_l("Embargo ends on"), validators=[Optional()])
    images = MultipleFileField(_l("Page images"),
                               render_kw={"accept": ".tif,.tiff,.jpg,.jpeg,.png,.zip"})
    staged = HiddenField()
    submit = SubmitField(_l("Upload and publish"))
