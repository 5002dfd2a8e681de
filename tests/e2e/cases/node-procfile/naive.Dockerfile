# The naive Dockerfile: one stage, the whole project copied before the install.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN npm install
ENV PORT=8134
EXPOSE 8134
CMD ["node", "server.js"]
