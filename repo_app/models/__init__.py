"""The database models. Each submodule holds one concern; importing this
package registers every table on ``Base.metadata`` (Alembic needs all)."""

from repo_app.db import Base
from repo_app.models.api_tokens import ApiToken
from repo_app.models.audit import AuditEvent
from repo_app.models.grants import AccessGrant
from repo_app.models.harvest import HarvestedRecord, HarvestPartner, HarvestRun, HarvestSource
from repo_app.models.holdings import CoverageSnapshot, Holding
from repo_app.models.indexing import IndexQueueItem
from repo_app.models.jobs import Job, OcrPage
from repo_app.models.onsite import OnsiteRequest
from repo_app.models.reports import AgencyReportSubmission
from repo_app.models.requests import CopyRequest, Notification, ReaderPageView
from repo_app.models.sessions import LoginSession
from repo_app.models.state import AppState
from repo_app.models.usage import UsageDaily, UsageSalt, UsageSeen
from repo_app.models.users import User
from repo_app.models.works import Collection, File, Work

__all__ = ["AccessGrant", "AuditEvent", "Base", "Collection", "CoverageSnapshot", "File", "Holding",
           "IndexQueueItem", "User", "Work"]

__all__ += ["ApiToken", "HarvestPartner", "HarvestRun", "HarvestSource", "HarvestedRecord"]
__all__ += ["CopyRequest", "Notification", "ReaderPageView"]
__all__ += ["OnsiteRequest"]
__all__ += ["AgencyReportSubmission"]
__all__ += ["AppState"]
__all__ += ["LoginSession"]
__all__ += ["Job", "OcrPage"]
__all__ += ["UsageDaily", "UsageSalt", "UsageSeen"]
