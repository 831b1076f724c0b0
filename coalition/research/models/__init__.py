"""Field research records (strikes, casualties, contaminated areas, reports), their review and history.

Every record passes draft → submitted → approved (or changes requested / rejected); only approved
records count in public figures. Casualties may carry a name and an exact address: personal data,
listed in `Casualty.PERSONAL_FIELDS`, which no public output ever reads.

The models live in the modules below (split in issue 18); Django and the rest of the project find them here.
"""

from coalition.research.models.casualties import (
    BREAKDOWN_FIELDS,
    BREAKDOWN_NAMES,
    BREAKDOWNS,
    EXCLUSIVE_GROUPS,
    OUTCOMES,
    Breakdown,
    Casualty,
    CasualtyTotal,
)
from coalition.research.models.jobs import ExportJob, ImportJob, JobStatus
from coalition.research.models.places import (
    KNOWN_MUNITION_TYPES,
    Clearance,
    ContaminatedArea,
    PlacedRecord,
    Source,
    Strike,
)
from coalition.research.models.reports import Attachment, Report
from coalition.research.models.review import EDITABLE_STATUSES, RecordChange, Researcher, Reviewable, Status

__all__ = [
    "BREAKDOWNS",
    "BREAKDOWN_FIELDS",
    "BREAKDOWN_NAMES",
    "EDITABLE_STATUSES",
    "EXCLUSIVE_GROUPS",
    "KNOWN_MUNITION_TYPES",
    "OUTCOMES",
    "Attachment",
    "Breakdown",
    "Casualty",
    "CasualtyTotal",
    "Clearance",
    "ContaminatedArea",
    "ExportJob",
    "ImportJob",
    "JobStatus",
    "PlacedRecord",
    "RecordChange",
    "Report",
    "Researcher",
    "Reviewable",
    "Source",
    "Status",
    "Strike",
]
