// The caseworker's screens, as the shell's router imports them (apps/web/src/app.tsx).
import './caseworker.css';
import './messages.js';

export { CaseListPage } from './case-list-page.js';
export { CasePage } from './case-page.js';
export { TodayPage } from './today-page.js';
