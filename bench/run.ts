/**
 * `npm run bench`: runs every benchmark in this folder, one after the other, each printing its
 * figures and the ratios measured in the same run. Name benchmarks to run only those.
 */
import { benchDigest } from "./digest.js";
import { benchIngest } from "./ingest.js";
import { benchQuery } from "./query.js";

const BENCHMARKS: Record<string, () => Promise<void>> = {
  ingest: benchIngest,
  query: benchQuery,
  digest: benchDigest,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark(s): ${unknown.join(", ")}; known: ${Object.keys(BENCHMARKS).join(", ") || "none"}`,
  );
  process.exit(2);
}
for (const [name, run] of Object.entries(BENCHMARKS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n## ${name}`);
  await run();
}
