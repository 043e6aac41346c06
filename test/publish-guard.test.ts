// The publish guard wherever a change can come in: an edit of a published month's fragment, of an
// image it shows, of a template in force (the print CSS, a report template) or of the register
// stops a PDF-only build, the lint of the changed file (in its own process and through the lint
// server) and the lint of the whole source, each naming the month, the output and the first line
// that differs.
import { createHash } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { edit, exampleCopy, OTHER_PIXEL, PIXEL, REPO, runCli, tempFolder } from "./helpers.js";

const version = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
const today = new Date().toISOString().slice(0, 10);

/** The minimal example with its own templates and an image in October's 4.2, October published. */
function published(): string {
  const source = exampleCopy("minimal");
  mkdirSync(join(source, "figures"));
  writeFileSync(join(source, "figures", "fringes.png"), PIXEL);
  edit(source, "months/2026-10/4.2.md", (text) =>
    text.replace(
      "First fringes on 3C 273, one day ahead of plan.\n",
      "First fringes on 3C 273, one day ahead of plan.\n\n![Fringe amplitude](../../figures/fringes.png)\n",
    ),
  );
  cpSync(join(REPO, "templates"), join(source, "templates"), { recursive: true });
  edit(source, "dmreport.yaml", (text) => `${text}templates: templates\n`);
  const run = runCli(["publish", "--month", "2026-10"], source);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return source;
}

/** The environment of a developer's machine: the lint server allowed, in `cache`. */
const serverEnv = (cache: string) => ({ DMREPORT_CACHE_DIR: cache, DMREPORT_NO_SERVER: "", CI: "", DMREPORT_LINT_SERVER_IDLE_MS: "5000" });

interface Case {
  what: string;
  file: string;
  change: (source: string) => void;
  /** The output that differs first, its line, and what the line reads now. */
  output: string;
  /** The output a lint names: it renders the HTML first, then the print HTML, then the Markdown, up to the first that differs. */
  linted: string;
  line: number;
  now: string;
}

const CASES: Case[] = [
  {
    what: "a fragment",
    file: "months/2026-10/4.2.md",
    change: (source) => edit(source, "months/2026-10/4.2.md", (text) => text.replace("one day ahead of plan", "two days ahead of plan")),
    output: "kestrel-2026-10.md",
    linted: "kestrel-2026-10.html",
    line: 72,
    now: "it now reads `First fringes on 3C 273, two days ahead of plan.`",
  },
  {
    what: "an image it shows, replaced by one of the same size",
    file: "figures/fringes.png",
    change: (source) => writeFileSync(join(source, "figures", "fringes.png"), OTHER_PIXEL),
    output: "kestrel-2026-10.html",
    linted: "kestrel-2026-10.html",
    line: 347,
    now: 'it now reads `<p><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR...`',
  },
  {
    what: "the print CSS",
    file: "templates/print/print.css",
    change: (source) => edit(source, "templates/print/print.css", (text) => `${text}\nh1 { color: #333; }\n`),
    output: "kestrel-2026-10.print.html",
    linted: "kestrel-2026-10.print.html",
    line: 0,
    now: "",
  },
  {
    what: "a report template",
    file: "templates/md/report.hbs",
    change: (source) => edit(source, "templates/md/report.hbs", (text) => text.replace("**{{monthLabel}}**", "*{{monthLabel}}*")),
    output: "kestrel-2026-10.md",
    linted: "kestrel-2026-10.md",
    line: 3,
    now: "it now reads `*October 2026*`",
  },
  {
    what: "the register",
    file: "milestones.yaml",
    change: (source) =>
      edit(source, "milestones.yaml", (text) => text.replace("First fringes with the new correlator", "First fringes with the correlator")),
    output: "kestrel-2026-10.md",
    linted: "kestrel-2026-10.html",
    line: 0,
    now: "",
  },
];

