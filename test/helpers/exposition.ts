/**
 * A strict reader of Prometheus' text exposition format 0.0.4, as the Prometheus server's own
 * parser applies it, plus the naming conventions Prometheus documents (counters end in _total,
 * units in base units). Returns every problem found, so a test can show them all.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface Family {
  name: string;
  type?: string;
  help?: string;
  samples: Sample[];
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

function familyOf(name: string, types: Map<string, string>): string {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (name.endsWith(suffix)) {
      const base = name.slice(0, -suffix.length);
      const t = types.get(base);
      if (t === "histogram" || (t === "summary" && suffix !== "_bucket")) return base;
    }
  }
  return name;
}

function parseLabels(text: string, problems: string[], line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf("=", i);
    if (eq < 0) {
      problems.push(`line ${line}: label without '='`);
      break;
    }
    const name = text.slice(i, eq).trim();
    if (!LABEL.test(name)) problems.push(`line ${line}: bad label name ${JSON.stringify(name)}`);
    if (text[eq + 1] !== '"') {
      problems.push(`line ${line}: label value not quoted`);
      break;
    }
    let j = eq + 2;
    let value = "";
    for (;;) {
      const c = text[j];
      if (c === undefined) {
        problems.push(`line ${line}: unterminated label value`);
        return labels;
      }
      if (c === "\\") {
        const n = text[j + 1];
        if (n === "\\") value += "\\";
        else if (n === '"') value += '"';
        else if (n === "n") value += "\n";
        else problems.push(`line ${line}: bad escape \\${n} in a label value`);
        j += 2;
        continue;
      }
      if (c === '"') break;
      value += c;
      j++;
    }
    if (name in labels) problems.push(`line ${line}: label ${name} given twice`);
    labels[name] = value;
    j++;
    if (text[j] === ",") j++;
    else if (j < text.length) problems.push(`line ${line}: junk after a label value`);
    i = j;
  }
  return labels;
}

export function parseExposition(text: string): {
  families: Map<string, Family>;
  problems: string[];
} {
  const problems: string[] = [];
  const families = new Map<string, Family>();
  const types = new Map<string, string>();
  const finished = new Set<string>();
  const series = new Set<string>();
  let current: string | undefined;
  if (!text.endsWith("\n")) problems.push("the text does not end with a newline");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) {
      f = { name, samples: [] };
      families.set(name, f);
    }
    return f;
  };
  const enter = (name: string, line: number) => {
    if (current !== name) {
      if (current !== undefined) finished.add(current);
      if (finished.has(name)) problems.push(`line ${line}: ${name}'s lines are not together`);
      current = name;
    }
  };
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.startsWith("#")) {
      const m = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(raw);
      if (!m) return; // a comment
      const [, kind, name = "", rest = ""] = m;
      if (!METRIC.test(name)) problems.push(`line ${line}: bad metric name ${name}`);
      enter(name, line);
      const f = family(name);
      if (kind === "TYPE") {
        if (f.type !== undefined) problems.push(`line ${line}: second TYPE for ${name}`);
        if (f.samples.length > 0) problems.push(`line ${line}: TYPE of ${name} after its samples`);
        if (!TYPES.has(rest)) problems.push(`line ${line}: unknown type ${rest}`);
        f.type = rest;
        types.set(name, rest);
      } else {
        if (f.help !== undefined) problems.push(`line ${line}: second HELP for ${name}`);
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, "")))
          problems.push(`line ${line}: bad escape in HELP`);
        f.help = rest;
      }
      return;
    }
    if (raw.trim() === "") return; // empty lines are ignored
    const m = /^([^\s{]+)(?:\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?$/.exec(raw);
    if (!m) {
      problems.push(`line ${line}: not a sample: ${JSON.stringify(raw)}`);
      return;
    }
    const [, name = "", labelText, valueText = ""] = m;
    if (!METRIC.test(name)) problems.push(`line ${line}: bad metric name ${name}`);
    const labels = labelText ? parseLabels(labelText, problems, line) : {};
    const value =
      valueText === "+Inf"
        ? Infinity
        : valueText === "-Inf"
          ? -Infinity
          : valueText === "NaN"
            ? NaN
            : Number(valueText);
    if (valueText === "" || (Number.isNaN(value) && valueText !== "NaN"))
      problems.push(`line ${line}: bad value ${valueText}`);
    const base = familyOf(name, types);
    enter(base, line);
    const key = `${name}{${Object.entries(labels)
      .sort()
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(",")}}`;
    if (series.has(key)) problems.push(`line ${line}: duplicate series ${key}`);
    series.add(key);
    family(base).samples.push({ name, labels, value });
  });
  for (const f of families.values()) {
    if (f.type === undefined) problems.push(`${f.name}: no TYPE`);
    if (f.help === undefined || f.help === "") problems.push(`${f.name}: no HELP`);
    if (f.type === "counter") {
      if (!f.name.endsWith("_total"))
        problems.push(`${f.name}: a counter whose name does not end in _total`);
      for (const s of f.samples) if (s.value < 0) problems.push(`${f.name}: a negative counter`);
    }
    if (f.type !== "counter" && f.name.endsWith("_total"))
      problems.push(`${f.name}: a ${f.type} named _total`);
    if (f.type === "histogram") {
      const groups = new Map<string, Sample[]>();
      for (const s of f.samples) {
        const { le, ...rest } = s.labels;
        const k = JSON.stringify(Object.entries(rest).sort());
        if (!groups.has(k)) groups.set(k, []);
        groups.get(k)?.push(s);
      }
      for (const [k, group] of groups) {
        const buckets = group.filter((s) => s.name === `${f.name}_bucket`);
        const inf = buckets.find((s) => s.labels.le === "+Inf");
        const count = group.find((s) => s.name === `${f.name}_count`);
        if (!inf) problems.push(`${f.name}${k}: no +Inf bucket`);
        if (!count) problems.push(`${f.name}${k}: no _count`);
        if (!group.some((s) => s.name === `${f.name}_sum`)) problems.push(`${f.name}${k}: no _sum`);
        if (inf && count && inf.value !== count.value)
          problems.push(`${f.name}${k}: +Inf != _count`);
        let previous = -1;
        for (const b of buckets) {
          if (b.value < previous) problems.push(`${f.name}${k}: buckets not cumulative`);
          previous = b.value;
        }
      }
    }
    if (/(_ms|_milliseconds|_minutes|_hours|_kb|_mb)(_|$)/.test(f.name))
      problems.push(`${f.name}: not in base units`);
  }
  return { families, problems };
}
