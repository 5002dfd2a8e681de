# The naive Dockerfile: one stage, the whole project copied before the install.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN npm install
CMD ["node", "worker.js"]