/** Lint's findings, one line each: where, and what. */
function lintFindings(args: string[], source: string, env: Record<string, string> = {}) {
  const run = runCli(["lint", "--format", "json", ...args], source, env);
  const report = JSON.parse(run.stdout || "{}") as {
    diagnostics?: { file: string; line: number; column: number; severity: string; rule: string; message: string }[];
  };
  return {
    status: run.status,
    stderr: run.stderr,
    found: (report.diagnostics ?? []).map(
      (found) => `${found.file}:${found.line}:${found.column} ${found.severity} ${found.rule} ${found.message}`,
    ),
  };
}

describe("a published month, changed", () => {
  const copy = published;

  for (const change of CASES) {
    it(`stops a PDF build, the lint of the file and the whole lint, for ${change.what}`, () => {
      const source = copy();
      change.change(source);
      const published = `2026-10 was published on ${today} (dmreport ${version}), and`;
      const first = `${published} ${change.output} would now differ from line ${change.line || ""}`;
      const cause = `since ${change.file} changed: undo that, or accept the new output with \`dmreport publish --month 2026-10\``;

      // A PDF-only build: the PDF is printed from the print HTML, and every published output is checked before it is.
      const out = join(tempFolder(), "out");
      const built = runCli(["build", "--month", "2026-10", "--format", "pdf", "--out", out], source);
      expect(built.status, built.stderr).toBe(1);
      expect(built.stderr).toContain(first);
      expect(built.stderr).toContain(cause);
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);

      // The lint of the changed file: the error stands at it.
      const lintFile = lintFindings([change.file], source);
      expect(lintFile).toMatchObject({ status: 1, stderr: "" });
      const at = `${change.file}:1:1 error published-changed ${published} ${change.linted} would now differ from line `;
      expect(lintFile.found.filter((found) => found.startsWith(at) && found.endsWith(cause))).not.toEqual([]);
      // Through the lint server, the same answer, the first time and the next.
      const cache = tempFolder();
      expect(lintFindings([change.file], source, serverEnv(cache))).toEqual(lintFile);
      expect(lintFindings([change.file], source, serverEnv(cache))).toEqual(lintFile);

      // The whole source.
      const whole = lintFindings([], source);
      expect(whole.status).toBe(1);
      expect(whole.found.filter((found) => found.startsWith(at))).not.toEqual([]);
    });
  }

  it("leaves a PDF build, the lint of a file and the whole lint alone when nothing the month read changed", () => {
    const source = copy();
    // September is not published and October does not read it: it builds and lints freely.
    edit(source, "months/2026-09/4.2.md", (text) => `${text}\nOne more line.\n`);
    expect(lintFindings(["months/2026-09/4.2.md"], source)).toEqual({ status: 0, stderr: "", found: [] });
    expect(lintFindings([], source)).toMatchObject({ status: 0, stderr: "" });
    expect(runCli(["build", "--month", "2026-10", "--format", "md", "--out", join(tempFolder(), "out")], source)).toMatchObject({
      status: 0,
    });
  });
});

