/**
 * Diagnostics as the lead types: each change schedules its source, a burst is judged once for its
 * last version, with lint's own rules on the unsaved texts, and only the latest judgement is
 * published; files changed on disk have their open documents judged again.
 */
import { pathToFileURL } from "node:url";
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type Range } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Diagnostic, TextEdit as OffsetEdit } from "../core/diagnostics.js";
import { ruleHelpUri } from "../core/rule-docs.js";
import { isLintable, lint } from "../lint.js";
import { HISTORY_TRUST_MS, pathOf, type Session } from "./session.js";

/** What a published diagnostic carries for its code actions. */
export interface DiagnosticData {
  suggestions?: string[];
  fix?: OffsetEdit;
}

/** Changes closer than this are a burst (a paste, a formatter, "replace all"; no one types 50 keys a second). */
const BURST_GAP_MS = 20;
/** How long a burst's judgement waits for the burst to end. */
const BURST_QUIET_MS = 50;

/** Judge the open documents as they change, and publish what is found. */
export function judgeAsTyped(session: Session): void {
  const { connection, documents, options, memos, published, memoOf, rootOf, forgetRoots, guarded } = session;
  /** Documents published for per source root, to clear those no longer reported. */
  const publishedByRoot = new Map<string, Set<string>>();
  const pending = new Set<string>();
  let scheduled = false;

  connection.onDidChangeWatchedFiles(() =>
    // Each open document's source is judged again (once, however many files changed); a source
    // whose dmreport.yaml went away has its documents' diagnostics cleared.
    guarded("a change on disk", undefined, () => {
      forgetRoots();
      for (const memo of memos.values()) memo.history?.distrust();
      for (const document of documents.all()) schedule(document.uri);
    }),
  );

  /** Per source root: the judgement that looks at the files again once the typing pauses. */
  const rechecks = new Map<string, NodeJS.Timeout>();
  /** The diagnostics and version last sent per document, to send nothing when a judgement finds the same. */
  const sent = new Map<string, string>();
  // Diagnostics: every change schedules its source, and a burst of changes (a paste, a formatter,
  // "replace all") is judged once, for its last version. The connection handles one message a
  // turn of the event loop; the sources are judged once a whole turn has passed with no change,
  // that is once every message already received is handled (requests among them answered first).
  // A change that follows another within BURST_GAP_MS is part of a burst, whose messages can reach
  // the server in several reads: its judgement waits until BURST_QUIET_MS pass with no change, so
  // that a hover sent after the burst never waits behind a judgement of a version half-way through.
  let changes = 0;
  let lastChange = -Infinity;
  let inBurst = false;
  /** Changes per source root: a judgement is thrown away when its own source changed meanwhile. */
  const changesOf = new Map<string, number>();
  const schedule = (uri: string) => {
    const path = pathOf(uri);
    const root = path ? rootOf(path) : null;
    if (!root) {
      clear(uri);
      return;
    }
    scheduleRoot(root);
  };
  const scheduleRoot = (root: string) => {
    pending.add(root);
    changes++;
    const now = performance.now();
    inBurst = now - lastChange < BURST_GAP_MS;
    lastChange = now;
    changesOf.set(root, (changesOf.get(root) ?? 0) + 1);
    if (scheduled) return;
    scheduled = true;
    let seen = -1;
    const settle = () => {
      const quiet = performance.now() - lastChange;
      if (inBurst && quiet < BURST_QUIET_MS) {
        setTimeout(settle, BURST_QUIET_MS - quiet);
        return;
      }
      if (seen !== changes) {
        seen = changes;
        setImmediate(settle);
        return;
      }
      scheduled = false;
      const roots = [...pending];
      pending.clear();
      for (const each of roots) guarded("checking the source", undefined, () => validateRoot(each));
    };
    setImmediate(settle);
  };
  const clear = (uri: string) => {
    if (!published.has(uri)) return;
    published.delete(uri);
    sent.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  };

  const validateRoot = (root: string) => {
    const open = documents.all().filter((document) => {
      const path = pathOf(document.uri);
      return path !== undefined && rootOf(path) === root;
    });
    const lintable = open.filter((document) => isLintable(root, pathOf(document.uri)!));
    const before = publishedByRoot.get(root) ?? new Set<string>();
    const now = new Map<string, Diagnostic[]>();
    for (const document of open) now.set(document.uri, []);
    if (lintable.length) {
      const overlay = new Map(open.map((document) => [pathOf(document.uri)!, document.getText()]));
      const memo = memoOf(root);
      const fromMemory = memo.history?.trustedReads ?? 0;
      const result = lint({
        cwd: root,
        files: lintable.map((document) => pathOf(document.uri)!),
        overlay,
        memos,
        today: options.today,
        cache: options.cache,
      });
      // Answered from memory: once the typing pauses, the files are looked at again (and what changed on disk is judged).
      clearTimeout(rechecks.get(root));
      if (memo.history && memo.history.trustedReads > fromMemory) {
        const recheck = setTimeout(() => {
          rechecks.delete(root);
          memo.history?.distrust();
          scheduleRoot(root);
        }, HISTORY_TRUST_MS);
        recheck.unref();
        rechecks.set(root, recheck);
      }
      for (const source of result.sources) {
        for (const found of source.diagnostics) {
          if (found.file.startsWith("(")) continue;
          const uri = pathToFileURL(`${source.root}/${found.file}`).href;
          now.set(uri, [...(now.get(uri) ?? []), found]);
        }
      }
    }
    // Published once the changes received meanwhile are handled (the judgement blocked their
    // reading): none, or the version judged is already gone and the next judgement publishes.
    const judged = changesOf.get(root);
    let turns = 0;
    const publish = () => {
      // Its source changed since: that change has scheduled the next judgement, which publishes.
      if (changesOf.get(root) !== judged) return;
      if (turns++ < 2) {
        setImmediate(publish);
        return;
      }
      for (const uri of before) if (!now.has(uri)) clear(uri);
      for (const [uri, found] of now) {
        published.set(uri, found);
        const document = documents.get(uri);
        const diagnostics = found.map((each) => toLsp(each, document));
        const key = JSON.stringify([document?.version, diagnostics]);
        if (sent.get(uri) === key) continue;
        sent.set(uri, key);
        void connection.sendDiagnostics({ uri, ...(document && { version: document.version }), diagnostics });
      }
      publishedByRoot.set(root, new Set(now.keys()));
    };
    setImmediate(publish);
  };

  documents.onDidOpen((event) => schedule(event.document.uri));
  documents.onDidChangeContent((event) => schedule(event.document.uri));
  documents.onDidSave((event) => schedule(event.document.uri));
  documents.onDidClose((event) => {
    clear(event.document.uri);
    // The others of its source were judged with its unsaved text: judge them again with the file's.
    const path = pathOf(event.document.uri);
    const root = path && rootOf(path);
    const others =
      root &&
      documents
        .all()
        .some((document) => document.uri !== event.document.uri && pathOf(document.uri) && rootOf(pathOf(document.uri)!) === root);
    if (root && others) scheduleRoot(root);
    // The source's last document closed: what was kept of it (its watches among them) goes.
    else if (root) {
      memos.get(root)?.history?.close();
      memos.delete(root);
      clearTimeout(rechecks.get(root));
      rechecks.delete(root);
    }
  });
}

/** A lint diagnostic as the protocol's: its span, or the word it points at. */
function toLsp(found: Diagnostic, document: TextDocument | undefined): LspDiagnostic {
  const start = { line: found.line - 1, character: found.column - 1 };
  let range: Range;
  if (found.span) {
    range = {
      start: { line: found.span.start.line - 1, character: found.span.start.column - 1 },
      end: { line: found.span.end.line - 1, character: found.span.end.column - 1 },
    };
  } else {
    const text =
      document?.getText({ start: { line: start.line, character: 0 }, end: { line: start.line + 1, character: 0 } }).replace(/\r?\n$/, "") ??
      "";
    const rest = text.slice(start.character);
    const token = /^\S+/.exec(rest)?.[0].length ?? rest.length;
    range = { start, end: { line: start.line, character: start.character + token } };
  }
  const data: DiagnosticData = { ...(found.suggestions && { suggestions: found.suggestions }), ...(found.fix && { fix: found.fix }) };
  return {
    range,
    severity: found.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: found.rule,
    codeDescription: { href: ruleHelpUri(found.rule) },
    source: "dmreport",
    message: found.message,
    ...((data.suggestions || data.fix) && { data }),
  };
}
