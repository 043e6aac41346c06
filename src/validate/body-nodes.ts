/** The nodes of a fragment's Markdown that validate's rules look at, found in one walk. */
import type { Code, Definition, Html, Image, ImageReference, Link, Root, Text } from "mdast";
import { visit } from "unist-util-visit";

export interface BodyNodes {
  texts: Text[];
  code: Code[];
  images: Image[];
  /** Images written by reference (`![plot][p]`), each with the definition that gives its URL. */
  imageReferences: { node: ImageReference; definition: Definition }[];
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
    const collected: BodyNodes = { texts: [], code: [], images: [], imageReferences: [], html: [], links: [] };
    const references: ImageReference[] = [];
    const definitions = new Map<string, Definition>();
    visit(body, (node) => {
      if (node.type === "text") collected.texts.push(node);
      else if (node.type === "code") collected.code.push(node);
      else if (node.type === "image") collected.images.push(node);
      else if (node.type === "imageReference") references.push(node);
      else if (node.type === "html") collected.html.push(node);
      else if (node.type === "link" || node.type === "definition") collected.links.push(node);
      // The first definition of a label is the one Markdown uses.
      if (node.type === "definition" && !definitions.has(node.identifier)) definitions.set(node.identifier, node);
    });
    for (const node of references) {
      const definition = definitions.get(node.identifier);
      if (definition) collected.imageReferences.push({ node, definition });
    }
    found.set(body, collected);
    nodes = collected;
  }
  return nodes;
}
