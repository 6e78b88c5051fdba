"""The minimal references the gunicorn benchmarks measure in the same run, served by the same gunicorn
settings as the service (bench/load.py: `gunicorn(reference_app.APP, env)`), on the same Flask:

- GET /static.json — a fixed JSON answer the size of a page of public-log results, no database
  (bench_public.py's reference);
- POST /insert — parses the JSON body and inserts one row (its `content`) into `bench_bare_inserts` of
  DATABASE_URL in one transaction (SQLAlchemy Core, the service's pool settings), answers 201 with the id
  (bench_hotline.py's reference: intake's bare minimum on the same gunicorn + PostgreSQL)."""
from __future__ import annotations

import json
import os

import sqlalchemy as sa
from flask import Flask, Response, jsonify, request

APP = "bench.reference_app:create_app()"
TABLE = "bench_bare_inserts"
DDL = f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, content text NOT NULL, " \
      "created_at timestamptz NOT NULL DEFAULT now())"
# 20 items of about 300 characters: the order of size of a /api/v1/log page (both sizes are printed)
STATIC = json.dumps({"query": "低保", "total": 1000, "page": 1, "pages": 50, "per_page": 20,
                     "items": [{"public_id": f"GK-2026-{i:07d}", "title": "城乡低保政策咨询",
                                "reply": "经核实，" + "您反映的问题已转交相关部门依法办理，" * 16} for i in range(20)]},
                    ensure_ascii=False).encode()


def create_app() -> Flask:
    app = Flask(__name__)
    engine = sa.create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True) if os.environ.get("DATABASE_URL") \
        else None
    insert = sa.text(f"INSERT INTO {TABLE} (content) VALUES (:content) RETURNING id")

    @app.get("/static.json")
    def static_json() -> Response:
        return Response(STATIC, mimetype="application/json")

    @app.post("/insert")
    def insert_one() -> tuple[Response, int]:
        body = request.get_json(silent=True) or {}
        if not isinstance(body.get("content"), str) or engine is None:
            return jsonify(error="content required"), 400
        with engine.begin() as c:
            row_id = c.execute(insert, {"content": body["content"]}).scalar_one()
        return jsonify(id=row_id), 201

    return app
