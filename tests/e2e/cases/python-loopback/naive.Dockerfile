# The naive Dockerfile: one stage, the whole project copied before the install.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
ENV HOST=0.0.0.0
EXPOSE 8106
CMD ["python", "main.py"]
