import type JSZip from 'jszip';
import { cleanInlineText } from './clean-text.js';
import { childElements, parseXml, textContent } from './xml-tree.js';

// Dublin Core and Office property names in docProps/core.xml, and the metadata keys
// they are reported under.
const coreProperties: Record<string, string> = {
  title: 'title',
  subject: 'subject',
  creator: 'author',
  keywords: 'keywords',
  description: 'description',
  lastModifiedBy: 'lastModifiedBy',
  created: 'created',
  modified: 'modified',
  category: 'category',
};

/**
 * Reads the document properties every Office Open XML file carries in
 * docProps/core.xml (title, author, dates). Missing or malformed properties yield an
 * empty record: they are a nicety, never a reason to fail a document.
 */
export async function readCoreProperties(zip: JSZip): Promise<Record<string, string>> {
  const entry = zip.file('docProps/core.xml');
  if (entry === null) return {};
  try {
    const root = parseXml(await entry.async('string'))[0];
    if (root === undefined) return {};
    const properties: Record<string, string> = {};
    for (const element of childElements(root)) {
      const key = coreProperties[element.localName];
      const value = cleanInlineText(textContent(element));
      if (key !== undefined && value !== '') properties[key] = value;
    }
    return properties;
  } catch {
    return {};
  }
}
