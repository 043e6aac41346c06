/**
 * What the archive keeps of each month between runs: the month's parsed Markdown and its
 * rendered content, so that a month rebuilt for one changed fragment parses and renders that
 * fragment alone; and of the source, its own YAML files' syntax tokens (a register of years is
 * lexed once). Kept in the user's private cache folder (never with the outputs, which others may
 * write or commit), a file a month and source, and one for the source; each run keeps what it
 * used, so a file never outgrows what it is for. A file that cannot be read or written costs
 * time, never a build.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import type { Root } from "mdast";
import { CST } from "yaml";
import { BUILD } from "../core/package-root.js";
import { parseMarkdown, type MarkdownTrees } from "../load/markdown.js";
import type { YamlTokens } from "../load/yaml-source.js";
import type { RenderedContents } from "../render/index.js";

interface StoreFile {
  version: 1;
  /** The build of dmreport that wrote it (`BUILD`): another parses and renders by its own code. */
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
  /** Whether anything kept was handed back. */
  served = false;

  private constructor(
    private readonly path: string | undefined,
    private readonly file: StoreFile,
  ) {}

  /** The store of `month` of the source at `root`, in the cache folder `folder` (none: nothing kept); `fresh`, what it kept is not read. */
  static open(folder: string | undefined, root: string, month: string, fresh = false): MonthStore {
    let realRoot: string;
    try {
      realRoot = realpathSync(root);
    } catch {
      return new MonthStore(undefined, emptyFile(root, month));
    }
    const empty = emptyFile(realRoot, month);
    if (!folder) return new MonthStore(undefined, empty);
    const path = join(storesOf(folder, realRoot), `${month}.json.gz`);
    return new MonthStore(path, (!fresh && readStore(path, empty)) || empty);
  }

  parse(markdown: string, firstLine: number): Root {
    const key = createHash("sha256").update(`${firstLine}\n`).update(markdown).digest("base64url");
    const json = this.trees.get(key) ?? this.file.trees[key];
    const kept = json === undefined ? undefined : treeOf(json);
    if (kept) {
      this.trees.set(key, json!);
      this.served = true;
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
      this.served = true;
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
    writeKept(this.path, { ...this.file, trees: Object.fromEntries(this.trees), rendered: Object.fromEntries(this.texts) });
  }
}

interface SourceStoreFile {
  version: 1;
  /** The build of dmreport that wrote it: another may lex by another version of the YAML library. */
  tool: string;
  root: string;
  /** The syntax tokens' JSON of each YAML text, by the digest of the text. */
  tokens: Record<string, string>;
}

/** The name of the source's own store among its months' (`YYYY-MM.json.gz`). */
const SOURCE_STORE = "source.json.gz";

/**
 * What the archive keeps of the source's own YAML files (config, WBS tree, register, publish
 * record): their syntax tokens, by their text. A run keeps what it used.
 */
export class SourceStore implements YamlTokens {
  private readonly used = new Map<string, string>();
  private added = false;
  /** Whether anything kept was handed back. */
  served = false;

  private constructor(
    private readonly path: string | undefined,
    private readonly file: SourceStoreFile,
  ) {}

  /** The store of the source at `root` in the cache folder `folder` (none: nothing kept); `fresh`, what it kept is not read. */
  static open(folder: string | undefined, root: string, fresh = false): SourceStore {
    let realRoot: string;
    try {
      realRoot = realpathSync(root);
    } catch {
      return new SourceStore(undefined, { version: 1, tool: BUILD, root, tokens: {} });
    }
    const empty: SourceStoreFile = { version: 1, tool: BUILD, root: realRoot, tokens: {} };
    if (!folder) return new SourceStore(undefined, empty);
    const path = join(storesOf(folder, realRoot), SOURCE_STORE);
    const kept = fresh
      ? undefined
      : readKept<SourceStoreFile>(
          path,
          (file) => file.version === 1 && file.tool === BUILD && file.root === realRoot && isStringRecord(file.tokens),
        );
    return new SourceStore(path, kept ?? empty);
  }

  tokens(text: string, lex: () => CST.Token[]): CST.Token[] {
    const key = createHash("sha256").update(text).digest("base64url");
    const json = this.used.get(key) ?? this.file.tokens[key];
    const kept = json === undefined ? undefined : tokensOf(json, text);
    if (kept) {
      this.used.set(key, json!);
      this.served = true;
      return kept;
    }
    const tokens = lex();
    // Kept as lexed: composing a document from them may change them.
    this.used.set(key, JSON.stringify(tokens));
    this.added = true;
    return tokens;
  }

