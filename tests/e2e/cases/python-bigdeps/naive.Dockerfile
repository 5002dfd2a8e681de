# The naive Dockerfile: one stage, the whole project copied before the install.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN pip install --ignore-installed -r requirements.txt
EXPOSE 8108
CMD ["gunicorn", "--bind", "0.0.0.0:8108", "app:app"]
