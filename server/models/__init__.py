"""All server models; importing this package registers every table on ``Base.metadata``."""

from server.models.base import Base, UTCDateTime, utcnow
from server.models.catalogue import CatalogueVersion, Notice
from server.models.devices import Device, EnrolmentCode, RateLimitBucket
from server.models.org import Agent, County, RosterEntry, ServiceRoom, Township, Village
from server.models.records import Application, ApplicationEvent, Complaint, QueueTicket, Rating
from server.models.tracking import ComplaintCase, FollowUp, LookupAttempt

__all__ = [
    "Agent",
    "Application",
    "ApplicationEvent",
    "Base",
    "CatalogueVersion",
    "Complaint",
    "ComplaintCase",
    "County",
    "Device",
    "EnrolmentCode",
    "FollowUp",
    "LookupAttempt",
    "Notice",
    "QueueTicket",
    "RateLimitBucket",
    "Rating",
    "RosterEntry",
    "ServiceRoom",
    "Township",
    "UTCDateTime",
    "Village",
    "utcnow",
]
from server.models import console as console  # noqa: E402  (registers the console tables, feat/console)
