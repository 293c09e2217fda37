/**
 * The arrows that must hold (`npm run lint` checks them with dependency-cruiser, which resolves
 * TypeScript imports, type-only ones included, so a type declared in the wrong place is caught).
 */
/** The pure core: values in, values out. No database, file, network, Slack client or process. */
const PURE = [
  "^src/domain/",
  // detection: the rules, judging, the rules file's schema, the budget
  "^src/detect/(rules/|judge|budget|types|rules-file|effective-rules|working-time)",
  "^src/detect/(posture|rule-entries|site-host|unknown-keys|watch|weekly-cron)\\.ts$",
  "^src/triage/(decide|decision|unquietable)\\.ts$",
  // the query language: parsing, describing, aggregating, CSV
  "^src/query/(parse|lex|keys|time|describe|values|problems|types|aggregate|csv|sparkline)\\.ts$",
  "^src/query/(admin-rules|free-word|subcommand|time-forms|windows|handed-over-words)\\.ts$",
  "^src/digest/(build|build-weekly|sections|periods|cron-times)\\.ts$",
  "^src/guidance/",
  // the Block Kit builders and escaping
  "^src/slack/blocks/",
  "^src/slack/escape\\.ts$",
  // the SIEM export's records and batches
  "^src/export/(records|batch|sign|answer-line|unreachable|reset-at)\\.ts$",
];

/** What the pure core may not import, nor reach through the files it imports. */
const IO = [
  "^(node:)?(fs|fs/promises|net|http|https|child_process|worker_threads|dgram|dns|tls)$",
  "better-sqlite3",
  "@slack/bolt",
  "@slack/web-api",
  "^src/(app|config|logger|clock|http-server|secret-files)\\.ts$",
  "^src/(ingest|atlassian|commands|console|retention)/",
];

module.exports = {
  forbidden: [
    {
      name: "pure-core-no-store",
      comment: "The core and the Block Kit builders take values: rows are mapped to domain types in store/.",
      severity: "error",
      from: { path: PURE },
      to: { path: "^src/store/" },
    },
    {
      name: "pure-core-no-io",
      comment: "The core does no I/O: no files, network, processes, database driver or Slack client.",
      severity: "error",
      from: { path: PURE },
      to: { path: IO },
    },
    {
      name: "pure-core-reaches-no-store",
      comment:
        "Not through another file either: a type-only import of a module that runs on the store brings the store along.",
      severity: "error",
      from: { path: PURE },
      to: { path: "^src/store/", reachable: true },
    },
    {
      name: "pure-core-reaches-no-io",
      comment: "Not through another file either: what the core imports is pure too.",
      severity: "error",
      from: { path: PURE },
      to: { path: IO, reachable: true },
    },
    {
      name: "store-knows-no-slack",
      comment: "store/ knows SQL, not Slack: it maps rows to domain types.",
      severity: "error",
      from: { path: "^src/store/" },
      to: { path: ["^src/slack/", "^src/digest/", "^src/detect/", "@slack/"] },
    },
    {
      name: "sql-only-in-store",
      comment: "Only store/ talks to SQLite.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/store/" },
      to: { path: "better-sqlite3" },
    },
    {
      name: "database-opened-by-the-composition-roots",
      comment:
        "The database is opened, and the repositories built from it, by app.ts and the CLI's commands; everything else is given them.",
      severity: "error",
      from: { path: "^src/", pathNot: ["^src/store/", "^src/app\\.ts$", "^src/commands/"] },
      to: { path: ["^src/store/open\\.ts$"] },
    },
    {
      name: "no-circular",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".json"] },
  },
};
