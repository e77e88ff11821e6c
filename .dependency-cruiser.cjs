/**
 * The import rules of src/ (docs/ARCHITECTURE.md, "Layers"), checked by `npm run check:deps`.
 * Type-only imports count: a cycle or an upward import through types is a design slip too.
 */
const FOUNDATION = '^src/(protocol|transport|validation|files|process|runtime|logging)/|^src/version\\.ts$';
const ROUTER = '^src/router/';
const DOMAIN = '^src/(config|auth|model|offline-model|exec|apply-patch|git|approvals|mcp|conversations|tasks|agent-tools|codex-tools)/';
const FEATURES = '^src/(handlers|plugins)/';
const COMPOSITION = '^src/(container|server|cli|index|tokens)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, through type-only imports included.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'foundation-imports-only-foundation',
      severity: 'error',
      comment: 'Protocol, transport, validation, files, process, runtime and logging know nothing above them.',
      from: { path: FOUNDATION },
      to: { path: '^src/', pathNot: FOUNDATION },
    },
    {
      name: 'client-imports-only-protocol',
      severity: 'error',
      comment: 'agentwire/client is typed from the protocol declarations and needs nothing else of the server.',
      from: { path: '^src/client/' },
      to: { path: '^src/', pathNot: '^src/(client|protocol)/' },
    },
    {
      name: 'schema-generation-imports-only-protocol',
      severity: 'error',
      comment: 'The schema and docs generators read the protocol declarations only.',
      from: { path: '^src/schema/' },
      to: { path: '^src/', pathNot: '^src/(schema|protocol)/|^src/version\\.ts$' },
    },
    {
      name: 'router-imports-only-below',
      severity: 'error',
      comment: 'The router knows the foundation and nothing of the features it routes to.',
      from: { path: ROUTER },
      to: { path: '^src/', pathNot: `${FOUNDATION}|${ROUTER}` },
    },
    {
      name: 'domain-imports-no-features',
      severity: 'error',
      comment: 'Domain modules never import handlers, plugins or the composition root.',
      from: { path: DOMAIN },
      to: { path: `${FEATURES}|${COMPOSITION}` },
    },
    {
      name: 'config-is-below-the-other-domains',
      severity: 'error',
      comment: 'config reads config.toml and derives settings; it uses no other domain module and not the router.',
      from: { path: '^src/config/' },
      to: { path: `${DOMAIN}|${ROUTER}`, pathNot: '^src/config/' },
    },
    {
      name: 'exec-is-below-approvals-and-conversations',
      severity: 'error',
      comment: "exec runs commands (optionally sandboxed); deciding whether they may run is approvals' job.",
      from: { path: '^src/exec/' },
      to: { path: '^src/(approvals|conversations|tasks|agent-tools|codex-tools|auth|mcp|git)/' },
    },
    {
      name: 'features-import-no-composition',
      severity: 'error',
      comment: 'Handlers and plugins get their collaborators from the container, never from the composition root.',
      from: { path: FEATURES },
      to: { path: COMPOSITION },
    },
    {
      name: 'handlers-import-no-handler',
      severity: 'error',
      comment: 'A handler shares code with another through a module of its own (conversation-params.ts, user-input.ts), not by importing it.',
      from: { path: '^src/handlers/' },
      to: { path: '\\.handler\\.ts$' },
    },
    {
      name: 'builtin-plugins-use-the-public-api',
      severity: 'error',
      comment: 'A built-in plugin is one plugin among others: it may not import another plugin or the plugin host.',
      from: { path: '^src/plugins/builtin/', pathNot: '^src/plugins/builtin/index\\.ts$' },
      to: { path: '^src/plugins/(plugin-host|plugin-loader)\\.ts$|^src/plugins/builtin/.+\\.plugin\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(build|dist|node_modules)/' },
  },
};
