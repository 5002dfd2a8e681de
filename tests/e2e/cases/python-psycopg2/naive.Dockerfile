# The naive Dockerfile: one stage, the whole project copied before the install.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev && pip install -r requirements.txt
EXPOSE 8104
CMD ["gunicorn", "--bind", "0.0.0.0:8104", "app:app"]
