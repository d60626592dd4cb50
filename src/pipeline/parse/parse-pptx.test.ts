import { describe, expect, it } from 'vitest';
import { makePptx, makeZip } from '../../../test/fixtures/documents.js';
import { parsePptx } from './parse-pptx.js';

describe('parsePptx', () => {
  it('reads slides in order: title as heading, bullets, text boxes, tables, notes; each block with its slide', async () => {
    const pptx = await makePptx({
      title: 'Quarterly review',
      slides: [
        { title: 'Results', bullets: ['Revenue up 12%', 'Costs flat'], notes: 'Thank the sales team.' },
        { title: 'By region', table: [['Region', 'Sales'], ['North', '10'], ['South', '20']], textBoxes: ['Source: finance'] },
        { textBoxes: ['A slide without a title'] },
      ],
    });
    const parsed = await parsePptx(pptx, 'review.pptx');
    expect(parsed.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Results', location: { slide: 1 } },
      { kind: 'list', text: '- Revenue up 12%\n- Costs flat', location: { slide: 1 } },
      { kind: 'heading', level: 2, text: 'Speaker notes', location: { slide: 1 } },
      { kind: 'paragraph', text: 'Thank the sales team.', location: { slide: 1 } },
      { kind: 'heading', level: 1, text: 'By region', location: { slide: 2 } },
      { kind: 'paragraph', text: 'Source: finance', location: { slide: 2 } },
      { kind: 'table', text: '| Region | Sales |\n| North | 10 |\n| South | 20 |', location: { slide: 2 } },
      { kind: 'paragraph', text: 'A slide without a title', location: { slide: 3 } },
    ]);
    expect(parsed.title).toBe('Quarterly review');
    expect(parsed.metadata).toMatchObject({ slides: '3' });
  });

  it('follows presentation order rather than slide file names', async () => {
    const slide = (text: string) =>
      `<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree><p:sp><p:nvSpPr><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr><p:txBody><a:p><a:r><a:t>${text}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>`;
    const pptx = await makeZip({
      'ppt/presentation.xml': '<p:presentation xmlns:p="p" xmlns:r="r"><p:sldIdLst><p:sldId id="256" r:id="rId2"/><p:sldId id="257" r:id="rId1"/></p:sldIdLst></p:presentation>',
      'ppt/_rels/presentation.xml.rels':
        '<Relationships><Relationship Id="rId1" Type="x/slide" Target="slides/slide1.xml"/><Relationship Id="rId2" Type="x/slide" Target="/ppt/slides/slide2.xml"/></Relationships>',
      'ppt/slides/slide1.xml': slide('Second'),
      'ppt/slides/slide2.xml': slide('First &amp; foremost'),
    });
    const parsed = await parsePptx(pptx, 'ordered.pptx');
    expect(parsed.blocks.map((block) => [block.text, block.location?.slide])).toEqual([
      ['First & foremost', 1],
      ['Second', 2],
    ]);
    expect(parsed.title).toBe('First & foremost');
  });

  it('takes the largest short text box as the title of a slide without a title placeholder', async () => {
    const box = (text: string, size: number) =>
      `<p:sp><p:nvSpPr><p:nvPr/></p:nvSpPr><p:txBody><a:p><a:r><a:rPr sz="${size}"/><a:t>${text}</a:t></a:r></a:p></p:txBody></p:sp>`;
    const pptx = await makeZip({
      'ppt/presentation.xml': '<p:presentation xmlns:p="p" xmlns:r="r"><p:sldIdLst><p:sldId id="256" r:id="rId1"/><p:sldId id="257" r:id="rId2"/></p:sldIdLst></p:presentation>',
      'ppt/_rels/presentation.xml.rels':
        '<Relationships><Relationship Id="rId1" Type="x/slide" Target="slides/slide1.xml"/><Relationship Id="rId2" Type="x/slide" Target="slides/slide2.xml"/></Relationships>',
      'ppt/slides/slide1.xml': `<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree>${box('Subtitle line', 1800)}${box('Laptop requests', 3600)}</p:spTree></p:cSld></p:sld>`,
      'ppt/slides/slide2.xml': `<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree>${box('Small print', 1200)}${box('More small print', 1200)}</p:spTree></p:cSld></p:sld>`,
    });
    const parsed = await parsePptx(pptx, 'boxes.pptx');
    expect(parsed.blocks.map((block) => [block.kind, block.text, block.location?.slide])).toEqual([
      ['paragraph', 'Subtitle line', 1],
      ['heading', 'Laptop requests', 1],
      ['paragraph', 'Small print', 2],
      ['paragraph', 'More small print', 2],
    ]);
    expect(parsed.title).toBe('Laptop requests');
  });

  it('reports a package without a presentation part as corrupt', async () => {
    await expect(parsePptx(await makeZip({ 'ppt/slides/slide1.xml': '<x/>' }), 'broken.pptx')).rejects.toMatchObject({ code: 'file_corrupt' });
  });
});
