/**
 * `npm run bench`: runs every benchmark in this folder, one after the other, each printing its
 * figures and the ratios measured in the same run. Name benchmarks to run only those. Each is
 * loaded only when it runs, so one's modules do not weigh on another's memory figures.
 */
const BENCHMARKS: Record<string, () => Promise<void>> = {
  storage: async () => (await import("./storage.js")).benchStorage(),
  health: async () => (await import("./health.js")).benchHealth(),
  ingest: async () => (await import("./ingest.js")).benchIngest(),
  rules: async () => (await import("./rules.js")).benchRules(),
  history: async () => (await import("./history.js")).benchHistory(),
  outbox: async () => (await import("./outbox.js")).benchOutbox(),
  query: async () => (await import("./query.js")).benchQuery(),
  digest: async () => (await import("./digest.js")).benchDigest(),
  export: async () => (await import("./export.js")).benchExport(),
  retention: async () => (await import("./retention.js")).benchRetention(),
  fill: async () => (await import("./fill.js")).benchFill(),
  soak: async () => (await import("./soak.js")).benchSoak(),
  noise: async () => (await import("./noise.js")).benchNoise(),
  year: async () => (await import("./year.js")).benchYear(),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark(s): ${unknown.join(", ")}; known: ${Object.keys(BENCHMARKS).join(", ")}`,
  );
  process.exit(2);
}
for (const [name, run] of Object.entries(BENCHMARKS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n## ${name}`);
  await run();
}
