# The naive Dockerfile: one stage, the whole project copied before the install, Vite's preview server.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN npm install && npm run build
EXPOSE 8131
CMD ["npx", "vite", "preview", "--host", "0.0.0.0", "--port", "8131"]
