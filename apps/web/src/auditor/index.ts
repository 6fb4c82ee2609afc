// The auditor's screens, as the shell's router imports them (apps/web/src/app.tsx).
import '../caseworker/caseworker.css';
import './messages.js';

export { AuditPage } from './audit-page.js';
export { AuditCasePage } from './audit-case-page.js';
