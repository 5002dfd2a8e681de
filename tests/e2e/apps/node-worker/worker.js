// Takes jobs from a queue and processes them; it opens no port.
const VERSION = 'e2e-v1';

let processed = 0;
function poll() {
  processed += 1;
  if (processed % 10 === 0) console.log(`processed ${processed} jobs`);
}

console.log(`worker ${VERSION} started`);
const timer = setInterval(poll, 500);
process.on('SIGTERM', () => {
  clearInterval(timer);
  console.log('worker stopping');
});
