// Rendered on the server at every request.
export function load() {
  return { version: 'e2e-v1', at: new Date().toISOString() };
}
