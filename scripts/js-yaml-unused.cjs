// Stands in for js-yaml in the bundle. gray-matter loads js-yaml for its default YAML engine,
// which dmreport never uses (it only lets gray-matter find the frontmatter, and parses that with
// `yaml`); js-yaml and its optional esprima lookup cost about 8 ms at every start.
"use strict";
function unused() {
  throw new Error("dmreport parses YAML with the yaml package; js-yaml is left out of its bundle");
}
module.exports = { safeLoad: unused, safeDump: unused };
