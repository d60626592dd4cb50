import { XMLParser } from 'fast-xml-parser';

/**
 * A small ordered XML tree for the Office Open XML parts read here. Order matters in
 * documents (runs of text, shapes on a slide), so fast-xml-parser runs in its
 * order-preserving mode and its output is turned into plain elements. Names are matched
 * by local name, because generators differ in the namespace prefixes they use.
 */
export interface XmlElement {
  /** Qualified name as written, e.g. `a:t`. */
  name: string;
  /** Name without its namespace prefix, e.g. `t`. */
  localName: string;
  attributes: Record<string, string>;
  children: XmlChild[];
}

export type XmlChild = XmlElement | string;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Spaces between runs are real text (" Wu, Gagan" after "Qingyun").
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  // Also decodes numeric character references, which the XML-only mode leaves as is.
  htmlEntities: true,
});

type OrderedNode = Record<string, unknown>;

/** Parses XML text into its top-level elements (processing instructions left out). */
export function parseXml(xml: string): XmlElement[] {
  const nodes = parser.parse(xml) as OrderedNode[];
  return convertNodes(nodes).filter((child): child is XmlElement => typeof child !== 'string');
}

function convertNodes(nodes: readonly OrderedNode[]): XmlChild[] {
  const children: XmlChild[] = [];
  for (const node of nodes) {
    for (const [key, value] of Object.entries(node)) {
      if (key === ':@') continue;
      if (key === '#text') {
        children.push(String(value));
        continue;
      }
      if (key.startsWith('?') || key.startsWith('!')) continue;
      const attributes = (node[':@'] ?? {}) as Record<string, unknown>;
      children.push({
        name: key,
        localName: key.slice(key.indexOf(':') + 1),
        attributes: Object.fromEntries(Object.entries(attributes).map(([name, attribute]) => [name, String(attribute)])),
        children: Array.isArray(value) ? convertNodes(value as OrderedNode[]) : [],
      });
    }
  }
  return children;
}

/** The element's child elements, optionally only those with the given local name. */
export function childElements(element: XmlElement, localName?: string): XmlElement[] {
  return element.children.filter((child): child is XmlElement => typeof child !== 'string' && (localName === undefined || child.localName === localName));
}

export function firstChild(element: XmlElement | undefined, localName: string): XmlElement | undefined {
  return element === undefined ? undefined : childElements(element, localName)[0];
}

/** Follows a path of local names through first children: `path(shape, 'nvSpPr', 'nvPr', 'ph')`. */
export function path(element: XmlElement | undefined, ...localNames: string[]): XmlElement | undefined {
  let current = element;
  for (const name of localNames) current = firstChild(current, name);
  return current;
}

/** All descendant elements with the given local name, in document order. */
export function descendants(element: XmlElement, localName: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (current: XmlElement): void => {
    for (const child of current.children) {
      if (typeof child === 'string') continue;
      if (child.localName === localName) found.push(child);
      visit(child);
    }
  };
  visit(element);
  return found;
}

/** All text inside an element, in order. */
export function textContent(element: XmlElement): string {
  return element.children.map((child) => (typeof child === 'string' ? child : textContent(child))).join('');
}
