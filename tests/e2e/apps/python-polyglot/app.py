"""Flask serving its own Vite frontend from frontend/dist (dockgen e2e)."""

from pathlib import Path

from flask import Flask, jsonify

app = Flask(__name__, static_folder="frontend/dist", static_url_path="/static")
INDEX = Path(app.static_folder) / "index.html"


@app.get("/")
def index():
    # Fails (500) unless the frontend stage's output reached the image.
    return "hello from python-polyglot e2e-v1\n" + INDEX.read_text()


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")
