#!/usr/bin/env node
// Precompile dmreport's own Handlebars templates (templates/*/*.hbs), so that a build does not
// parse and compile them at every start: src/render/templates.generated.ts. Each template is
// keyed by a digest of its text and options; a template that differs from what was compiled here
// (an edited copy, a source's override) is compiled at run time as before.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import Handlebars from "handlebars";

/** The key of a template: as src/render/templates.ts makes it (a test checks they agree). */
const templateKey = (source, escapeHtml) =>
  createHash("sha256")
    .update(`${escapeHtml ? "html" : "text"}\n${source}`)
    .digest("hex");

const entries = [];
for (const format of readdirSync("templates").sort()) {
  for (const file of readdirSync(`templates/${format}`).sort()) {
    if (!file.endsWith(".hbs")) continue;
    const source = readFileSync(`templates/${format}/${file}`, "utf8");
    // Either escaping, since a format's templates may be inherited by a format that escapes otherwise.
    for (const escapeHtml of [true, false]) {
      const spec = Handlebars.precompile(source, { noEscape: !escapeHtml, strict: true });
      entries.push(`  ${JSON.stringify(templateKey(source, escapeHtml))}: ${spec},`);
    }
  }
}
writeFileSync(
  "src/render/templates.generated.ts",
  `// @ts-nocheck\n// Generated from templates/*/*.hbs by scripts/compile-templates.mjs (npm run build); do not edit.\n` +
    `export const precompiled: Record<string, object> = {\n${entries.join("\n")}\n};\n`,
);
