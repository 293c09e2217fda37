import { createRequire } from "node:module";
import type { TopLevelSpec } from "vega-lite";
import type { TimeBucket } from "../domain/digest.js";
import { DAY, HOUR } from "../time-units.js";

const CLASSES = ["read", "search", "write", "destructive", "admin", "other"] as const;
/** One fixed colour per class: blue, teal, orange, red, purple, grey. */
const COLOURS: Readonly<Record<(typeof CLASSES)[number], string>> = {
  read: "#4C78A8",
  search: "#72B7B2",
  write: "#F58518",
  destructive: "#E45756",
  admin: "#B279A2",
  other: "#9D9D9D",
};
const WIDTH = 900;
const HEIGHT = 360;
/** Shipped by the `dejavu-fonts-ttf` package, so text renders without any system font. */
const FONT = "DejaVu Sans";
const FONT_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"];

let fontFiles: string[] | undefined;
function bundledFonts(): string[] {
  if (fontFiles === undefined) {
    const require = createRequire(import.meta.url);
    fontFiles = FONT_FILES.map((file) => require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
  }
  return fontFiles;
}

/**
 * Each bucket's start in `timeZone`: "HH:MM" over a day or so (minutes too: some zones are offset
 * by :30), "Sat 09:00" when the chart spans days, "Sat 14 Nov" for buckets of a day or more.
 */
export function bucketLabels(buckets: readonly TimeBucket[], timeZone: string): string[] {
  const first = buckets[0]?.start ?? 0;
  const width = (buckets[1]?.start ?? first + HOUR) - first;
  const spansDays = buckets.length * width > DAY + HOUR;
  const format = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    ...(spansDays ? { weekday: "short" } : {}),
    ...(width >= DAY
      ? { day: "numeric", month: "short" }
      : { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
  });
  return buckets.map((bucket) => {
    const parts = format.formatToParts(bucket.start);
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
    const time = `${part("hour")}:${part("minute")}`;
    if (width >= DAY) return `${part("weekday")} ${part("day")} ${part("month")}`;
    return spansDays ? `${part("weekday")} ${time}` : time;
  });
}

/** The x axis's title: what a bar is, in the chart's time zone. */
function axisTitle(buckets: readonly TimeBucket[], timeZone: string): string {
  const first = buckets[0]?.start ?? 0;
  const width = (buckets[1]?.start ?? first + HOUR) - first;
  if (width === HOUR) return `Hour (${timeZone})`;
  return width % DAY === 0
    ? `Days, ${width / DAY} a bar (${timeZone})`
    : `Start of each ${width / HOUR}-hour bar (${timeZone})`;
}

/**
 * The Vega-Lite spec of the chart: calls per bucket, stacked by tool class. Admin calls (rare) have
 * a colour and a legend entry only when there were some, as the text names them only then.
 */
export function activityChartSpec(
  buckets: readonly TimeBucket[],
  options: { title: string; timeZone: string },
): TopLevelSpec {
  const labels = bucketLabels(buckets, options.timeZone);
  // Bars are keyed by bucket index, not label: a DST change can repeat an hour's label.
  const values = buckets.flatMap((bucket, index) =>
    CLASSES.map((toolClass, order) => ({ index, toolClass, order, calls: bucket[toolClass] })),
  );
  const nonZero = values.filter((v) => v.calls > 0);
  const admin = buckets.some((bucket) => bucket.admin > 0);
  const shown = CLASSES.filter((c) => c !== "admin" || admin);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: options.title, anchor: "start", fontSize: 15 },
    width: WIDTH,
    height: HEIGHT,
    autosize: { type: "fit", contains: "padding" },
    padding: 12,
    background: "white",
    config: { font: FONT, view: { stroke: null } },
    data: { values: nonZero },
    mark: { type: "bar", stroke: "white", strokeWidth: 0.5 },
    encoding: {
      x: {
        field: "index",
        type: "ordinal",
        scale: { domain: buckets.map((_, index) => index), paddingInner: 0.15 },
        axis: {
          title: axisTitle(buckets, options.timeZone),
          // The labels are "HH:MM" strings made here; JSON is a valid Vega expression literal.
          labelExpr: `${JSON.stringify(labels)}[datum.value]`,
          labelAngle: 0,
          // Every hour of a day (25 on the night clocks go back) fits; more bars thin out.
          labelOverlap: buckets.length > 25 || labels.some((l) => l.length > 5) ? "parity" : false,
          labelFontSize: 10,
          ticks: false,
        },
      },
      y: {
        field: "calls",
        type: "quantitative",
        aggregate: "sum",
        stack: "zero",
        // An all-zero period still gets a sensible axis.
        scale: nonZero.length === 0 ? { domain: [0, 1] } : { domainMin: 0, nice: true },
        axis: { title: "Calls", format: "d", tickMinStep: 1 },
      },
      color: {
        field: "toolClass",
        type: "nominal",
        scale: { domain: shown, range: shown.map((c) => COLOURS[c]) },
        legend: { title: null, orient: "top", direction: "horizontal", labelFontSize: 12 },
      },
      order: { field: "order", type: "quantitative" },
    },
  };
}

/**
 * MCP calls for the period as a PNG (900 px wide, white background): a bar per hour (per wider
 * bucket over a longer period, at most 30 bars) stacked by tool class. Vega-Lite is compiled and
 * drawn to SVG in-process, and resvg turns the SVG into PNG off the main thread with the bundled
 * DejaVu Sans font. Bars are labelled in `options.timeZone` here, so Vega needs no time-zone
 * data; nothing is fetched. The three libraries are loaded at the first chart: some 300 modules a
 * command or the bot's start would otherwise load before it has a digest to draw.
 */
export async function renderActivityChart(
  buckets: readonly TimeBucket[],
  options: { title: string; timeZone: string },
): Promise<Buffer> {
  const [{ compile }, { parse, View }, { renderAsync }] = await Promise.all([
    import("vega-lite"),
    import("vega"),
    import("@resvg/resvg-js"),
  ]);
  const { spec } = compile(activityChartSpec(buckets, options));
  const view = new View(parse(spec), { renderer: "none" });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  const image = await renderAsync(svg, {
    fitTo: { mode: "width", value: WIDTH },
    font: {
      loadSystemFonts: false,
      fontFiles: bundledFonts(),
      defaultFontFamily: FONT,
      sansSerifFamily: FONT,
    },
    background: "white",
  });
  return image.asPng();
}