  /** Keep what this run used, and nothing else, for the next run. */
  save(): void {
    if (!this.path || (!this.added && this.used.size === Object.keys(this.file.tokens).length)) return;
    writeKept(this.path, { ...this.file, tokens: Object.fromEntries(this.used) });
  }
}

/** Write `content` packed to `path`, whole or not at all. */
function writeKept(path: string, content: object): void {
  const folder = join(path, "..");
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    // The user's alone: the text of the report is nobody else's to read.
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    writeFileSync(temporary, gzipSync(JSON.stringify(content), { level: 3 }), { mode: 0o600, flag: "wx" });
    renameSync(temporary, path);
  } catch {
    // A store that cannot be written (read-only home, full disk) only costs the next run time.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was made.
    }
  }
}

/** The folder of the stores of the source whose real path is `realRoot`. */
function storesOf(folder: string, realRoot: string): string {
  return join(folder, `archive-${createHash("sha256").update(realRoot).digest("hex").slice(0, 16)}`);
}

/** Stores of a source not built for this long are removed (a source moved, deleted, or left). */
const UNUSED_MS = 30 * 24 * 3600 * 1000;
/** A temporary file this old was left by a run that was killed while it wrote. */
const ABANDONED_MS = 3600 * 1000;

/**
 * Keep the cache folder from growing with every folder a source was ever built from: the stores
 * of sources not built for 30 days go, and so do, in this source's, the stores of months it no
 * longer has (`months`) and files a killed run left half-written. This source's folder is marked
 * used.
 */
export function sweepStores(folder: string | undefined, root: string, months: readonly string[]): void {
  if (!folder) return;
  try {
    const now = Date.now();
    const own = storesOf(folder, realpathSync(root));
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (!entry.isDirectory() || !entry.name.startsWith("archive-")) continue;
      if (path === own) {
        utimesSync(path, now / 1000, now / 1000);
        const kept = new Set([SOURCE_STORE, ...months.map((month) => `${month}.json.gz`)]);
        for (const name of readdirSync(path)) {
          const stale = name.endsWith(".tmp") ? now - statSync(join(path, name)).mtimeMs > ABANDONED_MS : !kept.has(name);
          if (stale) rmSync(join(path, name), { force: true });
        }
      } else if (now - statSync(path).mtimeMs > UNUSED_MS) rmSync(path, { recursive: true, force: true });
    }
  } catch {
    // A sweep that cannot be done is done another time.
  }
}

/** The most a store of `packed` bytes may unpack to. */
const MAX_UNPACKED = (packed: number) => Math.min(64 * packed + 1024 * 1024, 512 * 1024 * 1024);

function emptyFile(root: string, month: string): StoreFile {
  return { version: 1, tool: BUILD, root, month, trees: {}, rendered: {} };
}

/** The store at `path` when it is one this dmreport wrote for this month and source. */
function readStore(path: string, expected: StoreFile): StoreFile | undefined {
  return readKept<StoreFile>(
    path,
    (file) =>
      file.version === expected.version &&
      file.tool === expected.tool &&
      file.root === expected.root &&
      file.month === expected.month &&
      isStringRecord(file.trees) &&
      isStringRecord(file.rendered),
  );
}

/** The packed file at `path` when `valid` holds of it (gzip's check covers a cut or damaged file). */
function readKept<T>(path: string, valid: (file: Partial<T>) => boolean): T | undefined {
  try {
    const packed = readFileSync(path);
    // JSON packs some ten times smaller: a file that would unpack to far more is no store of ours.
    const file = JSON.parse(gunzipSync(packed, { maxOutputLength: MAX_UNPACKED(packed.length) }).toString("utf8")) as Partial<T>;
    return file !== null && typeof file === "object" && valid(file) ? (file as T) : undefined;
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

/** Kept syntax tokens, when their JSON is a list of them that gives back `text`, every character of it. */
function tokensOf(json: string, text: string): CST.Token[] | undefined {
  try {
    const tokens = JSON.parse(json) as CST.Token[];
    if (!Array.isArray(tokens) || !tokens.every((token) => token !== null && typeof token === "object" && typeof token.type === "string"))
      return undefined;
    return tokens.map((token) => CST.stringify(token)).join("") === text ? tokens : undefined;
  } catch {
    return undefined;
  }
}
