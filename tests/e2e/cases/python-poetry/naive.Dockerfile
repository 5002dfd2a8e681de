# The naive Dockerfile: one stage, the whole project copied before the install.
# `poetry install` finds downloads through the package index's JSON API, which this network's index
# does not serve, so the dependencies go through an exported requirements list, as in the
# generated Dockerfile.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN pip install poetry poetry-plugin-export \
 && poetry export --only main -f requirements.txt -o requirements.txt \
 && pip install -r requirements.txt
EXPOSE 8103
CMD ["gunicorn", "--bind", "0.0.0.0:8103", "wsgi:app"]
