# The naive Dockerfile: one stage, the whole project copied before the install.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
EXPOSE 8105
CMD ["gunicorn", "--bind", "0.0.0.0:8105", "app:app"]
