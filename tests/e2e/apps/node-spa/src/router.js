// Client-side routes: the server answers every path with index.html.
const pages = {
  '/': () => '<h1>Tasks</h1><p>Nothing due today.</p>',
  '/settings/profile': () => '<h1>Profile</h1><p>Signed in.</p>',
};

export function render(path) {
  const page = pages[path] ?? (() => '<h1>Not found</h1>');
  document.querySelector('#app').innerHTML = page();
}
