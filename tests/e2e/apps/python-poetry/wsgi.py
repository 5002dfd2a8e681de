"""Reports stock levels over HTTP: the Poetry + Flask app of dockgen's end-to-end test."""

from flask import Flask, jsonify

app = Flask(__name__)
STOCK = {"apples": 12, "pears": 3}


@app.get("/")
def index():
    return "hello from python-poetry e2e-v1\n"


@app.get("/stock")
def stock():
    return jsonify(STOCK)


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")
