import { simpleParser, type AddressObject, type Attachment } from 'mailparser';
import type { EmbeddedFile, ParsedDocument } from '../../core/document.js';
import { BlockBuilder } from './block-builder.js';
import { cleanInlineText } from './clean-text.js';
import { parseHtmlString } from './parse-html.js';
import { addTextBlocks } from './parse-text.js';

// Extensions for attachments that arrive without a file name, so that format detection
// (which falls back on the name for text formats) and people reading reports both see
// what they are.
const extensionsByMediaType: Record<string, string> = {
  'message/rfc822': '.eml',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/csv': '.csv',
  'text/markdown': '.md',
  'text/calendar': '.ics',
  'application/pdf': '.pdf',
};

/**
 * Parses an e-mail message (.eml, RFC 822/MIME) with mailparser. The subject is the
 * title; sender, recipients and date go to metadata; the plain-text body becomes
 * paragraphs (or, for HTML-only mail, the HTML body goes through the HTML parser).
 * Every attachment, a forwarded message included, comes back in `attachments` to be
 * indexed as a document of its own; images that only decorate the HTML body (inline
 * `cid:` parts such as signature logos) are not attachments in that sense and are left out.
 */
export async function parseEmail(content: Uint8Array): Promise<ParsedDocument> {
  const mail = await simpleParser(Buffer.from(content.buffer, content.byteOffset, content.byteLength), {
    // The HTML body goes through this project's HTML parser instead, and nothing here
    // needs the HTML versions of text or data-URL images mailparser would build.
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    checksumAlgo: false,
  });

  const builder = new BlockBuilder();
  if (mail.text !== undefined && mail.text.trim() !== '') {
    addTextBlocks(builder, mail.text);
  } else if (typeof mail.html === 'string' && mail.html.trim() !== '') {
    builder.blocks.push(...parseHtmlString(mail.html, { mainContentOnly: false }).blocks);
  }

  const metadata: Record<string, string> = {};
  const addresses: Record<string, AddressObject | AddressObject[] | undefined> = { from: mail.from, to: mail.to, cc: mail.cc, replyTo: mail.replyTo };
  for (const [key, value] of Object.entries(addresses)) {
    const text = addressText(value);
    if (text !== '') metadata[key] = text;
  }
  if (mail.date instanceof Date && !Number.isNaN(mail.date.getTime())) metadata.date = mail.date.toISOString();
  if (mail.messageId !== undefined) metadata.messageId = mail.messageId;
  if (mail.inReplyTo !== undefined) metadata.inReplyTo = mail.inReplyTo;

  const attachments = mail.attachments.filter((attachment) => !isBodyDecoration(attachment)).map(toEmbeddedFile);
  const title = cleanInlineText(mail.subject ?? '');
  return {
    blocks: builder.blocks,
    metadata,
    ...(attachments.length > 0 ? { attachments } : {}),
    ...(title === '' ? {} : { title }),
  };
}

function addressText(value: AddressObject | AddressObject[] | undefined): string {
  if (value === undefined) return '';
  const list = Array.isArray(value) ? value : [value];
  return cleanInlineText(list.map((address) => address.text).join(', '));
}

function isBodyDecoration(attachment: Attachment): boolean {
  return attachment.related === true && attachment.contentType.startsWith('image/') && attachment.contentDisposition !== 'attachment';
}

function toEmbeddedFile(attachment: Attachment, index: number): EmbeddedFile {
  const mediaType = attachment.contentType.toLowerCase();
  const fallbackName = `attachment-${index + 1}${extensionsByMediaType[mediaType] ?? ''}`;
  const name = cleanInlineText(attachment.filename ?? '') || fallbackName;
  return { name, mediaType, content: new Uint8Array(attachment.content.buffer, attachment.content.byteOffset, attachment.content.byteLength) };
}
