/** The site a preview serves: the month's HTML report (or every month and the dashboard), rebuilt from the source in memory. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAll } from "../archive/index.js";
import { produceMonth } from "../build.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../core/diagnostics.js";
import { shownPath } from "../reporters/compact.js";
import { listMonths, loadSource } from "../load/index.js";
import { ParseMemo } from "../load/memo.js";
import { missingMonth, validateSource } from "../validate/index.js";

export interface SiteState {
  /** Increases at every rebuild, good or bad: the pages reload when it changes. */
  version: number;
  /** The last pages that built, by file name. */
  pages: Map<string, string>;
  /** The page `/` shows. */
  home?: string;
  /** The last rebuild's diagnostics, paths as the user sees them. */
  diagnostics: (Diagnostic & { path: string })[];
  /** How long the last rebuild took, in milliseconds. */
  took: number;
}

export interface SiteOptions {
  root: string;
  /** The month to show; the latest (as months are added) when absent. */
  month?: string;
  /** Every month and the dashboard. */
  all?: boolean;
  /** The per-user history cache folder. */
  cache?: string;
  /** Shown paths are relative to this folder. */
  cwd: string;
}

/** A site that rebuilds on demand, keeping the last good pages when the source has errors. */
export class PreviewSite {
  readonly state: SiteState = { version: 0, pages: new Map(), diagnostics: [], took: 0 };
  private readonly memo = new ParseMemo(true);
  /** With `all`: the archive's own folder (its cache makes rebuilds incremental), removed by `close`. */
  private readonly archive: string | undefined;

  constructor(private readonly options: SiteOptions) {
    this.archive = options.all ? mkdtempSync(join(tmpdir(), "dmreport-preview-")) : undefined;
  }

  /** Rebuild from the source as it is now. */
  async rebuild(): Promise<SiteState> {
    const started = performance.now();
    const { pages, home, diagnostics } = this.archive ? await this.buildArchive(this.archive) : await this.buildMonth();
    const { root, cwd } = this.options;
    this.state.diagnostics = sortDiagnostics(diagnostics).map((found) => ({ ...found, path: shownPath(found.file, { root, cwd }) }));
    if (pages) {
      this.state.pages = pages;
      this.state.home = home;
    }
    this.state.version++;
    this.state.took = performance.now() - started;
    return this.state;
  }

  /** Remove what the site keeps on disk. */
  close(): void {
    this.memo.history?.close();
    if (this.archive) rmSync(this.archive, { recursive: true, force: true });
  }

  private async buildMonth(): Promise<{ pages?: Map<string, string>; home?: string; diagnostics: Diagnostic[] }> {
    const { root } = this.options;
    const months = listMonths(root);
    const month = this.options.month ?? months[months.length - 1];
    if (!month || !months.includes(month)) return { diagnostics: [missingMonth(month ?? "YYYY-MM", months)] };
    const { source, diagnostics } = loadSource(root, { months: [month], history: true, cache: this.options.cache, memo: this.memo });
    const { project, diagnostics: problems } = validateSource(source);
    const all = [...diagnostics, ...problems];
    if (!project || hasErrors(all)) return { diagnostics: all };
    const produced = await produceMonth(project, month, ["html"], false);
    all.push(...produced.diagnostics);
    if (hasErrors(all)) return { diagnostics: all };
    const pages = new Map(produced.outputs.map((file) => [file.name, String(file.content)]));
    return { pages, home: produced.outputs[0]?.name, diagnostics: all };
  }

  private async buildArchive(folder: string): Promise<{ pages?: Map<string, string>; home?: string; diagnostics: Diagnostic[] }> {
    const result = await buildAll({ source: this.options.root, formats: ["html"], out: folder });
    if (hasErrors(result.diagnostics)) return { diagnostics: result.diagnostics };
    const pages = new Map(
      readdirSync(folder)
        .filter((name) => name.endsWith(".html"))
        .map((name) => [name, readFileSync(join(folder, name), "utf8")]),
    );
    return { pages, home: "index.html", diagnostics: result.diagnostics };
  }
}
