/**
 * What the archive keeps of each month between runs: the month's parsed Markdown and its
 * rendered content, so that a month rebuilt for one changed fragment parses and renders that
 * fragment alone. Kept in the user's private cache folder (never with the outputs, which others
 * may write or commit), a file a month and source; each run keeps what it used, so a file never
 * outgrows its month. A file that cannot be read or written costs time, never a build.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import type { Root } from "mdast";
import { VERSION } from "../core/package-root.js";
import { parseMarkdown, type MarkdownTrees } from "../load/markdown.js";
import type { RenderedContents } from "../render/index.js";

interface StoreFile {
  version: 1;
  /** The dmreport that wrote it: another parses and renders by its own code. */
  tool: string;
  root: string;
  month: string;
  /** Each parsed tree's JSON, by the digest of its text and first line. */
  trees: Record<string, string>;
  /** Rendered content, by the key `renderedOnce` gives it. */
  rendered: Record<string, string>;
}

export class MonthStore implements MarkdownTrees, RenderedContents {
  private readonly trees = new Map<string, string>();
  private readonly texts = new Map<string, string>();
  private added = false;

  private constructor(
    private readonly path: string | undefined,
    private readonly file: StoreFile,
  ) {}

  /** The store of `month` of the source at `root`, in the cache folder `folder` (none: nothing kept). */
  static open(folder: string | undefined, root: string, month: string): MonthStore {
    let realRoot: string;
    try {
      realRoot = realpathSync(root);
    } catch {
      return new MonthStore(undefined, emptyFile(root, month));
    }
    const empty = emptyFile(realRoot, month);
    if (!folder) return new MonthStore(undefined, empty);
    const path = join(folder, `archive-${createHash("sha256").update(realRoot).digest("hex").slice(0, 16)}`, `${month}.json.gz`);
    return new MonthStore(path, readStore(path, empty) ?? empty);
  }

  parse(markdown: string, firstLine: number): Root {
    const key = createHash("sha256").update(`${firstLine}\n`).update(markdown).digest("base64url");
    const json = this.trees.get(key) ?? this.file.trees[key];
    const kept = json === undefined ? undefined : treeOf(json);
    if (kept) {
      this.trees.set(key, json!);
      return kept;
    }
    const tree = parseMarkdown(markdown, firstLine);
    // Kept as parsed: whoever takes the tree may change it.
    this.trees.set(key, JSON.stringify(tree));
    this.added = true;
    return tree;
  }

  rendered(key: string, render: () => string): string {
    const kept = this.texts.get(key) ?? this.file.rendered[key];
    if (typeof kept === "string") {
      this.texts.set(key, kept);
      return kept;
    }
    const text = render();
    this.texts.set(key, text);
    this.added = true;
    return text;
  }

  /** Keep what this run used, and nothing else, for the next run. */
  save(): void {
    const unchanged =
      !this.added && this.trees.size === Object.keys(this.file.trees).length && this.texts.size === Object.keys(this.file.rendered).length;
    if (!this.path || unchanged) return;
    const content: StoreFile = {
      ...this.file,
      trees: Object.fromEntries(this.trees),
      rendered: Object.fromEntries(this.texts),
    };
    const folder = join(this.path, "..");
    const temporary = `${this.path}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
    try {
      // The user's alone: the text of the report is nobody else's to read.
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      writeFileSync(temporary, gzipSync(JSON.stringify(content), { level: 3 }), { mode: 0o600, flag: "wx" });
      renameSync(temporary, this.path);
    } catch {
      // A store that cannot be written (read-only home, full disk) only costs the next run time.
      try {
        rmSync(temporary, { force: true });
      } catch {
        // Nothing was made.
      }
    }
  }
}

function emptyFile(root: string, month: string): StoreFile {
  return { version: 1, tool: VERSION, root, month, trees: {}, rendered: {} };
}

/** The store at `path` when it is one this dmreport wrote for this month and source (gzip's check covers a cut or damaged file). */
function readStore(path: string, expected: StoreFile): StoreFile | undefined {
  try {
    const file = JSON.parse(gunzipSync(readFileSync(path)).toString("utf8")) as Partial<StoreFile>;
    if (
      file.version !== expected.version ||
      file.tool !== expected.tool ||
      file.root !== expected.root ||
      file.month !== expected.month ||
      !isStringRecord(file.trees) ||
      !isStringRecord(file.rendered)
    )
      return undefined;
    return file as StoreFile;
  } catch {
    return undefined;
  }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((each) => typeof each === "string")
  );
}

/** A kept tree, when its JSON is one. */
function treeOf(json: string): Root | undefined {
  try {
    const tree = JSON.parse(json) as Root;
    return tree && tree.type === "root" && Array.isArray(tree.children) ? tree : undefined;
  } catch {
    return undefined;
  }
}
