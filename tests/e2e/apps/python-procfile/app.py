"""A Procfile app: the web process is the start command (dockgen e2e)."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def index():
    return "hello from python-procfile e2e-v1\n"


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")
