/**
 * The floors of the house (docs/architecture.md), checked by `npm run check:deps` and the test
 * suite. Type imports count: a circle of types is a circle of ideas. Each rule's comment says what
 * to do when it fires.
 */
const STAGES = ["load", "validate", "merge", "render", "pdf", "write"];
/** What runs on the pipeline and the model: the source's domain, no command's work. */
const PIPELINE = ["core", "milestones", ...STAGES];
/** What is built on the pipeline: the commands' work and the front ends. */
const ABOVE = ["publish", "archive", "monthly", "import", "schedule", "preview", "lsp", "action", "reporters", "commands"];

/** Each pipeline stage imports only stages before it. */
const stageRules = STAGES.slice(0, -1).map((stage, index) => ({
  name: `stage-${stage}-looks-back`,
  comment: `${stage}/ is a stage of ${STAGES.join(" → ")}: it knows nothing of the stages after it. Move what both need into core/ or an earlier stage, or have the later stage pass it in`,
  severity: "error",
  from: { path: `^src/${stage}/` },
  to: { path: `^src/(${STAGES.slice(index + 1).join("|")})/` },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "no module imports itself through others, type imports included: move what both sides need into a module both may import",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "core-imports-nothing-outside",
      comment:
        "core/ is the bottom of the house (the domain model, diagnostics and rules, shared plumbing): it imports nothing of dmreport's outside it. Move the piece core needs into core/, or pass it in",
      severity: "error",
      from: { path: "^src/core/" },
      to: { path: "^src/", pathNot: "^src/core/" },
    },
    {
      name: "milestones-know-the-model-only",
      comment: "milestones/ computes the milestone story from the model alone: give it the data, not the stage that reads it",
      severity: "error",
      from: { path: "^src/milestones/" },
      to: { path: "^src/", pathNot: "^src/(core|milestones)/" },
    },
    {
      name: "pipeline-knows-no-command",
      comment:
        "the pipeline (core, milestones and the stages) knows nothing of what is built on it (publish, archive, the monthly cycle, import, schedule, reporters, front ends, commands, the compositions build.ts and lint.ts): move the shared piece down, or have the caller pass it in",
      severity: "error",
      from: { path: `^src/(${PIPELINE.join("|")})/` },
      to: { path: [`^src/(${ABOVE.join("|")})/`, "^src/(build|lint|project|cli|index)\\.ts$"] },
    },
    {
      name: "reporters-format-only",
      comment: "reporters/ turns diagnostics into text at the edge: it imports core/ alone",
      severity: "error",
      from: { path: "^src/reporters/" },
      to: { path: "^src/", pathNot: "^src/(core|reporters)/" },
    },
    {
      name: "front-ends-are-leaves",
      comment:
        "the language server, the preview and the action are front ends over the library: only their commands (and the library's index.ts) import them",
      severity: "error",
      from: { path: "^src/", pathNot: ["^src/(commands|lsp|preview|action)/", "^src/(cli|index)\\.ts$"] },
      to: { path: "^src/(lsp|preview|action)/" },
    },
    {
      name: "commands-are-leaves",
      comment:
        "the CLI is a thin layer over the library: nothing but the CLI imports a command; put the work in the library and import that",
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
