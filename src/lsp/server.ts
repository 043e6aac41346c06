/**
 * `dmreport lsp`: a language server over stdio. Diagnostics as the lead types, judged on the
 * unsaved text in the source's context with lint's own rules and messages; code actions for the
 * suggestions and the safe fixes; completion of WBS codes, milestone ids, statuses, parts and
 * section headings; hover and go to definition on milestone ids and WBS codes.
 */
import { dirname, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  MarkupKind,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type Hover,
  type Location,
  type Range,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { location } from "vfile-location";
import type { Diagnostic, TextEdit as OffsetEdit } from "../core/diagnostics.js";
import { findSourceRoot, ParseMemo } from "../load/index.js";
import { HistoryMemory } from "../load/history.js";
import { isLintable, lint } from "../lint.js";
import { VERSION } from "../core/package-root.js";
import { ruleHelpUri } from "../core/rule-docs.js";
import { mayReport } from "../core/wbs.js";
import type { Milestone, WbsElement } from "../core/model.js";
import { completedBefore, elementPlace, inForceIn, knowledgeOf, milestonePlace, stateBefore, type StateBefore } from "./knowledge.js";

export interface LanguageServerOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Today, YYYY-MM-DD; the clock's date when absent. */
  today?: string;
  /** The per-user cache of earlier months' statuses (`privateCacheFolder()`), for diagnostics and hover. */
  cache?: string;
}

/** What a published diagnostic carries for its code actions. */
interface DiagnosticData {
  suggestions?: string[];
  fix?: OffsetEdit;
}

/** How long a keystroke trusts the earlier months' statuses kept in memory without looking at their files. */
const HISTORY_TRUST_MS = 1000;
/** Changes closer than this are a burst (a paste, a formatter, "replace all"; no one types 50 keys a second). */
const BURST_GAP_MS = 20;
/** How long a burst's judgement waits for the burst to end. */
const BURST_QUIET_MS = 50;

const STATUSES: Record<string, string> = {
  completed: "done: give `completed: YYYY-MM-DD`",
  delayed: "late: give `forecast:` and a `note:` saying why",
  "at-risk": "may be late: a `forecast:` and `note:` help the reader",
  "on-track": "expected by its due date",
};

