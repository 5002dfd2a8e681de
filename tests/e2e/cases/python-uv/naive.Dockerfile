# The naive Dockerfile: one stage, the whole project copied before the install.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN pip install uv && uv sync --locked
EXPOSE 8102
CMD ["uv", "run", "uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8102"]
