# The naive Dockerfile: one stage, the whole project copied before the install.
ARG BASE
FROM ${BASE}
WORKDIR /app
COPY . .
RUN npm install && npm run build
EXPOSE 8113
CMD ["node", "dist/main.js"]
