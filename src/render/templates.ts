/** Load the Handlebars templates of a format, the source's overrides taking the place of ours. */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../core/package-root.js";
import Handlebars from "handlebars";
import { diagnostic, type Diagnostic } from "../core/diagnostics.js";
import { precompiled } from "./templates.generated.js";

/** The folder of built-in templates: one subfolder per format. */
export const TEMPLATE_FOLDER = `${join(PACKAGE_ROOT, "templates")}/`;

export type RenderTemplate = (view: object) => string;

type Loaded = { render?: RenderTemplate; styles: string[]; diagnostics: Diagnostic[] };

/**
 * Templates loaded in this process, by everything they were made from: an archive renders
 * every month with the same templates, and compiling them once serves them all.
 */
const loaded = new Map<string, Loaded>();

/** The key of a template's text and escaping, as scripts/compile-templates.mjs makes it. */
export function templateKey(source: string, escapeHtml: boolean): string {
  return createHash("sha256")
    .update(`${escapeHtml ? "html" : "text"}\n${source}`)
    .digest("hex");
}

interface TemplateFile {
  /** Name of the partial, or `report` for the main template. */
  name: string;
  /** Path as shown in diagnostics. */
  shown: string;
}

/** A source's template overrides, as the load stage read them through the source's door. */
export interface TemplateOverrides {
  /** Each file's text by its path in the folder (`html/report.hbs`, `print/print.css`). */
  files: ReadonlyMap<string, string>;
  /** The folder as shown in diagnostics. */
  shown: string;
}

/** The texts of dmreport's own templates, by path in their folder: they are part of dmreport, read once. */
let builtIn: Map<string, string> | undefined;

function ownTemplates(): Map<string, string> {
  if (builtIn) return builtIn;
  builtIn = new Map();
  for (const format of readdirSync(TEMPLATE_FOLDER).sort())
    for (const entry of readdirSync(join(TEMPLATE_FOLDER, format)).sort())
      if (/\.(hbs|css)$/.test(entry)) builtIn.set(`${format}/${entry}`, readFileSync(join(TEMPLATE_FOLDER, format, entry), "utf8"));
  return builtIn;
}

/**
 * The main template of `format` with its partials registered, or diagnostics when a template
 * does not compile. `overrides` are the source's templates, which take the place of ours.
 */
export function loadTemplates(
  format: string,
  overrides: TemplateOverrides | undefined,
  options: { escapeHtml: boolean; inherits?: string },
): Loaded {
  const files = new Map<string, TemplateFile & { source: string }>();
  const styles = new Map<string, string>();
  const collect = (texts: ReadonlyMap<string, string>, folderFormat: string, shownFolder: string) => {
    for (const [path, text] of [...texts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!path.startsWith(`${folderFormat}/`)) continue;
      const entry = path.slice(folderFormat.length + 1);
      if (entry.endsWith(".css")) styles.set(entry, text);
      if (!entry.endsWith(".hbs")) continue;
      const name = entry.slice(0, -".hbs".length);
      files.set(name, { name, shown: `${shownFolder}/${entry}`, source: text });
    }
  };
  // Later folders replace earlier ones file by file: the inherited format first, ours then the
  // source's; then the format's own, ours then the source's (so that the source's copy of an
  // inherited template never takes the place of our own template of the format).
  for (const folderFormat of [options.inherits, format].filter((name): name is string => Boolean(name))) {
    collect(ownTemplates(), folderFormat, `(dmreport)/templates/${folderFormat}`);
    if (overrides) collect(overrides.files, folderFormat, `${overrides.shown}/${folderFormat}`);
  }

  const sources = [...files.values()].map(({ source, ...file }) => ({ file, source }));
  const styleTexts = [...styles.values()];
  const shownOverrides = overrides?.shown;
  const key = JSON.stringify([format, options, sources.map(({ file, source }) => [file.name, file.shown, source]), styleTexts]);
  let known = loaded.get(key);
  if (!known) {
    known = compileTemplates(format, sources, styleTexts, shownOverrides, options.escapeHtml);
    loaded.set(key, known);
  }
  return { ...known, diagnostics: known.diagnostics.map((found) => ({ ...found })) };
}

function compileTemplates(
  format: string,
  sources: { file: TemplateFile; source: string }[],
  styles: string[],
  shownOverrides: string | undefined,
  escapeHtml: boolean,
): Loaded {
  const files = new Map(sources.map(({ file }) => [file.name, file]));
  const handlebars = Handlebars.create();
  handlebars.registerHelper("hashes", (level: number) => "#".repeat(level));
  const diagnostics: Diagnostic[] = [];
  const compiled = new Map<string, HandlebarsTemplateDelegate>();
  for (const { file, source } of sources) {
    // dmreport's own templates, as they were when it was built, come precompiled.
    const spec = precompiled[templateKey(source, escapeHtml)];
    if (spec) {
      compiled.set(file.name, handlebars.template(spec as TemplateSpecification));
      continue;
    }
    try {
      // Precompiling up front turns syntax errors into diagnostics before anything is rendered.
      handlebars.precompile(source);
      compiled.set(file.name, handlebars.compile(source, { noEscape: !escapeHtml, strict: true }));
    } catch (error) {
      diagnostics.push(templateDiagnostic(file.shown, error, "template-syntax"));
    }
  }
  const main = compiled.get("report");
  if (!main && !diagnostics.length) {
    diagnostics.push(
      diagnostic(
        `${shownOverrides ?? "templates"}/${format}/report.hbs`,
        { line: 1, column: 1 },
        "template-missing",
        `there is no ${format} template named report.hbs`,
      ),
    );
  }
  if (diagnostics.length || !main) return { styles: [], diagnostics };
  for (const [name, template] of compiled) if (name !== "report") handlebars.registerPartial(name, template);
  const mainFile = files.get("report")!;
  return {
    diagnostics,
    styles,
    render: (view) => {
      try {
        return main(view);
      } catch (error) {
        throw new TemplateError(templateDiagnostic(mainFile.shown, error, "template-error"));
      }
    },
  };
}

/** A template that failed while rendering, carrying its diagnostic. */
export class TemplateError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

function templateDiagnostic(file: string, error: unknown, rule: string): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  const located = error as { lineNumber?: number; column?: number };
  const line = located.lineNumber ?? Number(/line (\d+)/i.exec(message)?.[1] ?? 1);
  const column = located.column !== undefined ? located.column + 1 : Number(/column (\d+)/i.exec(message)?.[1] ?? 0) + 1;
  const undefinedValue = /^"([^"]+)" not defined in/.exec(message);
  const firstLine = undefinedValue
    ? `\`${undefinedValue[1]}\` is not a value this template receives`
    : (message.split("\n").find((text) => text.trim() && !/^-+\^$/.test(text.trim())) ?? message).trim();
  return diagnostic(file, { line, column }, rule, `template problem: ${firstLine}`);
}
