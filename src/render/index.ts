/** Render stage: a report tree into the text of each output format, through Handlebars templates. */
import type { Diagnostic } from "../diagnostics.js";
import type { ReportTree } from "../merge/index.js";
import type { LinkRule } from "../model.js";
import { markdownView } from "./markdown-view.js";
import { loadTemplates, TemplateError } from "./templates.js";

/** The formats dmreport can write, with the extension of their file. */
export const FORMATS = { md: ".md" } as const;
export type Format = keyof typeof FORMATS;

export interface RenderOptions {
  links: readonly LinkRule[];
  /** Absolute folder of template overrides, and how to show it in diagnostics. */
  templates?: { folder: string; shown: string };
}

export interface RenderedFile {
  format: Format;
  /** File name extension, with the dot. */
  extension: string;
  content: string;
}

/** The report in each of `formats`, or diagnostics when a template fails. */
export function renderReport(
  tree: ReportTree,
  formats: readonly Format[],
  options: RenderOptions,
): { files: RenderedFile[]; diagnostics: Diagnostic[] } {
  const files: RenderedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const format of formats) {
    const { render, diagnostics: templateProblems } = loadTemplates(format, options.templates?.folder, options.templates?.shown, {
      escapeHtml: false,
    });
    diagnostics.push(...templateProblems);
    if (!render) continue;
    try {
      const content = render(markdownView(tree, options.links)).replace(/\n*$/, "\n");
      files.push({ format, extension: FORMATS[format], content });
    } catch (error) {
      if (error instanceof TemplateError) diagnostics.push(error.diagnostic);
      else throw error;
    }
  }
  return { files, diagnostics };
}
