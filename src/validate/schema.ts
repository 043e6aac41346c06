/** Check YAML values against the JSON Schemas in schemas/ and say what is wrong in plain words. */
import { join } from "node:path";
import { PACKAGE_ROOT } from "../core/package-root.js";
import * as compiledValidators from "./validators.generated.js";
import type { ErrorObject, ValidateFunction } from "ajv";
import { diagnostic, withSuggestions, type Diagnostic } from "../core/diagnostics.js";
import { locate, nodeAt, spanAt, type ValuePath, type YamlSource } from "../load/yaml-source.js";
import { didYouMean, nearest } from "./nearest.js";

export type SchemaName = "dmreport" | "wbs" | "milestones" | "fragment" | "schedule" | "published" | "publishedDetails";

/** The folder holding the schemas shipped with dmreport. */
export const SCHEMA_FOLDER = `${join(PACKAGE_ROOT, "schemas")}/`;

type JsonSchema = { [key: string]: unknown };
/** The validators, compiled ahead of time from schemas/ by scripts/compile-schemas.mjs. */
const validators: Record<SchemaName, ValidateFunction> = compiledValidators as unknown as Record<SchemaName, ValidateFunction>;

function validator(name: SchemaName): ValidateFunction {
  return validators[name];
}

/** Validate `value` (the source's data, or part of it at `basePath`) against a schema. */
export function checkSchema(name: SchemaName, source: YamlSource, value: unknown, basePath: ValuePath = []): Diagnostic[] {
  const validate = validator(name);
  if (validate(value)) return [];
  const errors = pruneErrors(validate.errors ?? []);
  return errors.map((error) => {
    const path = [...basePath, ...pointerSegments(error.instancePath)];
    const node = nodeAt(source, path) as { source?: string; range?: [number, number, number] } | undefined;
    const { rule, message, at, part, suggestions } = explain(error, path, value, basePath, node?.source);
    const found = withSuggestions(
      diagnostic(source.file, locate(source, at, part), rule, message),
      suggestions ?? [],
      spanAt(source, at, part),
    );
    const date = error.keyword === "format" ? looseDate(valueAt(value, path.slice(basePath.length))) : undefined;
    if (date && node?.range) {
      found.fix = { start: source.offset + node.range[0], end: source.offset + node.range[1], text: date };
      found.message += ` (dmreport lint --fix writes it as ${date})`;
    }
    return found;
  });
}

/**
 * Where `value` breaks the schema, as JSON pointers of the values at fault (a missing or unknown
 * key counts as the value under that key), so that checks of the other values can still run.
 */
