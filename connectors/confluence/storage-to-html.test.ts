import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/pipeline/parse/parse-document.js';
import { pageHtml } from './page-html.js';
import { prepareForHtmlParser, storageToHtml } from './storage-to-html.js';

const fixture = readFileSync(new URL('./fixtures/storage-format-page.xhtml', import.meta.url), 'utf8');

describe('storageToHtml', () => {
  it('turns CDATA into text and self-closing resource elements into closed ones', () => {
    expect(prepareForHtmlParser('<ac:plain-text-body><![CDATA[a < b && c]]></ac:plain-text-body>')).toBe('<ac:plain-text-body>a &lt; b &amp;&amp; c</ac:plain-text-body>');
    expect(prepareForHtmlParser('<ri:page ri:content-title="A/B &gt; C" />x')).toBe('<ri:page ri:content-title="A/B &gt; C"></ri:page>x');
  });

  it('keeps what a reader sees of a real page and drops macro plumbing', async () => {
    const parsed = await parseDocument({ name: 'Runbook.html', content: pageHtml({ title: 'Release runbook', body: fixture, representation: 'storage', spaceName: 'Engineering' }) });
    expect(parsed.title).toBe('Release runbook');
    expect(parsed.blocks.map((block) => [block.kind, block.text])).toEqual([
      ['heading', 'Release runbook'],
      ['paragraph', 'Releases go out on Tuesdays. Ask in Release channel before starting, or read the old process.'],
      ['paragraph', 'Freeze window'],
      ['paragraph', 'No releases during the December freeze.'],
      ['heading', 'Steps'],
      ['list', '1. Tag the build REQUIRED\n2. Run the deploy script: deploy.sh ./deploy.sh --env prod && echo "done <ok>"'],
      ['table', 'Owner: ann; Due: 2024-05-07'],
      ['list', '- Tell support about OPS-42'],
      ['paragraph', 'Questions go to the on-call engineer.'],
    ]);
    expect(parsed.metadata?.siteName).toBe('Engineering');
  });

  it('keeps the body of unknown macros and drops those that list other content', () => {
    const html = storageToHtml(
      '<ac:structured-macro ac:name="vendor-box"><ac:rich-text-body><p>Kept text</p></ac:rich-text-body></ac:structured-macro>' +
        '<ac:structured-macro ac:name="pagetree"><ac:parameter ac:name="root">Home</ac:parameter></ac:structured-macro>' +
        '<ac:structured-macro ac:name="noformat"><ac:plain-text-body><![CDATA[raw  text]]></ac:plain-text-body></ac:structured-macro>',
    );
    expect(html).toBe('<div><p>Kept text</p></div><div><pre><code>raw  text</code></pre></div>');
  });

  it('names a link by its target when it has no text of its own', () => {
    expect(storageToHtml('<p>See <ac:link><ri:attachment ri:filename="plan.pdf" /></ac:link> and <ac:link ac:anchor="top" /></p>')).toBe('<p>See plan.pdf and top</p>');
  });
});
