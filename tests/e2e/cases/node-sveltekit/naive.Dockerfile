# The naive Dockerfile: one stage, the whole project copied before the install.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN npm install && npm run build
ENV PORT=8132
EXPOSE 8132
CMD ["node", "build"]
