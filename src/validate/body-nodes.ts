/** The nodes of a fragment's Markdown that validate's rules look at, found in one walk. */
import type { Code, Image, Root, Text } from "mdast";
import { visit } from "unist-util-visit";

export interface BodyNodes {
  texts: Text[];
  code: Code[];
  images: Image[];
}

const found = new WeakMap<Root, BodyNodes>();

/** The text, code and image nodes of `body`, in document order; one walk serves every rule. */
export function bodyNodes(body: Root): BodyNodes {
  let nodes = found.get(body);
  if (!nodes) {
    const collected: BodyNodes = { texts: [], code: [], images: [] };
    visit(body, (node) => {
      if (node.type === "text") collected.texts.push(node);
      else if (node.type === "code") collected.code.push(node);
      else if (node.type === "image") collected.images.push(node);
    });
    found.set(body, collected);
    nodes = collected;
  }
  return nodes;
}
