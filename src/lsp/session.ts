/**
 * The language server's session: the open documents, what is kept of each source (its parses and
 * earlier months' statuses), where each document's source is, and the guard every handler runs
 * in. Each concern (diagnostics, code actions, completion, navigation) is given the session.
 */
import { dirname, relative, sep } from "node:path";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { Connection, TextDocuments } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Diagnostic } from "../core/diagnostics.js";
import { VERSION } from "../core/package-root.js";
import { HistoryMemory } from "../load/history.js";
import { findSourceRoot } from "../load/index.js";
import { ParseMemo } from "../load/memo.js";
import { sourcePath } from "../load/source-files.js";

export interface LanguageServerOptions {
  input: Readable;
  output: Writable;
  /** Today, YYYY-MM-DD; the clock's date when absent. */
  today?: string;
  /** The per-user cache of earlier months' statuses (`privateCacheFolder()`), for diagnostics and hover. */
  cache?: string;
}

/** How long a keystroke trusts the earlier months' statuses kept in memory without looking at their files. */
export const HISTORY_TRUST_MS = 1000;

export interface Session {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  options: LanguageServerOptions;
  /** What is kept of each source between requests, by its root. */
  memos: Map<string, ParseMemo>;
  /** Diagnostics published per document, with the data code actions need. */
  published: Map<string, Diagnostic[]>;
  /** The memo of a source, made on first use. */
  memoOf(root: string): ParseMemo;
  /** The open documents' texts under `root`, by path in the source. */
  overlayOf(root: string): Map<string, string>;
  /** The source root of the folder of `path`, or null. */
  rootOf(path: string): string | null;
  /** Look every folder's source up again (files changed on disk). */
  forgetRoots(): void;
  /** An open document in a report source, with its path and the source's root. */
  opened(uri: string): { document: TextDocument; path: string; root: string } | undefined;
  /** Run a handler: a failure is logged to the client and answered with `fallback`, never a crash. */
  guarded<T>(what: string, fallback: T, work: () => T): T;
}

export function createSession(connection: Connection, documents: TextDocuments<TextDocument>, options: LanguageServerOptions): Session {
  const memos = new Map<string, ParseMemo>();
  const memoOf = (root: string) => {
    let memo = memos.get(root);
    if (!memo) {
      memo = new ParseMemo(true);
      // Keystrokes trust the earlier months' statuses kept in memory while their folders are
      // watched, or for a moment; the files are looked at again after each pause in the typing,
      // and at once when the client says they changed.
      memo.history = new HistoryMemory(true);
      memo.history.trustMs = HISTORY_TRUST_MS;
      memos.set(root, memo);
    }
    return memo;
  };
  /** The open documents' texts under `root`, by path in the source. */
  const overlayOf = (root: string) => {
    const overlay = new Map<string, string>();
    for (const document of documents.all()) {
      const path = pathOf(document.uri);
      if (path && inside(root, path)) overlay.set(sourcePath(root, path), document.getText());
    }
    return overlay;
  };
  /**
   * The source root of a folder, looked up again after a moment or when files change on disk (a
   * burst of changes to one document looks it up once, not once per change).
   */
  const roots = new Map<string, { root: string; at: number }>();
  const rootOf = (path: string): string | null => {
    const folder = dirname(path);
    const now = Date.now();
    const known = roots.get(folder);
    if (known && now - known.at < HISTORY_TRUST_MS) return known.root;
    const root = findSourceRoot(folder);
    // A folder in no source is looked up again each time: a dmreport.yaml put back is seen at once.
    if (root) roots.set(folder, { root, at: now });
    else roots.delete(folder);
    return root;
  };
  /** An open document in a report source, with its path and the source's root. */
  const opened = (uri: string) => {
    const document = documents.get(uri);
    const path = document && pathOf(document.uri);
    const root = path && rootOf(path);
    return document && path && root ? { document, path, root } : undefined;
  };
  const guarded = <T>(what: string, fallback: T, work: () => T): T => {
    try {
      return work();
    } catch (error) {
      connection.console.error(`dmreport ${VERSION}: ${what} failed: ${(error as Error)?.stack ?? String(error)}`);
      return fallback;
    }
  };
  return {
    connection,
    documents,
    options,
    memos,
    published: new Map(),
    memoOf,
    overlayOf,
    rootOf,
    forgetRoots: () => roots.clear(),
    opened,
    guarded,
  };
}

/** The last URI turned into a path, and the path: a burst of changes to one document asks for the same one a thousand times. */
let lastPath: { uri: string; path: string | undefined } | undefined;

export function pathOf(uri: string): string | undefined {
  if (lastPath?.uri === uri) return lastPath.path;
  let path: string | undefined;
  try {
    path = uri.startsWith("file:") ? fileURLToPath(uri) : undefined;
  } catch {
    path = undefined;
  }
  lastPath = { uri, path };
  return path;
}

export function inside(root: string, path: string): boolean {
  const rest = relative(root, path);
  return rest !== "" && !rest.startsWith("..") && !rest.startsWith(sep);
}
