/** The nodes of a fragment's Markdown that validate's rules look at, found in one walk. */
import type { Code, Definition, Html, Image, Link, Root, Text } from "mdast";
import { visit } from "unist-util-visit";

export interface BodyNodes {
  texts: Text[];
  code: Code[];
  images: Image[];
  /** Raw HTML, inline or block. */
  html: Html[];
  /** Links, and the definitions of reference links. */
  links: (Link | Definition)[];
}

const found = new WeakMap<Root, BodyNodes>();

/** The text, code, image, HTML and link nodes of `body`, in document order; one walk serves every rule. */
export function bodyNodes(body: Root): BodyNodes {
  let nodes = found.get(body);
  if (!nodes) {
    const collected: BodyNodes = { texts: [], code: [], images: [], html: [], links: [] };
    visit(body, (node) => {
      if (node.type === "text") collected.texts.push(node);
      else if (node.type === "code") collected.code.push(node);
      else if (node.type === "image") collected.images.push(node);
      else if (node.type === "html") collected.html.push(node);
      else if (node.type === "link" || node.type === "definition") collected.links.push(node);
    });
    found.set(body, collected);
    nodes = collected;
  }
  return nodes;
}
