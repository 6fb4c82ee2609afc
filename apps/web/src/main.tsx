import { render } from 'preact';
import { prefetch } from './api.js';
import { App } from './app.js';
import { headlineQueries, readQuery } from './dashboard/DashboardPage.js';
import './styles.css';

// The session check and, on a plain visit to the dashboard, its headline counts go out now, in
// parallel, instead of one after the other once the app has rendered.
prefetch('/api/session');
if (window.location.pathname === '/' && window.location.search === '') {
  for (const query of headlineQueries(readQuery(new URLSearchParams(), false))) prefetch('/api/stats', query);
}

render(<App />, document.getElementById('app')!);
