"""Greets over HTTP: the pip + requirements.txt app of dockgen's end-to-end test."""

import os

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def index():
    return "hello from python-pip e2e-v1\n"


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8101")))
