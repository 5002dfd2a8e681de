"""Serves a quote over HTTP: the uv + FastAPI app of dockgen's end-to-end test."""

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI()


@app.get("/", response_class=PlainTextResponse)
def index() -> str:
    return "hello from python-uv e2e-v1\n"


@app.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}
