/**
 * The floors of the house (docs/architecture.md), checked by `npm run check:deps` and the test
 * suite. Type imports count: a circle of types is a circle of ideas.
 */
const STAGES = ["load", "validate", "merge", "render", "write"];

/** Each pipeline stage imports only stages before it. */
const stageRules = STAGES.map((stage, index) => ({
  name: `stage-${stage}-looks-back`,
  comment: `${stage}/ is a stage of load → validate → merge → render → write: it knows nothing of the stages after it`,
  severity: "error",
  from: { path: `^src/${stage}/` },
  to: { path: `^src/(${STAGES.slice(index + 1).join("|")})/` },
})).filter((rule) => rule.to.path !== "^src/()/");

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "no module imports itself through others, type imports included",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "core-imports-nothing-outside",
      comment:
        "core/ is the bottom of the house (the domain model, diagnostics and rules, shared plumbing): it imports nothing of dmreport's outside it",
      severity: "error",
      from: { path: "^src/core/" },
      to: { path: "^src/", pathNot: "^src/core/" },
    },
    {
      name: "commands-are-leaves",
      comment: "the CLI is a thin layer over the library: nothing but the CLI imports a command",
      severity: "error",
      from: { path: "^src/", pathNot: ["^src/commands/", "^src/cli\\.ts$"] },
      to: { path: "^src/commands/" },
    },
    ...stageRules,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    parser: "swc",
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "\\.generated\\.ts$" },
  },
};
