import type { Chunk } from '../core/chunk.js';
import type { Block, Location, ParsedDocument, SourceDocument } from '../core/document.js';
import { splitSentences } from './sentences.js';
import { countTokens } from './token-count.js';

export interface ChunkingOptions {
  /** Upper bound of a chunk's size in tokens (see countTokens). */
  maxTokens: number;
  /** Tokens of the previous chunk repeated at the start of the next one within a section. */
  overlapTokens: number;
}

/** The smallest piece the chunker moves around: a sentence, a table row or a code line. */
interface Unit {
  start: number;
  end: number;
  tokens: number;
  /** Index of the block the unit came from; chunks prefer to end at block boundaries. */
  block: number;
}

interface Section {
  headingPath: string[];
  location: Location;
  units: Unit[];
  /** Whether any non-heading block has joined the section yet. */
  hasBody: boolean;
}

const blockSeparator = '\n\n';

/** Text of the document as the chunk offsets refer to it: blocks joined by blank lines. */
export function documentText(parsed: ParsedDocument): string {
  return parsed.blocks.map((block) => block.text).join(blockSeparator);
}

export function documentTitle(parsed: ParsedDocument, fileName: string): string {
  const title = parsed.title?.trim() || parsed.blocks.find((block) => block.kind === 'heading')?.text.trim();
  return title || fileName.replace(/\.[^.]+$/, '');
}

function sameLocation(a: Location, b: Location): boolean {
  return a.page === b.page && a.slide === b.slide && a.sheet === b.sheet;
}

function unitsOf(block: Block, blockIndex: number, offset: number, maxTokens: number): Unit[] {
  // Tables and code keep their lines whole: a sentence splitter would glue rows together.
  const spans =
    block.kind === 'table' || block.kind === 'code' || block.kind === 'list'
      ? lineSpans(block.text)
      : splitSentences(block.text);
  const units: Unit[] = [];
  for (const span of spans) {
    const tokens = countTokens(span.text);
    if (tokens <= maxTokens) {
      units.push({ start: offset + span.start, end: offset + span.end, tokens, block: blockIndex });
      continue;
    }
    // A run-on sentence longer than a whole chunk is cut at word boundaries.
    const words = [...span.text.matchAll(/\S+/g)];
    let pieceStart = 0;
    let pieceTokens = 0;
    for (let index = 0; index < words.length; index++) {
      const word = words[index]!;
      const wordTokens = countTokens(word[0]);
      if (pieceTokens > 0 && pieceTokens + wordTokens > maxTokens) {
        const previous = words[index - 1]!;
        units.push({ start: offset + span.start + pieceStart, end: offset + span.start + previous.index + previous[0].length, tokens: pieceTokens, block: blockIndex });
        pieceStart = word.index;
        pieceTokens = 0;
      }
      pieceTokens += wordTokens;
    }
    if (pieceTokens > 0) units.push({ start: offset + span.start + pieceStart, end: offset + span.end, tokens: pieceTokens, block: blockIndex });
  }
  return units;
}

function lineSpans(text: string): { text: string; start: number; end: number }[] {
  const spans: { text: string; start: number; end: number }[] = [];
  let position = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed) {
      const start = position + line.indexOf(trimmed);
      spans.push({ text: trimmed, start, end: start + trimmed.length });
    }
    position += line.length + 1;
  }
  return spans;
}

/** Groups blocks into sections: a heading, or a new page, slide or sheet, starts one. */
function sectionsOf(parsed: ParsedDocument, maxTokens: number): Section[] {
  const sections: Section[] = [];
  const headings: { level: number; text: string }[] = [];
  let current: Section | undefined;
  let offset = 0;
  parsed.blocks.forEach((block, blockIndex) => {
    const location = block.location ?? {};
    if (current && !sameLocation(current.location, location)) current = undefined;
    if (block.kind === 'heading') {
      const level = block.level ?? 1;
      while (headings.length > 0 && headings[headings.length - 1]!.level >= level) headings.pop();
      headings.push({ level, text: block.text.trim() });
      // A heading directly under another heading joins its section instead of forming a chunk of titles.
      if (current && !current.hasBody) current.headingPath = headings.map((heading) => heading.text);
      else current = undefined;
    }
    if (!current) {
      current = { headingPath: headings.map((heading) => heading.text), location, units: [], hasBody: false };
      sections.push(current);
    }
    if (block.kind !== 'heading') current.hasBody = true;
    current.units.push(...unitsOf(block, blockIndex, offset, maxTokens));
    offset += block.text.length + blockSeparator.length;
  });
  return mergeSmallSections(sections.filter((section) => section.units.length > 0), maxTokens);
}

