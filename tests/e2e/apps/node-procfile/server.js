// The Procfile's web process: plain node:http on $PORT.
const http = require('node:http');

const VERSION = 'e2e-v1';
const port = Number(process.env.PORT || 8134);

http
  .createServer((req, res) => {
    if (req.url === '/healthz') {
      res.end('ok');
      return;
    }
    res.end(`${VERSION}\n`);
  })
  .listen(port, () => console.log(`listening on ${port}`));
