"""Reports the PostgreSQL driver compiled into the image (psycopg2 built from source; dockgen e2e)."""

import psycopg2
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def index():
    return f"hello from python-psycopg2 e2e-v1 libpq {psycopg2.__libpq_version__}\n"


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")
