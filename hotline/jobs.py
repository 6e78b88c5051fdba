"""Periodic duties of the 12345 hotline, run after every deadline sweep (core/jobs/periodic.py)."""
from core.jobs.periodic import register_periodic
from hotline.supervision import escalate_overdue

register_periodic(escalate_overdue)  # 督办单 whose written feedback is late go to level 2
