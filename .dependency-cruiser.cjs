/**
 * Layer rules, with no exceptions:
 *   domain      -> nothing outside itself (no framework, no I/O, no packages)
 *   event-store -> no domain, no application, no apps (it knows envelopes only)
 *   application -> domain, event-store and crypto ports; no Nest, no apps
 *   crypto      -> nothing of the cases (no domain, application, event-store, apps)
 *   libs        -> never apps
 *   web         -> nothing of the server (it talks to the API over HTTP only); the server never imports the web app
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain imports nothing but itself: no @nestjs, no node: modules, no packages, no other layer.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { pathNot: '^libs/domain/' },
    },
    {
      name: 'event-store-knows-no-domain',
      severity: 'error',
      from: { path: '^libs/event-store/' },
      to: { path: '^(libs/(domain|application)|apps)/' },
    },
    {
      name: 'crypto-knows-no-cases',
      comment: 'Encryption of personal data is generic: subjects, envelopes, keys. It knows no event, case or store of events.',
      severity: 'error',
      from: { path: '^libs/crypto/' },
      to: { path: '^(libs/(domain|application|event-store|projections|infrastructure|config)|apps)/' },
    },
    {
      name: 'application-is-framework-free',
      severity: 'error',
      from: { path: '^libs/application/' },
      to: { path: '(^apps/|node_modules/@nestjs/)' },
    },
    {
      name: 'libs-are-framework-free',
      comment: 'Nest belongs to the apps; libraries stay usable from a CLI or a worker without it.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: 'node_modules/@nestjs/' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'web-app-is-a-client',
      comment: 'The browser app speaks HTTP to the API; server code in its bundle would ship server secrets and Node modules.',
      severity: 'error',
      from: { path: '^apps/web/' },
      to: { path: '^(libs|apps/(?!web/))' },
    },
    {
      name: 'server-never-imports-web',
      severity: 'error',
      from: { path: '^(libs|apps/(?!web/))' },
      to: { path: '^apps/web/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.spec\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.json', '.css'],
    },
  },
};
