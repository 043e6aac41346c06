/**
 * Parsed Markdown bodies kept on disk between runs, for an archive build: rebuilding a month after
 * one fragment changed parses that fragment's Markdown alone, and takes the others' trees from the
 * month's store (parsing is most of a month's cost: micromark runs cold in a fresh process, some
 * 8 ms a fragment, where reading a kept tree back takes a tenth of a millisecond).
 *
 * A tree is found by the digest of the text it was parsed from (and the line it starts on), and
 * kept only under the dmreport version that parsed it. Each store is written whole, with the
 * trees its month used, so it never outgrows the month; one that is corrupt, from another
 * version or missing only costs the parsing it would have saved.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import type { Root } from "mdast";
import { VERSION } from "../package-root.js";
import { writeOutputs } from "../write/index.js";
import { parseMarkdown } from "./markdown.js";

interface StoreFile {
  tool: string;
  trees: Record<string, Root>;
}

export class MarkdownStore {
  private readonly kept: Record<string, Root>;
  /** The trees parsed or taken this run, as JSON text: what is written back. */
  private readonly used = new Map<string, string>();
  private parsedAnew = false;

  /** The store in the file at `path` (gzipped JSON); empty when there is none yet or it cannot be used. */
  constructor(private readonly path: string) {
    this.kept = readStore(path);
  }

  /** The tree of `markdown` starting at line `firstLine` of its file, as `parseMarkdown` gives it. */
  parse(markdown: string, firstLine: number): Root {
    const digest = createHash("sha256").update(`${firstLine}\n`).update(markdown).digest("hex");
    const known = this.used.get(digest);
    // Each caller gets a tree of its own: whatever one does to its tree, no other sees it.
    if (known !== undefined) return JSON.parse(known) as Root;
    const found = this.kept[digest];
    const tree = found?.type === "root" && Array.isArray(found.children) ? found : parseMarkdown(markdown, firstLine);
    this.parsedAnew ||= tree !== found;
    delete this.kept[digest];
    this.used.set(digest, JSON.stringify(tree));
    return tree;
  }

  /** Write the trees used this run to `path` (the store's own file when absent); nothing when none was parsed anew and none dropped. */
  save(path = this.path): void {
    if (!this.parsedAnew && Object.keys(this.kept).length === 0) return;
    const entries = [...this.used].map(([digest, json]) => `${JSON.stringify(digest)}:${json}`);
    const content = gzipSync(`{"tool":${JSON.stringify(VERSION)},"trees":{${entries.join(",")}}}`, { level: 1 });
    try {
      writeOutputs(dirname(path), [{ name: basename(path), content, mode: 0o600 }]);
    } catch {
      // A store that cannot be written (a full disk, a read-only folder) costs the next run its parsing, no more.
    }
  }
}

function readStore(path: string): Record<string, Root> {
  try {
    const store = JSON.parse(gunzipSync(readFileSync(path)).toString("utf8")) as StoreFile;
    if (store.tool === VERSION && store.trees && typeof store.trees === "object" && !Array.isArray(store.trees)) return store.trees;
  } catch {
    // Missing, corrupt or unreadable: parse afresh.
  }
  return {};
}
