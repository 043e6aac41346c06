/** Render stage: a report tree into the text of each output format, through Handlebars templates. */
import { diagnostic, type Diagnostic } from "../core/diagnostics.js";
import { TimeLimitError, withinTimeLimit } from "../core/time-limit.js";
import type { ReportTree } from "../merge/index.js";
import { MILESTONE_VIEWS, type LinkRule, type MilestoneView } from "../core/model.js";
import type { RenderedContents } from "./content.js";
import { htmlView } from "./html-view.js";
import { markdownView } from "./markdown-view.js";
import { loadTemplates, TemplateError, type TemplateOverrides } from "./templates.js";

/** The text formats rendered here, with the extension of their file. */
export const TEXT_FORMATS = { md: ".md", html: ".html", print: ".print.html" } as const;
export type TextFormat = keyof typeof TEXT_FORMATS;
export type { RenderedContents } from "./content.js";

export interface RenderOptions {
  links: readonly LinkRule[];
  /** `output.remoteImages`: images from the network shown; otherwise shown as links. */
  remoteImages?: boolean;
  locale: string;
  pageSize: string;
  /** Names the program in the HTML's generator tag. */
  generator: string;
  /** The computed milestone views each format shows (`milestones.show`); all of them when absent. */
  show?: Partial<Record<TextFormat, MilestoneView[]>>;
  /** The source's template overrides (file texts by path in their folder, `html/report.hbs`), and how to show their folder in diagnostics. */
  templates?: TemplateOverrides;
  /** Fragment content rendered in an earlier run (the archive keeps each month's): not rendered again. */
  contents?: RenderedContents;
}

export interface RenderedFile {
  format: TextFormat;
  /** File name extension, with the dot. */
  extension: string;
  content: string;
}

/** The report in each of `formats`, or diagnostics when a template fails. */
export function renderReport(
  tree: ReportTree,
  formats: readonly TextFormat[],
  options: RenderOptions,
): { files: RenderedFile[]; diagnostics: Diagnostic[] } {
  try {
    return withinTimeLimit(() => renderFormats(tree, formats, options));
  } catch (error) {
    if (!(error instanceof TimeLimitError)) throw error;
    return {
      files: [],
      diagnostics: [
        diagnostic(
          "dmreport.yaml",
          { line: 1, column: 1 },
          "time-limit",
          `rendering the report took more than ${error.limitMs / 1000} s and was stopped: a regular expression of \`links\` can take exponential time on some text, as a repetition inside a repetition does (\`(a+)+\`); write it so that text can match it one way only`,
        ),
      ],
    };
  }
}

function renderFormats(
  tree: ReportTree,
  formats: readonly TextFormat[],
  options: RenderOptions,
): { files: RenderedFile[]; diagnostics: Diagnostic[] } {
  const files: RenderedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const format of formats) {
    const html = format !== "md";
    const {
      render,
      styles,
      diagnostics: templateProblems,
    } = loadTemplates(format, options.templates, {
      escapeHtml: html,
      inherits: format === "print" ? "html" : undefined,
    });
    diagnostics.push(...templateProblems);
    if (!render) continue;
    try {
      const show = options.show?.[format] ?? MILESTONE_VIEWS;
      const view = html
        ? htmlView(tree, {
            links: options.links,
            remoteImages: options.remoteImages,
            locale: options.locale,
            generator: options.generator,
            css: styles,
            pageSize: options.pageSize,
            show,
            contents: options.contents,
          })
        : markdownView(tree, options.links, {
            locale: options.locale,
            show,
            remoteImages: options.remoteImages,
            contents: options.contents,
          });
      files.push({ format, extension: TEXT_FORMATS[format], content: render(view).replace(/\n*$/, "\n") });
    } catch (error) {
      if (error instanceof TemplateError) diagnostics.push(error.diagnostic);
      else throw error;
    }
  }
  return { files, diagnostics };
}
