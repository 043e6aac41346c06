/** Parse fragment Markdown (CommonMark + GFM) into an mdast tree, once per fragment. */
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkGfm from "remark-gfm";
import type { Root } from "mdast";

const parser = unified().use(remarkParse).use(remarkGfm).freeze();

/**
 * Parse Markdown that starts at line `firstLine` of its file, so that every node's position is
 * a position in the file, not in the extract.
 */
export function parseMarkdown(markdown: string, firstLine = 1): Root {
  // Blank lines in front keep positions file-relative and change nothing in the Markdown.
  const padded = "\n".repeat(Math.max(0, firstLine - 1)) + markdown;
  // Running the attacher-configured parser alone does not run transformers, which we have none of.
  return parser.runSync(parser.parse(padded)) as Root;
}

/**
 * Parsed Markdown kept between runs (the archive keeps each month's): `parse` hands back the tree
 * `parseMarkdown(markdown, firstLine)` gives, parsing only what it does not keep. Each call gets a
 * tree of its own, which its caller may change.
 */
export interface MarkdownTrees {
  parse(markdown: string, firstLine: number): Root;
}
