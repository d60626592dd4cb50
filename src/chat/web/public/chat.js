// Docent web chat. Plain browser JavaScript, no framework and no build step.
// Every piece of answer text is written with textContent: documents are not trusted HTML.

/**
 * @typedef {{ page?: number, slide?: number, sheet?: string }} SourceLocation
 * @typedef {{ number: number, documentId: string, chunkId: string, title: string, uri: string,
 *   location: SourceLocation, headingPath: string[], locationLabel: string, excerpt: string }} Citation
 * @typedef {{ question: string, notFound: boolean, text: string, citations: Citation[],
 *   generator: string, notice?: string, elapsedMs: number, conversationId: string, id?: string }} AskResponse
 */

const maxQuestionLength = 2000;
const hangul = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;

const elements = {
  conversation: /** @type {HTMLElement} */ (document.getElementById('conversation')),
  messages: /** @type {HTMLElement} */ (document.getElementById('messages')),
  welcome: /** @type {HTMLElement} */ (document.getElementById('welcome')),
  form: /** @type {HTMLFormElement} */ (document.getElementById('ask-form')),
  input: /** @type {HTMLTextAreaElement} */ (document.getElementById('question')),
  send: /** @type {HTMLButtonElement} */ (document.getElementById('send')),
  newConversation: /** @type {HTMLButtonElement} */ (document.getElementById('new-conversation')),
  characterCount: /** @type {HTMLElement} */ (document.getElementById('character-count')),
};

const state = {
  /** @type {string | undefined} */
  conversationId: undefined,
  busy: false,
  /** Numbers answers so that source anchors are unique on the page. */
  answerCount: 0,
  /** Bumped by "New conversation" so a late answer to an abandoned one is dropped. */
  generation: 0,
};

/**
 * Creates an element with optional class and text. Text goes through textContent only.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {{ className?: string, text?: string }} [options]
 * @returns {HTMLElementTagNameMap[K]}
 */
function create(tag, options = {}) {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.text !== undefined) {
    element.textContent = options.text;
    markLanguage(element, options.text);
  }
  return element;
}

/** Korean text gets lang="ko" so the browser picks Korean glyphs and line breaking. */
function markLanguage(/** @type {HTMLElement} */ element, /** @type {string} */ text) {
  if (hangul.test(text)) element.lang = 'ko';
}

function scrollToBottom() {
  elements.conversation.scrollTop = elements.conversation.scrollHeight;
}

function hideWelcome() {
  elements.welcome.hidden = true;
}

/** @param {string} text */
function renderQuestion(text) {
  hideWelcome();
  const message = create('article', { className: 'message message-question' });
  message.setAttribute('aria-label', 'You asked');
  message.append(create('p', { className: 'message-question-text', text }));
  elements.messages.append(message);
  scrollToBottom();
}

function renderSearching() {
  const message = create('article', { className: 'message message-pending' });
  message.setAttribute('role', 'status');
  const dots = create('span', { className: 'typing-dots' });
  dots.setAttribute('aria-hidden', 'true');
  dots.append(create('span'), create('span'), create('span'));
  message.append(dots, create('span', { text: 'Searching the documents…' }));
  elements.messages.append(message);
  scrollToBottom();
  return message;
}

/**
 * The link that opens a cited document's original file; PDFs open at the cited page.
 * @param {Citation} citation
 */
function fileHref(citation) {
  const page = citation.location && citation.location.page;
  return `/files/${encodeURIComponent(citation.documentId)}${page ? `#page=${page}` : ''}`;
}

/**
 * Writes answer text into `container`, turning [n] and [n, m] markers into links to the
 * numbered source entries. Markers without a matching source stay plain text.
 * @param {HTMLElement} container
 * @param {string} text
 * @param {Map<number, Citation>} citations
 * @param {string} anchorPrefix
 */
function renderAnswerText(container, text, citations, anchorPrefix) {
  const marker = /\[(\d+(?:\s*,\s*\d+)*)\]/g;
  let position = 0;
  for (const match of text.matchAll(marker)) {
    const numbers = (match[1] ?? '').split(',').map((part) => Number.parseInt(part.trim(), 10));
    if (!numbers.every((number) => citations.has(number))) continue;
    const start = match.index ?? 0;
    if (start > position) container.append(document.createTextNode(text.slice(position, start)));
    for (const number of numbers) {
      const citation = /** @type {Citation} */ (citations.get(number));
      const link = create('a', { className: 'citation-marker', text: `[${number}]` });
      link.href = `#${anchorPrefix}-source-${number}`;
      link.setAttribute('aria-label', `Source ${number}: ${citation.title}`);
      link.title = citation.title;
      link.addEventListener('click', (event) => {
        event.preventDefault();
        highlightSource(`${anchorPrefix}-source-${number}`);
      });
      container.append(link);
    }
    position = start + match[0].length;
  }
  if (position < text.length) container.append(document.createTextNode(text.slice(position)));
}

