"""Import every model so that metadata (and Alembic) see all tables."""
from app.accounts.models import CaptchaChallenge, OidcIdentity  # noqa: F401
from app.calendar.models import CalendarDay, ProvinceCalendar  # noqa: F401
from app.core.access import PersonalDataAccess  # noqa: F401
from app.core.audit import AdminAuditRecord  # noqa: F401
from app.core.settings_cache import SettingsRevision  # noqa: F401
from app.documents.credentials import SigningCredential  # noqa: F401
from app.dossiers.models import (  # noqa: F401
    Attachment,
    Dossier,
    DossierEvent,
    DossierSequence,
    ResultDocument,
    SatisfactionRating,
)
from app.notifications.models import OutboxMessage  # noqa: F401
from app.notifications.sms import SmsRecord  # noqa: F401
from app.notifications.texts import NotificationTemplate  # noqa: F401
from app.payments.models import Payment, PaymentCallback, ReceiptSequence  # noqa: F401
from app.procedures.fees import FeeSetting  # noqa: F401
from app.procedures.models import (  # noqa: F401
    Field,
    Procedure,
    ProcedureTemplate,
    ProcedureVersion,
    UnitProcedure,
)
from app.security.models import UserProfile, UserUnit  # noqa: F401
from app.security.permissions import PermissionRevision  # noqa: F401
from app.transparency.models import (  # noqa: F401
    DossierStat,
    HistoryDigest,
    OpenDossierCount,
    ProvinceMonthStat,
    ProvinceOpenCount,
    PublicDossier,
    UnitMonthStat,
)
from app.units.models import AdministrativeUnit  # noqa: F401
