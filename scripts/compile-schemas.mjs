#!/usr/bin/env node
// Compile the JSON Schemas in schemas/ to standalone validation code (ajv standalone), so that
// dmreport does not compile them at every start: src/validate/validators.generated.ts.
import { readFileSync, writeFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import addFormats from "ajv-formats";
import { _ } from "ajv/dist/compile/codegen/index.js";

const schemas = {
  dmreport: "dmreport",
  wbs: "wbs",
  milestones: "milestones",
  fragment: "fragment",
  schedule: "schedule",
  published: "published",
  publishedDetails: "publishedDetails",
};
// The same options as src/validate/schema.ts uses at run time; formats come from an import of ours.
const ajv = new Ajv2020.default({
  allErrors: true,
  strict: true,
  allowUnionTypes: true,
  verbose: true,
  code: { source: true, esm: true, formats: _`dateFormats` },
});
addFormats.default(ajv, ["date"]);
const exports = {};
for (const [name, file] of Object.entries(schemas)) {
  const schema = JSON.parse(readFileSync(`schemas/${file}.schema.json`, "utf8"));
  ajv.addSchema(schema);
  exports[name] = schema.$id;
}
// Ajv's runtime helpers come as require() calls, which an ES module does not have; CommonJS
// interop differs between Node and bundlers, so each helper is written out here instead.
const helpers = {
  // Length in code points, as JSON Schema counts it.
  "ajv/dist/runtime/ucs2length": "((text) => [...text].length)",
};
const code = standaloneCode.default(ajv, exports).replace(/require\("([^"]+)"\)\.default/g, (_call, module) => {
  if (!helpers[module]) throw new Error(`ajv's standalone code needs ${module}: add it to the helpers of compile-schemas.mjs`);
  return helpers[module];
});
if (/require\(/.test(code)) throw new Error("ajv's standalone code still calls require()");
writeFileSync(
  "src/validate/validators.generated.ts",
  `// @ts-nocheck\n// Generated from schemas/*.schema.json by scripts/compile-schemas.mjs (npm run build); do not edit.\n` +
    `import { fullFormats as dateFormats } from "ajv-formats/dist/formats.js";\n${code}\n`,
);