/**
 * Joins runs of short neighbouring sections on the same page, slide or sheet into one
 * section while together they stay under half a chunk: a two-line "Scope" and a
 * three-line "Exceptions" make one useful passage rather than two fragments that each
 * cost an embedding. The joined section keeps the headings the parts share.
 */
function mergeSmallSections(sections: Section[], maxTokens: number): Section[] {
  const tokensOf = (section: Section): number => section.units.reduce((sum, unit) => sum + unit.tokens, 0);
  const merged: Section[] = [];
  for (const section of sections) {
    const previous = merged[merged.length - 1];
    if (previous && sameLocation(previous.location, section.location) && tokensOf(previous) + tokensOf(section) <= maxTokens / 2) {
      let shared = 0;
      while (shared < previous.headingPath.length && previous.headingPath[shared] === section.headingPath[shared]) shared++;
      previous.headingPath = previous.headingPath.slice(0, shared);
      previous.units.push(...section.units);
      continue;
    }
    merged.push({ ...section, units: [...section.units] });
  }
  return merged;
}

/** Packs a section's units greedily, ending chunks at block boundaries when they are well filled. */
function packSection(section: Section, options: ChunkingOptions): Unit[][] {
  const groups: Unit[][] = [];
  let current: Unit[] = [];
  let tokens = 0;
  const flush = (): void => {
    groups.push(current);
    // Carry the tail of this chunk into the next one so a fact split across the boundary stays findable.
    const overlap: Unit[] = [];
    let overlapTokens = 0;
    for (let index = current.length - 1; index > 0; index--) {
      const unit = current[index]!;
      if (overlapTokens + unit.tokens > options.overlapTokens) break;
      overlap.unshift(unit);
      overlapTokens += unit.tokens;
    }
    current = overlap;
    tokens = overlapTokens;
  };
  section.units.forEach((unit, index) => {
    const startsBlock = index > 0 && section.units[index - 1]!.block !== unit.block;
    const blockTokens = startsBlock ? remainingBlockTokens(section.units, index) : 0;
    const wouldOverflow = tokens + unit.tokens > options.maxTokens;
    const betterAtBoundary = startsBlock && tokens >= options.maxTokens * 0.6 && tokens + blockTokens > options.maxTokens;
    if (current.length > 0 && (wouldOverflow || betterAtBoundary)) {
      flush();
      // After a block boundary the previous paragraph's tail is context, not overlap worth its cost.
      if (startsBlock) {
        current = [];
        tokens = 0;
      }
      while (current.length > 0 && tokens + unit.tokens > options.maxTokens) tokens -= current.shift()!.tokens;
    }
    current.push(unit);
    tokens += unit.tokens;
  });
  if (current.length > 0 && (groups.length === 0 || current.some((unit) => !groups[groups.length - 1]!.includes(unit)))) groups.push(current);
  return groups;
}

function remainingBlockTokens(units: Unit[], from: number): number {
  let tokens = 0;
  for (let index = from; index < units.length && units[index]!.block === units[from]!.block; index++) tokens += units[index]!.tokens;
  return tokens;
}

export interface ChunkedDocument {
  title: string;
  text: string;
  chunks: Chunk[];
}

/**
 * Cuts a parsed document into chunks that follow its structure: never across a heading,
 * page, slide or sheet; preferably at paragraph ends; within `maxTokens`; with overlap
 * inside long sections. Each chunk records where it came from so a citation can point
 * back to the exact place.
 */
export function chunkDocument(source: SourceDocument, parsed: ParsedDocument, contentHash: string, options: ChunkingOptions): ChunkedDocument {
  const text = documentText(parsed);
  const title = documentTitle(parsed, source.name);
  const chunks: Chunk[] = [];
  for (const section of sectionsOf(parsed, options.maxTokens)) {
    for (const group of packSection(section, options)) {
      const startOffset = group[0]!.start;
      const endOffset = group[group.length - 1]!.end;
      const chunk: Chunk = {
        id: `${source.id}#${chunks.length}`,
        documentId: source.id,
        sourceId: source.sourceId,
        ordinal: chunks.length,
        title,
        uri: source.uri,
        headingPath: section.headingPath,
        location: section.location,
        startOffset,
        endOffset,
        text: text.slice(startOffset, endOffset),
        tokenCount: group.reduce((sum, unit) => sum + unit.tokens, 0),
        access: source.access,
        contentHash,
      };
      if (source.modifiedAt) chunk.modifiedAt = source.modifiedAt;
      chunks.push(chunk);
    }
  }
  return { title, text, chunks };
}
