"""Periodic duty of the disclosure workflow, run after every deadline sweep."""
from core.clocks.sweep import register_unassigned_recipients
from core.jobs.periodic import register_periodic
from requests_module.access import INTAKE
from requests_module.common import ENTITY
from requests_module.lapses import expire_unanswered

register_periodic(expire_unanswered)
# Art. 31: an unconfirmed online application (and an unassigned one) alerts the 公开办 when its clock runs out
register_unassigned_recipients(ENTITY, INTAKE)