/** Start the server on the given streams; it runs until the client asks it to exit or the input ends. */
export function startLanguageServer(options: LanguageServerOptions): Connection {
  const connection = createConnection(ProposedFeatures.all, options.input, options.output);
  const documents = new TextDocuments(TextDocument);
  const memos = new Map<string, ParseMemo>();
  /** Diagnostics published per document, with the data code actions need. */
  const published = new Map<string, Diagnostic[]>();
  /** Documents published for per source root, to clear those no longer reported. */
  const publishedByRoot = new Map<string, Set<string>>();
  const pending = new Set<string>();
  let scheduled = false;

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
  /** Per source root: the judgement that looks at the files again once the typing pauses. */
  const rechecks = new Map<string, NodeJS.Timeout>();
  /** The diagnostics and version last sent per document, to send nothing when a judgement finds the same. */
  const sent = new Map<string, string>();
  /** The open documents' texts under `root`, by path in the source. */
  const overlayOf = (root: string) => {
    const overlay = new Map<string, string>();
    for (const document of documents.all()) {
      const path = pathOf(document.uri);
      if (path && inside(root, path)) overlay.set(relative(root, path).split(sep).join("/"), document.getText());
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

  let watchFiles = false;
  connection.onInitialize((params) => {
    watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
        completionProvider: { triggerCharacters: [" ", "#", "[", ",", "-"] },
        hoverProvider: true,
        definitionProvider: true,
      },
      serverInfo: { name: "dmreport", version: VERSION },
    };
  });
  // Files changed on disk by another program (a checkout, a pull, import-milestones): the open
  // documents of their source are judged again at once, where the client can watch files.
  connection.onInitialized(() => {
    if (!watchFiles) return;
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      // Every file a build reads: the YAML files, fragments, schedule snapshots, the publish record, templates and images.
      watchers: [
        "**/dmreport.yaml", "**/wbs.yaml", "**/milestones.yaml", "**/published.yaml", "**/months/**/*.md", "**/schedule/*.yaml",
        "**/.dmreport/published/*.yaml", "**/*.hbs", "**/*.css", "**/*.{png,jpg,jpeg,gif,svg,webp}",
      ].map((globPattern) => ({ globPattern })),
    });
  });
  connection.onDidChangeWatchedFiles(() =>
    // Each open document's source is judged again (once, however many files changed); a source
    // whose dmreport.yaml went away has its documents' diagnostics cleared.
    guarded("a change on disk", undefined, () => {
      roots.clear();
      for (const memo of memos.values()) memo.history?.distrust();
      for (const document of documents.all()) schedule(document.uri);
    }),
  );

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
      const result = lint({ cwd: root, files: lintable.map((document) => pathOf(document.uri)!), overlay, memos, today: options.today, cache: options.cache });
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
    const others = root && documents.all().some((document) => document.uri !== event.document.uri && pathOf(document.uri) && rootOf(pathOf(document.uri)!) === root);
    if (root && others) scheduleRoot(root);
    // The source's last document closed: what was kept of it (its watches among them) goes.
    else if (root) {
      memos.get(root)?.history?.close();
      memos.delete(root);
      clearTimeout(rechecks.get(root));
      rechecks.delete(root);
    }
  });

  connection.onCodeAction((params) =>
    guarded("code actions", [], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const actions: CodeAction[] = [];
      const fixes: { edit: OffsetEdit }[] = [];
      for (const diagnostic of params.context.diagnostics) {
        if (diagnostic.source !== "dmreport") continue;
        const data = (diagnostic.data ?? {}) as DiagnosticData;
        const suggestions = data.suggestions ?? [];
        suggestions.forEach((suggestion, index) =>
          actions.push({
            title: `Replace with \`${suggestion}\``,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            ...(index === 0 && suggestions.length === 1 && { isPreferred: true }),
            edit: { changes: { [document.uri]: [{ range: diagnostic.range, newText: suggestion }] } },
          }),
        );
        if (data.fix) {
          actions.push({
            title: data.fix.text ? `Write \`${data.fix.text}\`` : "Remove the trailing spaces",
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: true,
            edit: { changes: { [document.uri]: [offsetEdit(document, data.fix)] } },
          });
        }
      }
      // Every safe fix of the file at once, as `dmreport lint --fix` would apply them.
      for (const found of published.get(document.uri) ?? []) if (found.fix) fixes.push({ edit: found.fix });
      const wanted = params.context.only;
      if (fixes.length && (!wanted || wanted.some((kind) => CodeActionKind.SourceFixAll.startsWith(kind) || kind === CodeActionKind.QuickFix))) {
        actions.push({
          title: `Fix all safe problems in this file (${fixes.length})`,
          kind: `${CodeActionKind.SourceFixAll}.dmreport`,
          edit: { changes: { [document.uri]: fixes.map(({ edit }) => offsetEdit(document, edit)) } },
        });
      }
      return wanted ? actions.filter((action) => wanted.some((kind) => action.kind === kind || action.kind?.startsWith(`${kind}.`))) : actions;
    }),
  );

  connection.onCompletion((params) =>
    guarded("completion", [], () => {
      const { document, path, root } = opened(params.textDocument.uri) ?? {};
      if (!document || !path || !root) return [];
      const inSource = relative(root, path).split(sep).join("/");
      const month = /^months\/(\d{4}-\d{2})\//.exec(inSource)?.[1];
      const lines = document.getText().split(/\r?\n/);
      const line = lines[params.position.line] ?? "";
      const before = line.slice(0, params.position.character);
      const overlay = overlayOf(root);
      const knowledge = knowledgeOf(root, overlay, memoOf(root));
      const structure = inForceIn(knowledge, month);
      const inFrontmatter = month !== undefined && lines[0] === "---" && params.position.line > 0 &&
        lines.slice(1, params.position.line).every((text) => text !== "---") && lines.slice(1).includes("---");
      const isYaml = inFrontmatter || inSource.endsWith(".yaml");
      const word = (pattern: RegExp) => {
        const match = pattern.exec(before);
        if (!match) return undefined;
        const typed = match[match.length - 1] ?? "";
        const range: Range = { start: { line: params.position.line, character: params.position.character - typed.length }, end: params.position };
        return { typed, range };
      };

      if (isYaml) {
        const wbsAt = word(/^\s*(?:-\s+)?wbs:\s*["']?([^"'\s]*)$/) ?? word(/[{,]\s*wbs:\s*["']?([^"'\s,}]*)$/);
        if (wbsAt && structure.wbs)
          return structure.wbs.elements.map((element, index): CompletionItem => ({
            label: element.code,
            kind: CompletionItemKind.Value,
            detail: element.title,
            ...(element.lead && { documentation: `Lead: ${element.lead}` }),
            sortText: String(index).padStart(5, "0"),
            filterText: element.code,
            textEdit: { range: wbsAt.range, newText: element.code },
          }));
        const idAt = word(/(?:^|[\s{,])id:\s*(?:\[\s*(?:[^\]]*,\s*)?)?["']?([^"',\]\s}]*)$/);
        if (idAt && structure.milestones) {
          const reporter = inFrontmatter && structure.wbs ? structure.wbs.find(/^wbs:\s*["']?([^"'\s]+)/m.exec(lines.slice(1, lines.indexOf("---", 1)).join("\n"))?.[1] ?? "") : undefined;
          const reportFrom = structure.config?.milestones.reportFrom ?? "element";
          // Completed in an earlier month: nothing more to report of them, offered last.
          const completed = month ? completedBefore(knowledge, month, overlay, memoOf(root), options.cache) : new Map<string, string>();
          return [...structure.milestones.values()].map((milestone, index): CompletionItem => {
            const owner = structure.wbs?.find(milestone.wbs);
            const own = reporter && owner ? mayReport(reporter, owner, reportFrom) : false;
            const done = completed.get(milestone.id);
            return {
              label: milestone.id,
              kind: CompletionItemKind.Reference,
              detail: `${milestone.title} (due ${milestone.due}${done ? `, completed ${done}` : ""})`,
              documentation: { kind: MarkupKind.Markdown, value: milestoneCard(milestone, owner) },
              // The open milestones this fragment may report come first, the completed ones last.
              sortText: `${done ? 2 : own ? 0 : 1}${String(index).padStart(5, "0")}`,
              filterText: milestone.id,
              textEdit: { range: idAt.range, newText: milestone.id },
            };
          });
        }
        const statusAt = word(/(?:^|[\s{,])status:\s*([a-z-]*)$/);
        if (statusAt)
          return Object.entries(STATUSES).map(([status, meaning], index): CompletionItem => ({
            label: status,
            kind: CompletionItemKind.EnumMember,
            detail: meaning,
            sortText: String(index),
            textEdit: { range: statusAt.range, newText: status },
          }));
        const partAt = inFrontmatter ? word(/^\s*part:\s*["']?([a-z0-9-]*)$/) : undefined;
        if (partAt && structure.config)
          return structure.config.parts.map((part): CompletionItem => ({
            label: part.id,
            kind: CompletionItemKind.Value,
            detail: part.title,
            textEdit: { range: partAt.range, newText: part.id },
          }));
        return [];
      }

      // In a fragment's text: the section headings of its month, those not written yet first.
      const headingAt = month !== undefined ? /^#{1,2}(?:\s+[^#]*)?$|^#$/.exec(before) : null;
      if (headingAt && structure.config) {
        const written = new Set(lines.filter((text) => /^#{1,2}\s/.test(text)).map((text) => text.replace(/^#+\s+/, "").trim()));
        const range: Range = { start: { line: params.position.line, character: 0 }, end: params.position };
        return structure.config.sections.map((section, index): CompletionItem => ({
          label: section.title,
          kind: CompletionItemKind.Module,
          detail: written.has(section.title) ? "a section of the report (already in this fragment)" : "a section of the report",
          sortText: `${written.has(section.title) ? 1 : 0}${index}`,
          filterText: `## ${section.title}`,
          textEdit: { range, newText: `## ${section.title}` },
        }));
      }
      return [];
    }),
  );

  connection.onHover((params) =>
    guarded("hover", null, (): Hover | null => {
      const { document, path, root } = opened(params.textDocument.uri) ?? {};
      const at = document && wordAt(document, params.position.line, params.position.character);
      if (!path || !root || !at) return null;
      const overlay = overlayOf(root);
      const knowledge = knowledgeOf(root, overlay, memoOf(root));
      const milestone = knowledge.milestones?.get(at.word);
      if (milestone) {
        const month = /^months\/(\d{4}-\d{2})\//.exec(relative(root, path).split(sep).join("/"))?.[1] ?? "9999-12";
        const before = stateBefore(knowledge, month, milestone.id, overlay, memoOf(root), options.cache);
        const lastLine = before ? storyLine(before) : "Not reported in an earlier month";
        return { range: at.range, contents: { kind: MarkupKind.Markdown, value: `${milestoneCard(milestone, knowledge.wbs?.find(milestone.wbs))}\n\n${lastLine}` } };
      }
      const element = knowledge.wbs?.find(at.word.replace(/^["']|["']$/g, ""));
      if (element) {
        const value = [`**${element.code}** ${element.title}`, element.lead ? `Lead: ${element.lead}` : "", element.fullCode !== element.code ? `Full code: \`${element.fullCode}\`` : ""].filter(Boolean).join("\n\n");
        return { range: at.range, contents: { kind: MarkupKind.Markdown, value } };
      }
      return null;
    }),
  );

  connection.onDefinition((params) =>
    guarded("definition", null, (): Location | null => {
      const { document, path, root } = opened(params.textDocument.uri) ?? {};
      const at = document && wordAt(document, params.position.line, params.position.character);
      if (!path || !root || !at) return null;
      const knowledge = knowledgeOf(root, overlayOf(root), memoOf(root));
      const milestone = knowledge.milestones?.get(at.word);
      const place = milestone ? milestonePlace(knowledge, milestone) : undefined;
      if (milestone && place && knowledge.registerSource) return locationOf(root, knowledge.registerSource.file, place);
      const element = knowledge.wbs?.find(at.word);
      const elementAt = element ? elementPlace(knowledge, element) : undefined;
      if (elementAt && knowledge.wbsSource) return locationOf(root, knowledge.wbsSource.file, elementAt);
      return null;
    }),
  );

  documents.listen(connection);
  connection.listen();
  return connection;
}

/** What the month before's report says of a milestone, as the hover shows it. */
function storyLine({ month, state, scheduled }: StateBefore): string {
  const how = `Last month (${month}): **${state.state}**${state.reported ? "" : state.lastReported ? ` (carried; last reported ${state.lastReported})` : " (never reported)"}`;
  const dates = state.completed ? `, completed ${state.completed}` : state.forecast ? `, forecast ${state.forecast}` : "";
  return `${how}${dates}${scheduled ? `\n\nThis month's schedule: forecast ${scheduled}` : ""}`;
}

/** A milestone as a short card: id and title, level, due date, owner. */
function milestoneCard(milestone: Milestone, owner: WbsElement | undefined): string {
  const facts = [
    milestone.level !== undefined ? `Level ${milestone.level}` : undefined,
    `due ${milestone.due}`,
    owner ? `\`${owner.code}\` ${owner.title}` : `\`${milestone.wbs}\``,
  ].filter(Boolean);
  const schedule = milestone.completed ? `Schedule: completed ${milestone.completed}` : milestone.forecast ? `Schedule forecast: ${milestone.forecast}` : "";
  return [`**${milestone.id}** ${milestone.title}`, facts.join(" · "), schedule].filter(Boolean).join("\n\n");
}

function locationOf(root: string, file: string, place: { line: number; column: number }): Location {
  const start = { line: place.line - 1, character: place.column - 1 };
  return { uri: pathToFileURL(`${root}/${file}`).href, range: { start, end: start } };
}

/** The id-like word under the cursor: letters, digits and `&._-` (milestone ids, WBS codes). */
function wordAt(document: TextDocument, line: number, character: number): { word: string; range: Range } | undefined {
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, "");
  const isWord = (char: string | undefined) => char !== undefined && /[A-Za-z0-9&._-]/.test(char);
  let start = character;
  let end = character;
  while (start > 0 && isWord(text[start - 1])) start--;
  while (end < text.length && isWord(text[end])) end++;
  const word = text.slice(start, end).replace(/[.-]+$/, "");
  if (!word) return undefined;
  return { word, range: { start: { line, character: start }, end: { line, character: start + word.length } } };
}

/** A lint diagnostic as the protocol's: its span, or the word it points at. */
function toLsp(found: Diagnostic, document: TextDocument | undefined): LspDiagnostic {
  const start = { line: found.line - 1, character: found.column - 1 };
  let range: Range;
  if (found.span) {
    range = { start: { line: found.span.start.line - 1, character: found.span.start.column - 1 }, end: { line: found.span.end.line - 1, character: found.span.end.column - 1 } };
  } else {
    const text = document?.getText({ start: { line: start.line, character: 0 }, end: { line: start.line + 1, character: 0 } }).replace(/\r?\n$/, "") ?? "";
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

/** A lint fix (offsets in the text as read: LF line endings) as a protocol edit of the document. */
function offsetEdit(document: TextDocument, edit: OffsetEdit) {
  const place = location(document.getText().replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n"));
  const point = (offset: number) => {
    const found = place.toPoint(offset);
    return found ? { line: found.line - 1, character: found.column - 1 } : document.positionAt(document.getText().length);
  };
  return { range: { start: point(edit.start), end: point(edit.end) }, newText: edit.text };
}

/** The last URI turned into a path, and the path: a burst of changes to one document asks for the same one a thousand times. */
let lastPath: { uri: string; path: string | undefined } | undefined;

function pathOf(uri: string): string | undefined {
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

function inside(root: string, path: string): boolean {
  const rest = relative(root, path);
  return rest !== "" && !rest.startsWith("..") && !rest.startsWith(sep);
}
