import './style.css';
import { render } from './router.js';

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-route]');
  if (!link) return;
  event.preventDefault();
  history.pushState({}, '', link.getAttribute('href'));
  render(location.pathname);
});
window.addEventListener('popstate', () => render(location.pathname));
render(location.pathname);
