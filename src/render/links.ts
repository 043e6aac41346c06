/** Turn ticket keys and document handles in text into links, by the configured patterns. */
import type { Link, Root } from "mdast";
import { findAndReplace, type ReplaceFunction } from "mdast-util-find-and-replace";
import type { LinkRule } from "../core/model.js";

/** Link every match of the rules in `tree`'s text, except inside links, code and headings. */
export function linkReferences(tree: Root, rules: readonly LinkRule[]): void {
  if (!rules.length) return;
  findAndReplace(
    tree,
    rules.map((rule) => {
      const replace: ReplaceFunction = (...args: unknown[]) => {
        // The last argument is the match object; before it, the matched text and its groups.
        const groups = args.slice(0, -1).map((value) => (value === undefined ? "" : String(value)));
        const link: Link = { type: "link", url: expandUrl(rule.url, groups), children: [{ type: "text", value: groups[0]! }] };
        return link;
      };
      return [new RegExp(rule.pattern.source, rule.pattern.flags), replace] as const;
    }),
    { ignore: ["link", "linkReference", "heading", "inlineCode", "code"] },
  );
}

/** The URL of a match: `{0}` is the matched text, `{1}`... its groups, each URL-encoded. */
export function expandUrl(template: string, groups: readonly string[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = groups[Number(index)];
    return value === undefined ? whole : encodeURIComponent(value);
  });
}
