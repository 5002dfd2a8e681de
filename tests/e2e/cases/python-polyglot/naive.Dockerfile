# The naive Dockerfile: one stage with the Python image; the frontend is not built (a naive image
# of a polyglot repository usually ships without its UI), so only rebuild times compare.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt && mkdir -p frontend/dist && echo '<title>none</title>' > frontend/dist/index.html
EXPOSE 8107
CMD ["gunicorn", "--bind", "0.0.0.0:8107", "app:app"]
