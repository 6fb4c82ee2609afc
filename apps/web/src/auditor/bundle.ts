// Downloading an audit bundle (GET /api/audit/export) byte for byte as the server wrote it, so that
// `npm run cli -- verify-bundle` checks exactly what the auditor keeps.
import { apiUrl, ApiProblem } from '../api.js';

export interface BundleSummary {
  filename: string;
  bytes: number;
  events: number;
  chainHead: { position: number; hash: string } | null;
  digest: string | null;
}

export type BundleScope = { caseId: string } | { from: number; to: number };

export async function downloadBundle(scope: BundleScope, today: string): Promise<BundleSummary> {
  const query = 'caseId' in scope ? { caseId: scope.caseId } : { from: scope.from, to: scope.to };
  let response: Response;
  try {
    response = await fetch(apiUrl('/api/audit/export', query), { credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch (e) {
    throw new ApiProblem(0, { title: 'Network error', code: 'NETWORK_ERROR', detail: e instanceof Error ? e.message : String(e) });
  }
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: reported below as the server's answer.
  }
  if (!response.ok) throw new ApiProblem(response.status, Object.keys(parsed).length > 0 ? parsed : { title: text || `HTTP ${response.status}` });

  const name = 'caseId' in scope ? `case-${scope.caseId.slice(0, 8)}` : `positions-${scope.from}-${scope.to}`;
  const filename = `audit-bundle-${name}-${today}.json`;
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);

  const events = Array.isArray(parsed['events']) ? parsed['events'].length : 0;
  const head = parsed['chainHead'] as BundleSummary['chainHead'] | undefined;
  const digest = typeof parsed['digest'] === 'string' ? parsed['digest'] : null;
  return { filename, bytes: text.length, events, chainHead: head ?? null, digest };
}
