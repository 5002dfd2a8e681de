// Greets over HTTP: the npm + Express app of dockgen's end-to-end test.
const express = require("express");

const app = express();
const port = Number(process.env.PORT || 8111);

app.get("/", (_req, res) => res.type("text").send("hello from node-npm e2e-v1\n"));
app.get("/healthz", (_req, res) => res.json({ status: "ok" }));

const server = app.listen(port, () => console.log(`listening on ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
