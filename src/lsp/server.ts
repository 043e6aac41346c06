/**
 * `dmreport lsp`: a language server over stdio. Diagnostics as the lead types, judged on the
 * unsaved text in the source's context with lint's own rules and messages (diagnostics.ts); code
 * actions for the suggestions and the safe fixes (code-actions.ts); completion of WBS codes,
 * milestone ids, statuses, parts and section headings (completion.ts); hover and go to definition
 * on milestone ids and WBS codes (navigation.ts); all around one session (session.ts).
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { VERSION } from "../core/package-root.js";
import { offerFixes } from "./code-actions.js";
import { offerCompletions } from "./completion.js";
import { judgeAsTyped } from "./diagnostics.js";
import { offerNavigation } from "./navigation.js";
import { BurstReader, WholeMessageWriter } from "./transport.js";
import { createSession, type LanguageServerOptions } from "./session.js";

export type { LanguageServerOptions } from "./session.js";

/** Start the server on the given streams; it runs until the client asks it to exit or the input ends. */
export function startLanguageServer(options: LanguageServerOptions): Connection {
  // A reader that hands on a burst of changes to a document as one, and a writer that writes each answer at once (transport.ts).
  const reader = new BurstReader(options.input);
  const connection = createConnection(ProposedFeatures.all, reader, new WholeMessageWriter(options.output));
  // What could not be read is said in the editor's log of the server (its output is not the input's to break).
  reader.onError((error) => connection.console.error(`dmreport ${VERSION}: ${error.message}`));
  const documents = new TextDocuments(TextDocument);
  const session = createSession(connection, documents, options);

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
        "**/dmreport.yaml",
        "**/wbs.yaml",
        "**/milestones.yaml",
        "**/published.yaml",
        "**/months/**/*.md",
        "**/schedule/*.yaml",
        "**/.dmreport/published/*.yaml",
        "**/*.hbs",
        "**/*.css",
        "**/*.{png,jpg,jpeg,gif,svg,webp}",
      ].map((globPattern) => ({ globPattern })),
    });
  });

  judgeAsTyped(session);
  offerFixes(session);
  offerCompletions(session);
  offerNavigation(session);
  documents.listen(connection);
  connection.listen();
  return connection;
}
