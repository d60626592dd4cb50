import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Answer, Citation } from '../../src/core/answer.js';
import type { AnswerEngine, Question } from '../../src/core/answer-engine.js';
import type { DocumentFiles, OpenedDocumentFile } from '../../src/chat/web/document-files.js';
import { createWebServer } from '../../src/chat/web/web-server.js';

/**
 * The web chat in a real browser: Debian's chromium driven by playwright-core against the
 * real server on an ephemeral port. Only the answer engine and the file store are fakes.
 */
const chromiumPath = '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
// These flags keep chromium from reaching the internet (see shared/DESIGN.md).
const chromiumArguments = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
const outputDirectory = join(process.cwd(), 'test-output');

if (!hasChromium) {
  console.warn(`Skipping the web chat browser tests: ${chromiumPath} is missing (install it with: apt-get install -y chromium).`);
}

const leavePolicy: Citation = {
  number: 1,
  documentId: 'folder:handbook/leave-policy.pdf',
  chunkId: 'folder:handbook/leave-policy.pdf#4',
  title: 'Leave Policy 2024',
  uri: 'handbook/leave-policy.pdf',
  location: { page: 3 },
  headingPath: ['Annual leave'],
  locationLabel: 'page 3',
  excerpt:
    'Full-time employees accrue 15 working days of paid annual leave per calendar year. Leave accrues monthly and may be taken once accrued, subject to manager approval.',
};

const carryOver: Citation = {
  number: 2,
  documentId: 'folder:handbook/employee-handbook.docx',
  chunkId: 'folder:handbook/employee-handbook.docx#17',
  title: 'Employee Handbook',
  uri: 'handbook/employee-handbook.docx',
  location: {},
  headingPath: ['Time off', 'Carrying leave over'],
  locationLabel: 'Time off › Carrying leave over',
  excerpt: 'Up to 5 unused days may be carried over into the next year; they must be used by 31 March or they lapse.',
};

const parkingGuide: Citation = {
  number: 1,
  documentId: 'folder:facilities/office-guide.pptx',
  chunkId: 'folder:facilities/office-guide.pptx#2',
  title: 'Office Guide',
  uri: 'facilities/office-guide.pptx',
  location: { slide: 7 },
  headingPath: ['Getting here'],
  locationLabel: 'slide 7',
  excerpt: 'The office is a ten-minute walk from Central Station. Bicycle racks are available in the basement.',
};

const koreanPolicy: Citation = {
  number: 1,
  documentId: 'folder:handbook/휴가-규정.pdf',
  chunkId: 'folder:handbook/휴가-규정.pdf#1',
  title: '휴가 규정',
  uri: 'handbook/휴가-규정.pdf',
  location: { page: 2 },
  headingPath: ['연차 휴가'],
  locationLabel: 'page 2',
  excerpt: '1년간 80퍼센트 이상 출근한 근로자에게는 15일의 유급휴가를 주어야 한다.',
};

function answer(question: string, fields: Pick<Answer, 'text' | 'citations'> & Partial<Answer>): Answer {
  return {
    question,
    notFound: false,
    sentences: [{ text: fields.text, citations: fields.citations.map((citation) => citation.number) }],
    generator: 'extractive',
    elapsedMs: 840,
    ...fields,
  };
}

/** Implements the real interface; answers by topic and records what it was asked. */
class ScriptedAnswerEngine implements AnswerEngine {
  readonly questions: Question[] = [];
  /** When set, answers wait for it, so the test can see the waiting state. */
  gate: Promise<void> | undefined;

  async ask(question: Question): Promise<Answer> {
    this.questions.push(structuredClone(question));
    if (this.gate) await this.gate;
    const text = question.text.toLowerCase();
    if (text.includes('crash')) throw new Error('model process died: /srv/models/secret.gguf');
    if (text.includes('parking')) {
      return answer(question.text, {
        notFound: true,
        text: 'I could not find an answer to this in the indexed documents.',
        citations: [parkingGuide],
        elapsedMs: 610,
      });
    }
    if (text.includes('연차')) {
      return answer(question.text, {
        text: '1년간 80% 이상 출근한 근로자에게는 15일의 유급 연차 휴가가 주어집니다 [1].',
        citations: [koreanPolicy],
        generator: 'qwen2.5-3b-instruct-q4_k_m',
        elapsedMs: 2310,
      });
    }
    return answer(question.text, {
      text:
        'Full-time employees get 15 working days of paid annual leave per calendar year, accrued monthly [1]. ' +
        'Up to 5 unused days can be carried over, but they must be used by 31 March [2].',
      citations: [leavePolicy, carryOver],
    });
  }
}

