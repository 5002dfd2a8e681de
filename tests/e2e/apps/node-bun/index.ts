// Bun's own HTTP server; TypeScript runs as is (`bun index.ts`).
const server = Bun.serve({
  port: Number(process.env.PORT ?? 8133),
  fetch(req) {
    const url = new URL(req.url);
    if (url.pathname === "/healthz") return new Response("ok");
    return new Response("e2e-v1\n");
  },
});

console.log(`listening on ${server.url}`);