/** Scrolls to a source entry and flashes it, without touching the page URL. */
function highlightSource(/** @type {string} */ id) {
  const entry = document.getElementById(id);
  if (!entry) return;
  entry.scrollIntoView({ behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth', block: 'nearest' });
  entry.classList.remove('source-highlighted');
  void entry.offsetWidth; // restart the highlight animation
  entry.classList.add('source-highlighted');
  entry.focus({ preventScroll: true });
}

/**
 * @param {Citation} citation
 * @param {string} anchorPrefix
 */
function renderSource(citation, anchorPrefix) {
  const item = create('li', { className: 'source' });
  item.id = `${anchorPrefix}-source-${citation.number}`;
  item.value = citation.number;
  item.tabIndex = -1;

  item.append(create('span', { className: 'source-number', text: String(citation.number) }));
  const body = create('div', { className: 'source-body' });

  const heading = create('div', { className: 'source-heading' });
  const link = create('a', { className: 'source-link', text: citation.title || citation.documentId });
  link.href = fileHref(citation);
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  link.setAttribute('aria-label', `${citation.title || citation.documentId} (opens the original in a new tab)`);
  heading.append(link);
  if (citation.locationLabel) heading.append(create('span', { className: 'source-location', text: citation.locationLabel }));
  body.append(heading);

  if (citation.excerpt) body.append(create('blockquote', { className: 'source-excerpt', text: citation.excerpt }));
  item.append(body);
  return item;
}

/** @param {AskResponse} answer */
function generatorNote(answer) {
  const how = answer.generator === 'extractive' ? 'Extractive answer: quoted from the sources' : `Answered by ${answer.generator}`;
  const elapsed = answer.elapsedMs;
  const seconds = !Number.isFinite(elapsed) ? '' : elapsed < 100 ? ' · < 0.1 s' : ` · ${(elapsed / 1000).toFixed(1)} s`;
  return how + seconds;
}

/**
 * 👍/👎 under an answer, recorded against it on the server (and in the audit log).
 * @param {string} answerId
 */
function renderFeedback(answerId) {
  const row = create('div', { className: 'feedback' });
  row.setAttribute('role', 'group');
  row.setAttribute('aria-label', 'Was this answer helpful?');
  const status = create('span', { className: 'feedback-status' });
  status.setAttribute('aria-live', 'polite');
  /** @param {'up' | 'down'} rating @param {string} symbol @param {string} label */
  const button = (rating, symbol, label) => {
    const element = create('button', { className: `feedback-button feedback-${rating}`, text: symbol });
    element.type = 'button';
    element.setAttribute('aria-label', label);
    element.addEventListener('click', async () => {
      for (const other of row.querySelectorAll('button')) other.disabled = true;
      try {
        const response = await fetch('/api/feedback', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ answerId, rating }),
        });
        if (!response.ok) throw new Error(await errorMessageOf(response));
        element.classList.add('feedback-chosen');
        status.textContent = 'Thanks for the feedback.';
      } catch (error) {
        for (const other of row.querySelectorAll('button')) other.disabled = false;
        status.textContent = error instanceof Error ? error.message : 'The feedback could not be saved.';
      }
    });
    return element;
  };
  row.append(button('up', '👍', 'Helpful'), button('down', '👎', 'Not helpful'), status);
  return row;
}

