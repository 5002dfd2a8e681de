"""A Flask service with a realistic dependency set (110 packages) for the rebuild figure (dockgen e2e)."""

import boto3
import pandas
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def index():
    return f"hello from python-bigdeps e2e-v1 pandas {pandas.__version__} boto3 {boto3.__version__}\n"


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")
