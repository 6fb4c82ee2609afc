/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and says where the time went: self time by layer, time
 * of stacks that contain a given layer or function, and the hottest functions.
 *
 * Native work does not get frames of its own in these profiles: a better-sqlite3 statement's
 * execution, JSON.parse and the like count as self time of the JS function that calls them (e.g.
 * TypeORM's `BetterSqlite3QueryRunner.query`, the store's row reads).
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Leaf (self) time by layer; native frames are split by what they are. */
  selfByLayer: Share[];
  /** Time of the samples whose stack contains the layer or function (they overlap). */
  inclusive: Share[];
  topSelf: Share[];
}

const short = (url: string) => {
  const i = url.indexOf('/dist/');
  if (i >= 0) return url.slice(i + 1);
  const n = url.lastIndexOf('/node_modules/');
  if (n >= 0) return url.slice(n + '/node_modules/'.length);
  return url.replace(/^file:\/\//, '');
};

function layerOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)' || functionName === '(root)') return 'V8 / runtime (program)';
  if (url === '') {
    if (functionName === 'parse') return 'JSON.parse (native)';
    if (functionName === 'stringify') return 'JSON.stringify (native)';
    if (['run', 'all', 'get', 'iterate', 'exec', 'prepare', 'step'].includes(functionName)) return 'SQLite statements (native better-sqlite3)';
    if (['digest', 'update', 'createHash', 'Hash'].includes(functionName)) return 'hashing (native)';
    return `other native (${functionName || 'anonymous'})`;
  }
  if (url.includes('/node_modules/typeorm/')) return 'TypeORM (JS)';
  if (url.includes('/node_modules/better-sqlite3/')) return 'better-sqlite3 (JS wrapper)';
  const lib = /\/dist\/libs\/([^/]+)\//.exec(url);
  if (lib) return `libs/${lib[1]}`;
  if (url.startsWith('node:')) return 'Node.js internals';
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return `node_modules/${pkg[1]}`;
  return short(url) || 'other';
}

/** Stack-contains rules: a sample counts for a rule when any frame of its stack matches. */
const INCLUSIVE_RULES: { name: string; match: (f: CallFrame) => boolean }[] = [
  { name: 'TypeORM (driver), incl. the statements run through it: commits, CREATE INDEX, DELETE', match: (f) => f.url.includes('/node_modules/typeorm/') },
  { name: '  BetterSqlite3QueryRunner.query (statements run through TypeORM)', match: (f) => f.functionName === 'query' && f.url.includes('BetterSqlite3QueryRunner') },
  { name: 'libs/domain (fold, timeline, history)', match: (f) => f.url.includes('/dist/libs/domain/') },
  { name: '  HistoryWalk.advance (each scope\'s history followed event by event)', match: (f) => f.functionName === 'advance' && f.url.includes('/dist/libs/domain/') },
  { name: '  evolve / foldCase / foldTimeline (the event folded into the case state)', match: (f) => f.url.includes('/dist/libs/domain/') && (f.functionName === 'evolve' || f.functionName === 'foldCase' || f.functionName === 'foldTimeline') },
  { name: 'historyRows (history items to rows, keyed for the diff)', match: (f) => f.functionName === 'historyRows' },
  { name: 'insertValues / insertRows / execute (prepared statements: rows and count deltas)', match: (f) => f.url.includes('raw-rows') && ['insertValues', 'insertRows', 'execute'].includes(f.functionName) },
  { name: 'count deltas (StockDeltas / StockGroupDeltas add and flush)', match: (f) => f.url.includes('stock-deltas') },
  { name: 'libs/event-store (readAll / readStreams: SELECT, JSON.parse, row mapping)', match: (f) => f.url.includes('/dist/libs/event-store/') },
  { name: 'garbage collection', match: (f) => f.functionName === '(garbage collector)' },
];

export function summariseProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const self = new Map<number, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + dt);
    totalUs += dt;
  });

  const layers = new Map<string, number>();
  const functions = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    const layer = layerOf(frame);
    layers.set(layer, (layers.get(layer) ?? 0) + us);
    const key = `${frame.functionName || '(anonymous)'} ${frame.url ? `${short(frame.url)}:${frame.lineNumber + 1}` : '(native)'}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
    const hit = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      for (const rule of INCLUSIVE_RULES) if (!hit.has(rule.name) && rule.match(f)) hit.add(rule.name);
    }
    for (const name of hit) inclusive.set(name, (inclusive.get(name) ?? 0) + us);
  }
  const shares = (m: Map<string, number>) =>
    [...m.entries()].map(([name, us]) => ({ name, ms: us / 1000, share: us / Math.max(1, totalUs) })).sort((a, b) => b.ms - a.ms);
  return {
    totalMs: totalUs / 1000,
    selfByLayer: shares(layers),
    inclusive: INCLUSIVE_RULES.map((r) => ({ name: r.name, ms: (inclusive.get(r.name) ?? 0) / 1000, share: (inclusive.get(r.name) ?? 0) / Math.max(1, totalUs) })),
    topSelf: shares(functions).slice(0, top),
  };
}