export function schemaProblemPaths(name: SchemaName, value: unknown): string[] {
  const validate = validator(name);
  if (validate(value)) return [];
  return pruneErrors(validate.errors ?? []).map((error) => {
    const params = error.params as { additionalProperty?: string; missingProperty?: string };
    const key =
      error.keyword === "additionalProperties"
        ? params.additionalProperty
        : error.keyword === "required"
          ? params.missingProperty
          : undefined;
    return key === undefined ? error.instancePath : `${error.instancePath}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
  });
}

/** Drop errors that only repeat a more useful one (anyOf/oneOf umbrellas, type errors under a union). */
function pruneErrors(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  const kept: ErrorObject[] = [];
  for (const error of errors) {
    if (error.keyword === "anyOf" || error.keyword === "oneOf") {
      if (errors.some((other) => other !== error && other.instancePath === error.instancePath && other.keyword !== "anyOf")) continue;
    }
    const key = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (!seen.has(key)) {
      seen.add(key);
      kept.push(error);
    }
  }
  return kept;
}

function pointerSegments(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

interface Explanation {
  rule: string;
  message: string;
  at: ValuePath;
  part: "value" | "key";
  /** The nearest allowed values, for "did you mean". */
  suggestions?: string[];
}

/** Turn one ajv error into a message in the user's words. */
function explain(error: ErrorObject, path: ValuePath, value: unknown, basePath: ValuePath, written: string | undefined): Explanation {
  const schema = error.parentSchema as JsonSchema | undefined;
  const name = fieldName(path);
  const got = shown(valueAt(value, path.slice(basePath.length)));
  const example = firstExample(schema);
  switch (error.keyword) {
    case "required": {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
      const what = properties[missing]?.description;
      const inside = path.length ? ` in ${name}` : "";
      return {
        rule: "schema-required",
        message: `\`${missing}\` is missing${inside}: add ${what ? `${what} as ` : ""}\`${missing}:\``,
        at: path,
        part: "value",
      };
    }
    case "additionalProperties": {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((schema?.properties ?? {}) as object);
      const suggestions = nearest(key, known);
      const hint = suggestions.length ? didYouMean(suggestions) : `known keys here: ${known.join(", ")}`;
      return { rule: "schema-unknown-key", message: `unknown key \`${key}\`: ${hint}`, at: [...path, key], part: "key", suggestions };
    }
    case "type": {
      const types = ([] as string[]).concat((error.params as { type: string | string[] }).type);
      const actual = valueAt(value, path.slice(basePath.length));
      // YAML reads 4.1, 2017 or true as numbers and booleans; quoting keeps what was written.
      const hint =
        types.includes("string") && (typeof actual === "number" || typeof actual === "boolean")
          ? ` (YAML read it as a ${typeof actual}: write it in quotes, "${written ?? String(actual)}")`
          : "";
      return {
        rule: "schema-type",
        message: `${name} must be ${types.map(typeWords).join(" or ")}, got ${got}${hint}`,
        at: path,
        part: "value",
      };
    }
    case "format":
      return {
        rule: "schema-format",
        message: `${name} must be a real date like ${example ?? "2018-01-31"}, got ${got}`,
        at: path,
        part: "value",
      };
    case "pattern":
      return {
        rule: "schema-pattern",
        message: `${name} must look like ${example ?? `/${(error.params as { pattern: string }).pattern}/`}, got ${got}`,
        at: path,
        part: "value",
      };
    case "enum": {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const given = valueAt(value, path.slice(basePath.length));
      const suggestions = typeof given === "string" ? nearest(given, allowed) : [];
      const hint = suggestions.length ? ` (${didYouMean(suggestions)})` : "";
      return {
        rule: "schema-enum",
        message: `${name} must be one of ${allowed.join(", ")}; got ${got}${hint}`,
        at: path,
        part: "value",
        suggestions,
      };
    }
    case "minLength":
      return { rule: "schema-empty", message: `${name} must not be empty`, at: path, part: "value" };
    case "minItems": {
      const limit = (error.params as { limit: number }).limit;
      return {
        rule: "schema-empty",
        message: `${name} must list at least ${limit} ${limit === 1 ? "entry" : "entries"}`,
        at: path,
        part: "value",
      };
    }
    case "minimum":
    case "maximum": {
      const { comparison, limit } = error.params as { comparison: string; limit: number };
      const words: Record<string, string> = { "<=": "at most", ">=": "at least", "<": "less than", ">": "more than" };
      return {
        rule: "schema-range",
        message: `${name} must be ${words[comparison] ?? comparison} ${limit}, got ${got}`,
        at: path,
        part: "value",
      };
    }
    default:
      return { rule: "schema", message: `${name} is not valid: ${error.message ?? error.keyword}`, at: path, part: "value" };
  }
}

/**
 * A date written another common way (2018/01/31, 2018.1.31, 2018-1-31) as YYYY-MM-DD, when it is a
 * real date; undefined otherwise. Day-first and month-first forms are ambiguous and never guessed.
 */
export function looseDate(value: unknown): string | undefined {
  const match = typeof value === "string" ? /^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*$/.exec(value) : null;
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${match[1]}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** How a field is named in a message: its key, or its place in a list. */
function fieldName(path: ValuePath): string {
  const last = path[path.length - 1];
  if (last === undefined) return "the file";
  if (typeof last === "number") {
    const list = path[path.length - 2];
    return `entry ${last + 1} of \`${String(list)}\``;
  }
  return `\`${last}\``;
}

function valueAt(value: unknown, path: ValuePath): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function shown(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a set of keys";
  const text = String(value);
  // Invisible characters (a stray carriage return, a tab) are shown escaped, or the message would lie.
  return /[\u0000-\u001f\u007f\u00a0\u200b\ufeff]/u.test(text) ? `\`${JSON.stringify(text).slice(1, -1)}\`` : `\`${text}\``;
}

function typeWords(type: string): string {
  const words: Record<string, string> = {
    string: "text",
    array: "a list",
    object: "a set of `key: value` lines",
    integer: "a whole number",
    number: "a number",
    boolean: "true or false",
  };
  return words[type] ?? type;
}

function firstExample(schema: JsonSchema | undefined): string | undefined {
  const examples = schema?.examples;
  return Array.isArray(examples) && examples.length ? String(examples[0]) : undefined;
}
