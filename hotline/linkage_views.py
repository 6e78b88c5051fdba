"""The linkage desk page: transfers awaiting the emergency service's feedback and 110 hand-overs whose
result is still owed to 110 (国办发〔2022〕12号 two-way 12345–110 linkage)."""
from flask import render_template

from core.auth.guards import roles_required
from hotline import linkage
from hotline.access import DESK
from hotline.staff_views import bp


@bp.get("/linkage")
@roles_required(*DESK)
def linkage_page():
    out, incoming = linkage.awaiting()
    return render_template("hotline/linkage.html", out=out, incoming=incoming, services=linkage.EMERGENCY,
                           answered=linkage.ANSWERED)
