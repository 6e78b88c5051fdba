"""Knowledge-base pages: search, propose (any staff), publish or retire (supervisors)."""


from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from core.auth.guards import roles_required, staff_required
from core.auth.models import Role
from core.db import utcnow
from core.departments.service import active_departments, get_by_code
from core.errors import DomainError
from core.extensions import db
from core.inputs import date_field
from hotline import knowledge
from hotline.knowledge import KnowledgeEntry
from hotline.models import Category

bp = Blueprint("hotline_kb", __name__, url_prefix="/hotline/kb")


def _supervisor():
    return current_user.role in (Role.SUPERVISOR, Role.ADMIN)


@bp.get("/")
@staff_required
def index():
    q = (request.args.get("q") or "").strip()
    entries = knowledge.search(q, published_only=not _supervisor(), limit=50) if q else \
        KnowledgeEntry.query.filter(KnowledgeEntry.status == "published" if not _supervisor() else
                                    KnowledgeEntry.status != "").order_by(KnowledgeEntry.id.desc()).limit(100).all()
    drafts = [] if _supervisor() else KnowledgeEntry.query.filter_by(status="draft", proposed_by=current_user.id).all()
    return render_template("hotline/kb.html", entries=entries, drafts=drafts, q=q, supervisor=_supervisor(),
                           status_labels=knowledge.STATUS_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    if request.method == "POST":
        try:
            dep = get_by_code(request.form.get("department"))
            code = request.form.get("category") or None
            if code and db.session.get(Category, code) is None:
                code = None
            knowledge.propose(question=request.form.get("question"), answer=request.form.get("answer"),
                              category_code=code, department=dep, valid_from=date_field(request.form, "valid_from", label="有效期"),
                              valid_until=date_field(request.form, "valid_until", label="有效期"), now=utcnow(), actor=current_user)
        except DomainError as err:
            flash("；".join(getattr(err, "fields", {}).values()) or err.message, "danger")
        else:
            flash("已提交，待督办发布。", "success")
            return redirect(url_for(".index"))
    return render_template("hotline/kb_new.html", departments=active_departments(),
                           categories=Category.query.filter_by(level=3).order_by(Category.code).all())


@bp.post("/<int:entry_id>/<status>")
@roles_required(Role.SUPERVISOR, Role.ADMIN)
def set_status(entry_id, status):
    entry = db.session.get(KnowledgeEntry, entry_id) or abort(404)
    try:
        knowledge.set_status(entry, status, now=utcnow(), actor=current_user)
    except DomainError as err:
        flash(err.message, "danger")
    else:
        flash("已发布。" if status == "published" else "已停用。", "success")
    return redirect(url_for(".index"))





@bp.get("/for/<int:ticket_id>")
@staff_required
def for_ticket(ticket_id):
    """The ticket page's knowledge-base list (htmx), for whoever may close the ticket directly."""
    from hotline import kb_answers
    from hotline.models import Ticket
    ticket = db.session.get(Ticket, ticket_id)
    if ticket is None or not kb_answers.may_use(current_user, ticket):
        abort(404)
    query, answers = kb_answers.answers_for(ticket, now=utcnow(), query=request.args.get("kb"))
    return render_template("hotline/_kb_list.html", kb={"q": query, "answers": answers}, t=ticket)