/** @param {AskResponse} answer */
function renderAnswer(answer) {
  state.answerCount += 1;
  const anchorPrefix = `answer-${state.answerCount}`;
  const citations = new Map(answer.citations.map((citation) => [citation.number, citation]));

  const message = create('article', { className: `message message-answer${answer.notFound ? ' message-not-found' : ''}` });
  message.setAttribute('aria-label', answer.notFound ? 'Answer: not found in the indexed documents' : 'Answer');

  if (answer.notFound) {
    const banner = create('p', { className: 'not-found-banner' });
    banner.append(create('strong', { text: 'Not found in the indexed documents.' }), document.createTextNode(' '));
    banner.append(
      create('span', {
        text: answer.citations.length > 0 ? 'These are the closest passages; check them yourself.' : 'Try other words, or ask whoever owns the topic.',
      }),
    );
    message.append(banner);
  }

  const text = create('p', { className: 'answer-text' });
  markLanguage(text, answer.text);
  renderAnswerText(text, answer.text, citations, anchorPrefix);
  message.append(text);

  if (answer.citations.length > 0) {
    const sources = create('section', { className: 'sources' });
    const headingId = `${anchorPrefix}-sources-title`;
    const heading = create('h3', { className: 'sources-title', text: answer.notFound ? 'Closest sources' : 'Sources' });
    heading.id = headingId;
    sources.setAttribute('aria-labelledby', headingId);
    const list = create('ol', { className: 'source-list' });
    for (const citation of [...answer.citations].sort((a, b) => a.number - b.number)) list.append(renderSource(citation, anchorPrefix));
    sources.append(heading, list);
    message.append(sources);
  }

  if (answer.notice) message.append(create('p', { className: 'answer-notice', text: answer.notice }));
  message.append(create('p', { className: 'generator-note', text: generatorNote(answer) }));
  if (answer.id) message.append(renderFeedback(answer.id));
  elements.messages.append(message);
  // Show the whole answer with its question when it fits; otherwise start at its first line.
  if (message.offsetHeight + 96 <= elements.conversation.clientHeight) scrollToBottom();
  else elements.conversation.scrollTop = Math.max(0, message.offsetTop - 16); // .conversation is the offsetParent
}

/**
 * @param {string} message
 * @param {string} question the question to send again from the retry button
 */
function renderError(message, question) {
  const article = create('article', { className: 'message message-error' });
  article.setAttribute('role', 'alert');
  article.append(create('p', { className: 'error-text', text: message }));
  const retry = create('button', { className: 'button button-secondary button-small', text: 'Try again' });
  retry.type = 'button';
  retry.addEventListener('click', () => {
    article.remove();
    void ask(question, { echo: false });
  });
  article.append(retry);
  elements.messages.append(article);
  scrollToBottom();
}

/** @param {Response} response */
async function errorMessageOf(response) {
  try {
    const body = await response.json();
    if (body && body.error && typeof body.error.message === 'string') return body.error.message;
  } catch {
    // not JSON: fall through to a generic message
  }
  return response.status === 413 ? 'The question is too long.' : `The server answered with an error (${response.status}). Please try again.`;
}

/**
 * @param {string} question
 * @param {{ echo?: boolean }} [options]
 */
async function ask(question, options = {}) {
  if (state.busy) return;
  setBusy(true);
  const generation = state.generation;
  if (options.echo !== false) renderQuestion(question);
  const pending = renderSearching();
  try {
    /** @type {{ question: string, conversationId?: string }} */
    const body = { question };
    if (state.conversationId) body.conversationId = state.conversationId;
    const response = await fetch('/api/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    if (generation !== state.generation) return;
    pending.remove();
    if (!response.ok) {
      renderError(await errorMessageOf(response), question);
      return;
    }
    /** @type {AskResponse} */
    const answer = await response.json();
    state.conversationId = answer.conversationId;
    renderAnswer(answer);
  } catch {
    if (generation !== state.generation) return;
    pending.remove();
    renderError('Docent could not be reached. Check your connection and try again.', question);
  } finally {
    if (generation === state.generation) setBusy(false);
  }
}

/** @param {boolean} busy */
function setBusy(busy) {
  state.busy = busy;
  elements.send.disabled = busy;
  elements.form.setAttribute('aria-busy', String(busy));
}

function resizeInput() {
  elements.input.style.height = 'auto';
  elements.input.style.height = `${Math.min(elements.input.scrollHeight, 200)}px`;
}

function updateCharacterCount() {
  const length = elements.input.value.length;
  elements.characterCount.textContent = length > maxQuestionLength * 0.9 ? `${length} / ${maxQuestionLength}` : '';
}

function submit() {
  const question = elements.input.value.trim();
  if (!question || state.busy) return;
  elements.input.value = '';
  resizeInput();
  updateCharacterCount();
  void ask(question);
}

elements.form.addEventListener('submit', (event) => {
  event.preventDefault();
  submit();
});

elements.input.addEventListener('keydown', (event) => {
  // While a Korean (or any IME) syllable is being composed, Enter confirms it; it must not send.
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
  event.preventDefault();
  submit();
});

elements.input.addEventListener('input', () => {
  resizeInput();
  updateCharacterCount();
});

elements.newConversation.addEventListener('click', () => {
  state.generation += 1;
  state.conversationId = undefined;
  setBusy(false);
  elements.messages.replaceChildren();
  elements.welcome.hidden = false;
  elements.input.value = '';
  resizeInput();
  updateCharacterCount();
  elements.input.focus();
});

elements.input.focus();