describe("the publish record, edited or left behind", () => {
  it("is checked whole by the whole-source lint: a digest edited by hand, or a fragment edited with its recorded digest", () => {
    const source = published();
    const record = readFileSync(join(source, "published.yaml"), "utf8");
    const sha = /md: \{ sha256: "([0-9a-f]{64})"/.exec(record)![1]!;
    writeFileSync(
      join(source, "published.yaml"),
      record.replace(
        sha,
        sha.replace(/^./, (first) => (first === "0" ? "1" : "0")),
      ),
    );
    for (const args of [[], ["published.yaml"]]) {
      const run = lintFindings(args, source);
      expect(run.status).toBe(1);
      expect(run.found).toContainEqual(
        expect.stringMatching(
          /^published\.yaml:7:5 error publish-record kestrel-2026-10\.md matches what 2026-10's record says line by line, but not its digest/,
        ),
      );
    }
    writeFileSync(join(source, "published.yaml"), record);

    // A fragment edited, and its digest in the details made to match: the month is rendered all the same.
    edit(source, "months/2026-10/4.2.md", (text) => text.replace("one day ahead of plan", "two days ahead of plan"));
    const digest = createHash("sha256")
      .update(readFileSync(join(source, "months/2026-10/4.2.md")))
      .digest("hex")
      .slice(0, 16);
    edit(source, ".dmreport/published/2026-10.yaml", (text) =>
      text.replace(/(months\/2026-10\/4\.2\.md: )"[0-9a-f]{16}"/, `$1"${digest}"`),
    );
    const forged = lintFindings([], source);
    expect(forged.status).toBe(1);
    expect(forged.found).toContainEqual(
      expect.stringMatching(
        /^published\.yaml:7:5 error published-changed 2026-10 was published on .* and kestrel-2026-10\.html would now differ from line 346/,
      ),
    );
  });

  it("stops build --all and lint when a published month's folder is gone", () => {
    const source = published();
    rmSync(join(source, "months", "2026-10"), { recursive: true });
    const gone = `2026-10 was published on ${today} (dmreport ${version}), but its folder months/2026-10/ is gone: restore it (git checkout)`;
    const all = runCli(["build", "--all", "--out", join(tempFolder(), "out")], source);
    expect(all.status).toBe(1);
    expect(all.stderr).toContain(`published.yaml:7:5: error: ${gone}`);
    expect(lintFindings([], source)).toMatchObject({
      status: 1,
      found: [expect.stringContaining(`published.yaml:7:5 error published-changed ${gone}`)],
    });
  });

  it("says when files changed that leave the month as published, so that a later change is named rightly", () => {
    const source = published();
    // A comment in a fragment: the outputs are as published.
    edit(source, "months/2026-10/4.1.1.md", (text) => `${text}\n<!-- checked with the antenna team -->\n`);
    const stale = lintFindings([], source);
    expect(stale).toMatchObject({ status: 0 });
    expect(stale.found).toEqual([
      "published.yaml:7:5 warning publish-record-stale 2026-10's outputs are as published, but months/2026-10/4.1.1.md has changed since (months/2026-10/4.1.1.md): `dmreport publish --month 2026-10` records them (keeping the day it was filed), so that a later change is named rightly",
    ]);
    expect(runCli(["publish", "--month", "2026-10"], source).status).toBe(0);
    expect(lintFindings([], source)).toEqual({ status: 0, stderr: "", found: [] });
  });

  it("is mended by publishing the month again when its details are lost or cut short", () => {
    const source = published();
    const details = join(source, ".dmreport", "published", "2026-10.yaml");
    const good = readFileSync(details, "utf8");
    rmSync(details);
    expect(runCli(["build", "--month", "2026-10", "--format", "md", "--out", join(tempFolder(), "out")], source).stderr).toContain(
      "2026-10's details (.dmreport/published/2026-10.yaml) are missing: restore them (git checkout), or publish the month again [publish-record]",
    );
    expect(runCli(["publish", "--month", "2026-10"], source)).toMatchObject({ status: 0, stderr: "" });
    expect(readFileSync(details, "utf8")).toBe(good);
    writeFileSync(details, good.replace(/(  md: ")([A-Za-z0-9+/]{8})/, "$1"));
    expect(runCli(["lint"], source).status).toBe(1);
    expect(runCli(["publish", "--month", "2026-10"], source)).toMatchObject({ status: 0, stderr: "" });
    expect(readFileSync(details, "utf8")).toBe(good);
  });
});

describe("what a published month reads besides its files", () => {
  it('counts the months before it: a new earlier month changes its "Changes since"', () => {
    const source = exampleCopy("minimal");
    expect(runCli(["publish", "--month", "2026-09"], source).status).toBe(0);
    mkdirSync(join(source, "months", "2026-08"));
    writeFileSync(join(source, "months", "2026-08", "summary.md"), "---\npart: summary\nmonth: 2026-08\n---\n\nAugust went by.\n");
    const file = lintFindings(["months/2026-08/summary.md"], source);
    expect(file.status).toBe(1);
    expect(file.found).toContainEqual(
      expect.stringMatching(
        /^months\/2026-08\/summary\.md:1:1 error published-changed 2026-09 was published on .* since the months before it changed/,
      ),
    );
    expect(lintFindings([], source).status).toBe(1);
  });

  it("is guarded when another fragment has errors, and says when an earlier change leaves it unbuildable", () => {
    const source = published();
    // Another fragment of September is broken; the change under review moves a forecast October shows.
    edit(source, "months/2026-09/4.2.md", (text) => text.replace('wbs: "4.2"\n', 'wbs: "4.2"\nbogus: 1\n'));
    edit(source, "months/2026-09/4.1.2.md", (text) => text.replace("forecast: 2026-09-30", "forecast: 2026-09-29"));
    const moved = lintFindings(["months/2026-09/4.1.2.md"], source);
    expect(moved.status).toBe(1);
    expect(moved.found).toContainEqual(
      expect.stringMatching(
        /^months\/2026-09\/4\.1\.2\.md:1:1 error published-changed 2026-10 was published on .* since the statuses earlier months report changed/,
      ),
    );
    edit(source, "months/2026-09/4.2.md", (text) => text.replace("bogus: 1\n", ""));
    edit(source, "months/2026-09/4.1.2.md", (text) => text.replace("forecast: 2026-09-29", "forecast: 2026-09-30"));
    // Completed in September, the milestone October reports delayed: October no longer builds.
    edit(source, "months/2026-09/4.1.2.md", (text) =>
      text.replace("status: at-risk\n    forecast: 2026-09-30", "status: completed\n    completed: 2026-09-20"),
    );
    const broken = lintFindings(["months/2026-09/4.1.2.md"], source);
    expect(broken.status).toBe(1);
    expect(broken.found).toContainEqual(
      expect.stringMatching(
        /^months\/2026-09\/4\.1\.2\.md:1:1 error published-changed 2026-10 was published on .*, and would no longer build: months\/2026-10\/4\.1\.2\.md:\d+:\d+: milestone `CAMM6995` was reported completed/,
      ),
    );
  });

  it("is stopped by the lint of its folder, or of a fragment of it, when one of its fragments is deleted", () => {
    const source = published();
    rmSync(join(source, "months", "2026-10", "4.1.1.md"));
    for (const given of ["months/2026-10", "months/2026-10/4.2.md"]) {
      const run = lintFindings([given], source);
      expect(run.status).toBe(1);
      expect(run.found).toContainEqual(
        expect.stringMatching(
          /error published-changed 2026-10 was published on .* since months\/2026-10\/4\.1\.1\.md \(no longer read\) changed/,
        ),
      );
    }
  });

  it("reads the earlier months' statuses as the month's build does, whatever rules a fragment turns off", () => {
    const source = published();
    // September reports a milestone its element does not own, the rule turned off in the fragment: build counts the status, so lint does.
    edit(source, "months/2026-09/4.2.md", (text) =>
      text.replace(
        "month: 2026-09\n---",
        "month: 2026-09\nmilestones:\n  - id: KSW-M-7\n    status: at-risk\n    forecast: 2026-12-20\n    note: Waiting on the mount.\n---\n\n<!-- dmreport-disable-file milestone-not-owned -->",
      ),
    );
    expect(runCli(["build", "--month", "2026-10", "--out", join(tempFolder(), "out")], source).status).toBe(1);
    const whole = lintFindings([], source);
    expect(whole.status).toBe(1);
    expect(whole.found).toContainEqual(expect.stringMatching(/error published-changed 2026-10 was published on/));
  });

  it("reports an output taken out of both record files", () => {
    const source = published();
    edit(source, "published.yaml", (text) => text.replace(/^    md: .*\n/m, ""));
    edit(source, ".dmreport/published/2026-10.yaml", (text) => text.replace(/^  md: .*\n/m, ""));
    const run = lintFindings([], source);
    expect(run.status).toBe(1);
    expect(run.found).toContain(
      "published.yaml:7:5 error publish-record 2026-10's record has no md output, which publish always records: restore published.yaml and .dmreport/published/2026-10.yaml (git checkout), or publish the month again",
    );
  });
});
