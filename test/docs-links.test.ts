/**
 * Every relative link in the README, CONTRIBUTING, SECURITY and docs/ resolves: the file exists,
 * and an anchor names a heading of the file it points to (GitHub's slugs, from github-slugger).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import GithubSlugger from "github-slugger";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const PAGES = [
  "README.md",
  "CONTRIBUTING.md",
  "SECURITY.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** The page's text without fenced code blocks, where `](…)` is not a link. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, "");
}

/** The anchors GitHub gives a page's headings. */
function anchorsOf(path: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  for (const [, heading] of prose(readFileSync(path, "utf8")).matchAll(/^#{1,6} (.+)$/gm))
    anchors.add(slugger.slug(heading ?? ""));
  return anchors;
}

/** Each relative link of a page: its target file (absolute) and anchor. */
function linksOf(page: string): Array<{ text: string; file: string; anchor?: string }> {
  const links = [];
  for (const [, target] of prose(readFileSync(join(ROOT, page), "utf8")).matchAll(
    /\]\(([^)\s]+)\)/g,
  )) {
    if (!target || /^[a-z]+:/i.test(target)) continue; // https:, mailto:
    const [path, anchor] = target.split("#");
    const file = path ? resolve(ROOT, dirname(page), path) : join(ROOT, page);
    links.push({ text: target, file, ...(anchor !== undefined ? { anchor } : {}) });
  }
  return links;
}

/** The files and folders of this repository a page names in code spans (`src/…`, `test/…`). */
function pathsNamed(page: string): string[] {
  const text = readFileSync(join(ROOT, page), "utf8");
  return [...text.matchAll(/`((?:src|test|bench|migrations|deploy)\/[\w./-]+)`/g)].map(
    ([, path]) => path ?? "",
  );
}

describe("documentation links", () => {
  it("finds the pages and their links", () => {
    expect(PAGES).toContain("docs/deploy.md");
    expect(linksOf("README.md").length).toBeGreaterThan(10);
    expect(pathsNamed("SECURITY.md")).toContain("test/slack/least-privilege.test.ts");
  });

  for (const page of PAGES) {
    it(`${page}: every relative link resolves`, () => {
      const broken: string[] = [];
      for (const link of linksOf(page)) {
        const where = relative(ROOT, link.file);
        if (!existsSync(link.file)) broken.push(`${link.text}: no file ${where}`);
        else if (
          link.anchor !== undefined &&
          statSync(link.file).isFile() &&
          link.file.endsWith(".md") &&
          !anchorsOf(link.file).has(link.anchor)
        )
          broken.push(`${link.text}: no heading #${link.anchor} in ${where}`);
      }
      expect(broken).toEqual([]);
    });

    it(`${page}: every file it names exists`, () => {
      const missing = pathsNamed(page).filter(
        (path) => !path.includes("NNNN") && !existsSync(join(ROOT, path)),
      );
      expect(missing).toEqual([]);
    });
  }
});
