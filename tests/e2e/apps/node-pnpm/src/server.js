// Counts visits over HTTP: the pnpm + Fastify app of dockgen's end-to-end test.
import Fastify from "fastify";

const app = Fastify({ logger: false });
const port = Number(process.env.PORT || 8112);
let visits = 0;

app.get("/", async (_req, reply) => {
  visits += 1;
  reply.type("text/plain");
  return `hello from node-pnpm e2e-v1 (visit ${visits})\n`;
});
app.get("/healthz", async () => ({ status: "ok" }));

await app.listen({ port, host: "0.0.0.0" });
console.log(`listening on ${port}`);
