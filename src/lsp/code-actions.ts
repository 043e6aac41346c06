/** Code actions: each suggestion of a diagnostic as a replacement, each safe fix, and all of a file's safe fixes at once. */
import { CodeActionKind, type CodeAction } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { location } from "vfile-location";
import type { TextEdit as OffsetEdit } from "../core/diagnostics.js";
import type { DiagnosticData } from "./diagnostics.js";
import type { Session } from "./session.js";

/** Answer code actions from the diagnostics published. */
export function offerFixes(session: Session): void {
  const { connection, documents, published, guarded } = session;
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
        for (const suggestion of suggestions)
          actions.push({
            title: `Replace with \`${suggestion}\``,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            ...(suggestions.length === 1 && { isPreferred: true }),
            edit: { changes: { [document.uri]: [{ range: diagnostic.range, newText: suggestion }] } },
          });
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
      if (
        fixes.length &&
        (!wanted || wanted.some((kind) => CodeActionKind.SourceFixAll.startsWith(kind) || kind === CodeActionKind.QuickFix))
      ) {
        actions.push({
          title: `Fix all safe problems in this file (${fixes.length})`,
          kind: `${CodeActionKind.SourceFixAll}.dmreport`,
          edit: { changes: { [document.uri]: fixes.map(({ edit }) => offsetEdit(document, edit)) } },
        });
      }
      return wanted
        ? actions.filter((action) => wanted.some((kind) => action.kind === kind || action.kind?.startsWith(`${kind}.`)))
        : actions;
    }),
  );
}

/** A lint fix (offsets in the text as read: LF line endings) as a protocol edit of the document. */
function offsetEdit(document: TextDocument, edit: OffsetEdit) {
  const place = location(
    document
      .getText()
      .replace(/^\uFEFF/, "")
      .replace(/\r\n?/g, "\n"),
  );
  const point = (offset: number) => {
    const found = place.toPoint(offset);
    return found ? { line: found.line - 1, character: found.column - 1 } : document.positionAt(document.getText().length);
  };
  return { range: { start: point(edit.start), end: point(edit.end) }, newText: edit.text };
}