class SingleFileDocuments implements DocumentFiles {
  constructor(private readonly files: Map<string, OpenedDocumentFile>) {}

  async open(documentId: string, principals: string[]): Promise<OpenedDocumentFile | undefined> {
    if (!principals.includes('everyone')) return undefined;
    return this.files.get(documentId);
  }
}

describe.skipIf(!hasChromium)(`web chat in a real browser${hasChromium ? '' : ` (skipped: ${chromiumPath} is missing)`}`, () => {
  let directory: string;
  let engine: ScriptedAnswerEngine;
  let app: FastifyInstance;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  let browserProblems: string[];

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'docent-web-e2e-'));
    await mkdir(outputDirectory, { recursive: true });
    const pdfPath = join(directory, 'leave-policy.pdf');
    await writeFile(pdfPath, '%PDF-1.4\n% fake leave policy\n');
    engine = new ScriptedAnswerEngine();
    app = await createWebServer({
      engine,
      documents: new SingleFileDocuments(new Map([[leavePolicy.documentId, { filePath: pdfPath, name: 'leave-policy.pdf' }]])),
      readiness: async () => ({ ready: true, checks: {} }),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArguments });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  beforeEach(async () => {
    engine.questions.length = 0;
    engine.gate = undefined;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    page = await context.newPage();
    browserProblems = [];
    // A blocked inline script or style (CSP) or any script error shows up here.
    page.on('console', (message) => {
      if (message.type() === 'error') browserProblems.push(message.text());
    });
    page.on('pageerror', (error) => browserProblems.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith(baseUrl)) browserProblems.push(`request left the server: ${request.url()}`);
    });
    await page.goto(baseUrl);
    return async () => {
      await context.close();
    };
  });

  async function askQuestion(question: string): Promise<void> {
    const input = page.getByRole('textbox', { name: 'Your question' });
    await input.fill(question);
    await input.press('Enter');
  }

  it('opens on a welcome message with the question box focused', async () => {
    expect(await page.title()).toBe('Docent · Ask your documents');
    expect(await page.getByRole('heading', { name: 'What would you like to know?' }).isVisible()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Your question' }).evaluate((element) => element.ownerDocument.activeElement === element)).toBe(true);
    await page.screenshot({ path: join(outputDirectory, 'web-chat-welcome.png') });
    expect(browserProblems).toEqual([]);
  });

  it('answers a question with clickable citations and links to the original files', async () => {
    let release: () => void = () => undefined;
    engine.gate = new Promise((resolve) => {
      release = resolve;
    });
    await askQuestion('How many days of annual leave do I get?');

    // While the engine works, the question is shown and a searching indicator is visible.
    await expect.poll(() => page.locator('.message-question').textContent()).toBe('How many days of annual leave do I get?');
    await page.getByRole('status').filter({ hasText: 'Searching the documents…' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Your question' }).inputValue()).toBe('');
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await page.screenshot({ path: join(outputDirectory, 'web-chat-searching.png') });
    release();

    const answer = page.locator('.message-answer').last();
    await answer.waitFor();
    expect(await page.getByRole('status').count()).toBe(0);
    expect(await answer.locator('.answer-text').textContent()).toBe(
      'Full-time employees get 15 working days of paid annual leave per calendar year, accrued monthly [1]. ' +
        'Up to 5 unused days can be carried over, but they must be used by 31 March [2].',
    );

    // [1] is a link to the first source entry, which holds its title, place and excerpt.
    const marker = answer.locator('a.citation-marker', { hasText: '[1]' });
    const target = await marker.getAttribute('href');
    expect(target).toMatch(/^#answer-\d+-source-1$/);
    const entry = page.locator(target ?? '#missing');
    expect(await entry.locator('.source-link').textContent()).toBe('Leave Policy 2024');
    expect(await entry.locator('.source-location').textContent()).toBe('page 3');
    expect(await entry.locator('.source-excerpt').textContent()).toContain('15 working days of paid annual leave');
    await marker.click();
    await expect.poll(() => entry.evaluate((element) => element.classList.contains('source-highlighted'))).toBe(true);
    expect(await entry.evaluate((element) => element.ownerDocument.activeElement === element)).toBe(true);

    // Source links open the original: a PDF at the cited page, other files as they are.
    const sources = answer.locator('.source-link');
    expect(await sources.count()).toBe(2);
    const pdfHref = await sources.nth(0).getAttribute('href');
    expect(pdfHref).toBe(`/files/${encodeURIComponent(leavePolicy.documentId)}#page=3`);
    expect(await sources.nth(0).getAttribute('target')).toBe('_blank');
    expect(await sources.nth(1).getAttribute('href')).toBe(`/files/${encodeURIComponent(carryOver.documentId)}`);
    const opened = await page.evaluate(async (href) => {
      const response = await fetch(href);
      return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
    }, pdfHref ?? '');
    expect(opened).toEqual({ status: 200, type: 'application/pdf', body: '%PDF-1.4\n% fake leave policy\n' });

    expect(await answer.locator('.generator-note').textContent()).toBe('Extractive answer: quoted from the sources · 0.8 s');
    expect(engine.questions[0]?.asker).toEqual({ id: 'web:anonymous', principals: ['everyone'] });

    // A follow-up carries the conversation to the engine.
    await askQuestion('연차 휴가는 며칠인가요?');
    await page.locator('.message-answer').nth(1).waitFor();
    expect(engine.questions[1]?.history).toEqual([
      {
        question: 'How many days of annual leave do I get?',
        answer:
          'Full-time employees get 15 working days of paid annual leave per calendar year, accrued monthly [1]. ' +
          'Up to 5 unused days can be carried over, but they must be used by 31 March [2].',
      },
    ]);
    const korean = page.locator('.message-answer').nth(1);
    expect(await korean.locator('.answer-text').getAttribute('lang')).toBe('ko');
    expect(await korean.locator('.generator-note').textContent()).toBe('Answered by qwen2.5-3b-instruct-q4_k_m · 2.3 s');
    expect(await korean.locator('.source-link').getAttribute('href')).toBe(`/files/${encodeURIComponent(koreanPolicy.documentId)}#page=2`);

    await page.screenshot({ path: join(outputDirectory, 'web-chat.png') });
    expect(browserProblems).toEqual([]);
  });

  it('shows a not-found answer with its message and the closest sources', async () => {
    await askQuestion('Is there parking at the office?');
    const answer = page.locator('.message-answer');
    await answer.waitFor();
    expect(await answer.getAttribute('class')).toContain('message-not-found');
    expect(await answer.locator('.not-found-banner').textContent()).toContain('Not found in the indexed documents.');
    expect(await answer.locator('.answer-text').textContent()).toBe('I could not find an answer to this in the indexed documents.');
    expect(await answer.locator('.sources-title').textContent()).toBe('Closest sources');
    const source = answer.locator('.source');
    expect(await source.count()).toBe(1);
    expect(await source.locator('.source-link').textContent()).toBe('Office Guide');
    expect(await source.locator('.source-link').getAttribute('href')).toBe(`/files/${encodeURIComponent(parkingGuide.documentId)}`);
    expect(await source.locator('.source-location').textContent()).toBe('slide 7');
    await page.screenshot({ path: join(outputDirectory, 'web-chat-not-found.png') });
    expect(browserProblems).toEqual([]);
  });

  it('keeps Shift+Enter as a new line and shows errors inline without internals', async () => {
    const input = page.getByRole('textbox', { name: 'Your question' });
    await input.fill('First line');
    await input.press('Shift+Enter');
    await input.pressSequentially('crash please');
    expect(await input.inputValue()).toBe('First line\ncrash please');
    expect(engine.questions).toHaveLength(0);

    await page.getByRole('button', { name: 'Send' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.locator('.error-text').textContent()).toBe('Sorry, something went wrong while answering. Please try again.');
    expect(await page.content()).not.toContain('secret.gguf');
    expect(engine.questions[0]?.text).toBe('First line\ncrash please');
    // The server's 500 is logged by the browser as a failed resource; nothing else may be.
    expect(browserProblems.filter((problem) => !problem.includes('500'))).toEqual([]);
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 780 });
    await askQuestion('How many days of annual leave do I get?');
    await page.locator('.message-answer').waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBe(0);
    await page.screenshot({ path: join(outputDirectory, 'web-chat-phone.png') });
  });
});
