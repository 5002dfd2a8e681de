# The naive Dockerfile: one stage, the whole project copied before the install.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN pip install poetry && poetry config virtualenvs.create false && poetry install --no-root
EXPOSE 8103
CMD ["gunicorn", "--bind", "0.0.0.0:8103", "wsgi:app"]
