# The naive Dockerfile: one stage, the whole project copied before the install.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "worker.py"]
