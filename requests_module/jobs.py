"""Periodic duty of the disclosure workflow, run after every deadline sweep."""
from core.jobs.periodic import register_periodic
from requests_module.lapses import expire_unanswered

register_periodic(expire_unanswered)
