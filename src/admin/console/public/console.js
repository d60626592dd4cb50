// Docent admin console: a static page over /api/admin. No framework and nothing from
// elsewhere. Every value from the server is put into the page as text, never as HTML
// (the page's Trusted Types policy would refuse an HTML string anyway).

const tokenKey = 'docent-admin-token';
const pages = ['overview', 'connectors', 'audit', 'feedback'];
const pageRoles = { overview: ['admin', 'auditor', 'viewer'], connectors: ['admin', 'viewer'], audit: ['admin', 'auditor'], feedback: ['admin', 'auditor'] };

const state = {
  /** The bearer token, or null when signed in through single sign-on (or not at all). */
  token: sessionStorage.getItem(tokenKey),
  /** `{ name, role, via }` from /api/admin/me once signed in. */
  identity: null,
};

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// ---------------------------------------------------------------- page building

/** Creates an element; strings among the children become text nodes. */
function element(tag, options = {}, ...children) {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  for (const [name, value] of Object.entries(options.attributes ?? {})) node.setAttribute(name, String(value));
  if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function byId(id) {
  return document.getElementById(id);
}

function table(headings, rows, className = 'data-table') {
  const head = element('thead', {}, element('tr', {}, headings.map((heading) => element('th', { text: heading, attributes: { scope: 'col' } }))));
  const body = element('tbody', {}, rows);
  return element('div', { className: 'table-scroll' }, element('table', { className }, head, body));
}

function row(cells) {
  return element('tr', {}, cells.map((cell) => (cell instanceof Node && cell.nodeName === 'TD' ? cell : element('td', {}, cell ?? ''))));
}

function empty(text) {
  return element('p', { className: 'empty', text });
}

function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function formatTime(iso) {
  return typeof iso === 'string' ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '';
}

function oneLine(text, width) {
  const flat = String(text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

function showNotice(message) {
  const notice = byId('notice');
  notice.textContent = message ?? '';
  notice.hidden = !message;
}

// ---------------------------------------------------------------- API

async function api(path, options = {}) {
  const headers = { accept: 'application/json' };
  if (state.token) headers.authorization = `Bearer ${state.token}`;
  const init = { method: options.method ?? 'GET', headers, credentials: 'same-origin', cache: 'no-store' };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch(`/api/admin${path}`, init);
  if (!response.ok) {
    let body;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const error = new ApiError(response.status, body?.error?.code ?? 'http_error', body?.error?.message ?? `The server answered ${response.status}.`);
    if (response.status === 401 && state.identity && !options.signingIn) signOut('The session ended (the token may have been revoked). Sign in again.');
    throw error;
  }
  return options.raw ? response : response.json();
}

function queryOf(form, names) {
  const parameters = new URLSearchParams();
  for (const name of names) {
    const value = form.elements.namedItem(name)?.value?.trim();
    if (value) parameters.set(name, value);
  }
  return parameters;
}

// ---------------------------------------------------------------- signing in

async function signIn(token) {
  state.token = token;
  const identity = await api('/me', { signingIn: true });
  state.identity = identity;
  if (token) sessionStorage.setItem(tokenKey, token);
  byId('session-who').textContent = `${identity.name} · ${identity.role}${identity.via === 'sso' ? ' (single sign-on)' : ''}`;
  byId('session').hidden = false;
  const navigation = byId('navigation');
  for (const link of navigation.querySelectorAll('a[data-page]')) link.hidden = !pageRoles[link.dataset.page].includes(identity.role);
  navigation.hidden = false;
  document.body.dataset.role = identity.role;
  route();
}

function signOut(message) {
  sessionStorage.removeItem(tokenKey);
  state.token = null;
  state.identity = null;
  byId('session').hidden = true;
  byId('navigation').hidden = true;
  delete document.body.dataset.role;
  showPage('sign-in');
  showNotice(message);
  byId('token').value = '';
  byId('token').focus();
}

function showPage(name) {
  for (const section of document.querySelectorAll('main > section.page')) section.hidden = section.id !== `page-${name}`;
  for (const link of document.querySelectorAll('#navigation a[data-page]')) {
    if (link.dataset.page === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function route() {
  if (!state.identity) return;
  showNotice('');
  let name = location.hash.replace(/^#/, '') || 'overview';
  if (!pages.includes(name) || !pageRoles[name].includes(state.identity.role)) name = 'overview';
  showPage(name);
  const load = { overview: loadOverview, connectors: loadConnectors, audit: loadAuditFirstTime, feedback: loadFeedback }[name];
  load().catch(reportError);
}

function reportError(error) {
  if (error instanceof ApiError && error.status === 401) return;
  showNotice(error instanceof ApiError ? error.message : `Something went wrong: ${error.message}`);
}

// ---------------------------------------------------------------- overview

function count(label, value, tone) {
  return element('div', { className: `count${tone ? ` count-${tone}` : ''}` }, element('span', { className: 'count-value', text: value }), element('span', { className: 'count-label', text: label }));
}

/** Cells of one run: when it finished, its state and counts. */
function runCells(run) {
  if (!run) return ['never run', '', '', '', '', '', ''];
  const counts = run.counts;
  const failed = counts ? counts.failed : '';
  return [
    formatTime(run.finishedAt ?? run.startedAt),
    element('td', { className: run.state === 'succeeded' ? '' : 'bad', text: run.state }),
    counts?.seen ?? '',
    counts?.added ?? '',
    counts ? counts.updated + counts.metadataUpdated : '',
    counts?.deleted ?? '',
    element('td', { className: failed > 0 ? 'bad' : '', text: failed }),
  ];
}

const runHeadings = ['finished', 'result', 'seen', 'added', 'updated', 'deleted', 'failed'];

/** Document failures of each source's last run, and runs that failed as a whole. */
function failureRows(sources) {
  return sources.flatMap((source) => {
    const run = source.lastRun;
    if (!run) return [];
    const rows = run.failures.map((failure) => row([source.name, failure.location, element('code', { text: failure.code }), failure.message]));
    if (run.error) rows.unshift(row([source.name, '(the whole run)', element('code', { text: run.error.code }), run.error.message]));
    if (run.failuresOmitted) rows.push(row([source.name, '', '', `… and ${run.failuresOmitted} more`]));
    return rows;
  });
}

async function loadOverview() {
  const status = await api('/status');
  const counts = byId('overview-counts');
  const models = byId('overview-models');
  const sources = byId('overview-sources');
  const failures = byId('overview-failures');
  if (!status.index) {
    counts.replaceChildren(empty(`No index in ${status.dataDirectory} yet: run docent index <folder> on the server.`));
  } else {
    counts.replaceChildren(
      count('documents', status.index.documents),
      count('chunks', status.index.chunks),
      count('failures', status.failures, status.failures > 0 ? 'bad' : ''),
      count('index size', formatBytes(status.index.bytesOnDisk)),
      count('sources', status.sources.length),
    );
  }
  const modelEntries = [['Language model', status.languageModel.detail]];
  if (status.index) {
    modelEntries.unshift(['Embedding model', `${status.index.embedding.modelId} (${status.index.embedding.dimensions} dimensions)`]);
    modelEntries.push(['Search indexes', status.index.indexes.join(', ') || 'none yet']);
  }
  models.replaceChildren(...modelEntries.flatMap(([term, value]) => [element('dt', { text: term }), element('dd', { text: value })]));
  sources.replaceChildren(
    status.sources.length === 0
      ? empty('No sources indexed yet.')
      : table(['connector', 'location', ...runHeadings], status.sources.map((source) => row([source.name, source.location, ...runCells(source.lastRun)]))),
  );
  const rows = failureRows(status.sources);
  failures.replaceChildren(rows.length === 0 ? empty('No document failed in the last runs.') : table(['connector', 'document', 'code', 'reason'], rows));
}

// ---------------------------------------------------------------- connectors

function describeSchedule(schedule) {
  if (!schedule) return 'runs when asked';
  if (schedule.cron) return `cron ${schedule.cron}`;
  const seconds = schedule.everySeconds;
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]]) if (seconds % size === 0) return `every ${seconds / size}${unit}`;
  return `every ${seconds}s`;
}

function badgeTone(state) {
  return state === 'ok' ? 'badge-ok' : state === 'paused' || state === 'never run' || state === 'running' ? 'badge-neutral' : 'badge-bad';
}

/** Buttons for admins only: the API refuses others anyway. */
function connectorActions(connector) {
  if (state.identity?.role !== 'admin') return null;
  const actions = element('div', { className: 'card-actions' });
  const button = (label, path) => {
    const control = element('button', { className: 'button button-secondary', text: label, attributes: { type: 'button' } });
    control.addEventListener('click', async () => {
      control.disabled = true;
      try {
        await api(path, { method: 'POST', body: {} });
        showNotice('');
        await loadConnectors();
      } catch (error) {
        control.disabled = false;
        reportError(error);
      }
    });
    return control;
  };
  const name = encodeURIComponent(connector.name);
  actions.append(button('Run now', `/connectors/${name}/run`));
  actions.append(connector.paused ? button('Resume', `/connectors/${name}/resume`) : button('Pause', `/connectors/${name}/pause`));
  return actions;
}

async function showHistory(connector, container, toggle) {
  if (!container.hidden) {
    container.hidden = true;
    toggle.setAttribute('aria-expanded', 'false');
    return;
  }
  const detail = await api(`/connectors/${encodeURIComponent(connector.name)}?runs=10`);
  container.replaceChildren(
    element('h3', { text: 'Last runs' }),
    table(['started', 'trigger', ...runHeadings], detail.runs.map((run) => row([formatTime(run.startedAt), run.trigger, ...runCells(run)]))),
  );
  container.hidden = false;
  toggle.setAttribute('aria-expanded', 'true');
}

async function loadConnectors() {
  const { connectors } = await api('/connectors');
  const list = byId('connectors-list');
  if (connectors.length === 0) {
    list.replaceChildren(empty('No connectors yet: add one on the server with docent connectors add <name> --kind file-share --set path=/srv/share.'));
    return;
  }
  list.replaceChildren(
    ...connectors.map((connector) => {
      const run = connector.lastRun;
      const card = element(
        'article',
        { className: 'card connector', attributes: { 'data-connector': connector.name } },
        element('header', { className: 'card-header' }, element('h2', { text: connector.name }), element('span', { className: `badge ${badgeTone(connector.state)}`, text: connector.state }), connectorActions(connector)),
        element('p', { className: 'muted' }, `${connector.kind} · ${connector.location || connector.sourceId} · ${describeSchedule(connector.schedule)}${connector.nextRun ? `, next ${formatTime(connector.nextRun)}` : ''}`),
      );
      if (connector.needsAttention) {
        card.append(element('p', { className: 'attention', text: `Needs attention since ${formatTime(connector.needsAttention.at)}: ${connector.needsAttention.message} [${connector.needsAttention.code}]` }));
      }
      card.append(table(runHeadings, [row(runCells(run))]));
      const rows = failureRows([{ name: connector.name, lastRun: run }]);
      if (rows.length > 0) card.append(element('h3', { text: 'Failures in the last run' }), table(['connector', 'document', 'code', 'reason'], rows));
      const history = element('div', { className: 'history', attributes: { hidden: '' } });
      const toggle = element('button', { className: 'link-button', text: 'Run history', attributes: { type: 'button', 'aria-expanded': 'false' } });
      toggle.addEventListener('click', () => showHistory(connector, history, toggle).catch(reportError));
      card.append(element('p', {}, toggle), history);
      return card;
    }),
  );
}

// ---------------------------------------------------------------- audit log

function summaryOf(record) {
  switch (record.type) {
    case 'answer': {
      const outcome = record.failure ? `FAILED ${record.failure.code}` : `${record.notFound ? '(not found) ' : ''}${oneLine(record.answer, 60)}`;
      return { user: record.asker.id, where: [record.platform, record.channelId].filter(Boolean).join(' '), what: `${oneLine(record.question, 70)} → ${outcome}${record.cited.length > 0 ? ` [${record.cited.length} cited]` : ''}` };
    }
    case 'feedback':
      return { user: record.asker.id, where: record.platform ?? '', what: `${record.rating === 'up' ? '👍' : '👎'} on ${record.answerId}${record.comment ? `: ${oneLine(record.comment, 60)}` : ''}` };
    case 'admin':
      return { user: record.actor, where: '', what: `${record.action} ${oneLine(JSON.stringify(record.details), 90)}` };
    case 'repair':
      return { user: '', where: record.file, what: `cut off ${record.removedBytes} bytes of an incomplete last line` };
    case 'retention':
      return { user: record.actor, where: '', what: `removed records ${record.fromSequence}-${record.throughSequence}` };
    default:
      return { user: '', where: '', what: record.type };
  }
}

function auditRows(records) {
  return records.flatMap((record) => {
    const summary = summaryOf(record);
    const details = element('tr', { className: 'record-details', attributes: { hidden: '' } }, element('td', { attributes: { colspan: 7 } }, element('pre', { text: JSON.stringify(record, null, 2) })));
    const toggle = element('button', { className: 'link-button', text: 'details', attributes: { type: 'button', 'aria-expanded': 'false' } });
    toggle.addEventListener('click', () => {
      details.hidden = !details.hidden;
      toggle.setAttribute('aria-expanded', String(!details.hidden));
    });
    const main = element('tr', { className: `record record-${record.type}` }, [record.sequence, formatTime(record.time), record.type, summary.user, summary.where, summary.what].map((cell) => element('td', {}, String(cell ?? ''))), element('td', {}, toggle));
    return [main, details];
  });
}

const filterNames = ['from', 'to', 'user', 'channel', 'document', 'text', 'type'];
let auditLoaded = false;

async function searchAudit() {
  const form = byId('audit-form');
  const parameters = queryOf(form, [...filterNames, 'limit']);
  const summary = byId('audit-summary');
  summary.textContent = 'Searching…';
  const result = await api(`/audit/records?${parameters}`);
  auditLoaded = true;
  const records = [...result.records].reverse();
  summary.textContent =
    result.matched === 0
      ? 'No matching records.'
      : `${result.matched} matching record${result.matched === 1 ? '' : 's'}${result.matched > records.length ? `, newest ${records.length} shown` : ''}, newest first.${result.unreadable > 0 ? ` ${result.unreadable} unreadable lines were skipped: verify the log.` : ''}`;
  byId('audit-results').replaceChildren(records.length === 0 ? '' : table(['#', 'time', 'type', 'user', 'where', 'what', ''], auditRows(records), 'data-table audit-table'));
}

async function loadAuditFirstTime() {
  if (!auditLoaded) await searchAudit();
}

async function exportAudit(format) {
  const form = byId('audit-form');
  const parameters = queryOf(form, filterNames);
  if (!parameters.get('from') || !parameters.get('to')) {
    showNotice('Choose the period to export: both From and To.');
    return;
  }
  showNotice('');
  parameters.set('format', format);
  const response = await api(`/audit/export?${parameters}`, { raw: true });
  const blob = await response.blob();
  const name = `docent-audit-${parameters.get('from')}-${parameters.get('to')}.${format}`;
  const link = element('a', { attributes: { href: URL.createObjectURL(blob), download: name } });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  byId('audit-summary').textContent = `Exported ${name} (${formatBytes(blob.size)}); the export is recorded in the audit log.`;
}

async function verifyAudit() {
  const result = byId('audit-verify-result');
  result.hidden = false;
  result.className = 'verify-result';
  result.textContent = 'Verifying every record…';
  const report = await api('/audit/verify');
  if (report.ok) {
    result.classList.add('verify-ok');
    result.textContent = report.records === 0 ? 'The log is empty.' : `The log verifies: ${report.records} records (${report.firstSequence} to ${report.lastSequence}), last hash ${report.lastHash}.`;
  } else {
    result.classList.add('verify-bad');
    const problem = report.problem;
    result.textContent = `TAMPERED: ${problem.message} First bad record: ${problem.sequence ?? '?'} in ${problem.file}${problem.line ? ` line ${problem.line}` : ''}.`;
  }
  for (const warning of report.warnings) result.append(element('span', { className: 'warning', text: ` Warning: ${warning}` }));
}

// ---------------------------------------------------------------- feedback

function feedbackCard(item) {
  const answer = item.answer;
  const card = element(
    'article',
    { className: `card feedback feedback-${item.rating}` },
    element(
      'header',
      { className: 'card-header' },
      element('span', { className: 'rating', text: item.rating === 'up' ? '👍 helpful' : '👎 not helpful' }),
      element('span', { className: 'muted', text: `${formatTime(item.time)} · ${item.askerId}${item.platform ? ` · ${item.platform}` : ''}` }),
    ),
  );
  if (item.comment) card.append(element('blockquote', { className: 'comment', text: item.comment }));
  if (!answer) {
    card.append(empty(`The answer (${item.answerId}) is no longer in the audit log.`));
    return card;
  }
  card.append(
    element('p', { className: 'question' }, element('strong', { text: 'Question: ' }), answer.question),
    element('p', { className: 'answer' }, element('strong', { text: answer.notFound ? 'Answer (not found): ' : 'Answer: ' }), answer.answer ?? (answer.failure ? `failed: ${answer.failure.message}` : '')),
  );
  if (answer.cited.length > 0) {
    card.append(element('ol', { className: 'cited' }, answer.cited.map((passage) => element('li', { attributes: { value: passage.number } }, element('span', { text: passage.title }), element('span', { className: 'muted', text: ` ${passage.uri}` })))));
  }
  card.append(element('p', { className: 'muted small', text: `${answer.platform}${answer.channelId ? ` ${answer.channelId}` : ''} · ${answer.generator ?? ''} · answer ${answer.id}` }));
  return card;
}

async function loadFeedback() {
  const parameters = queryOf(byId('feedback-form'), ['from', 'to', 'rating']);
  const review = await api(`/feedback?${parameters}`);
  byId('feedback-summary').textContent = `👍 ${review.counts.up} helpful · 👎 ${review.counts.down} not helpful${review.items.length < review.counts.up + review.counts.down ? ` (newest ${review.items.length} shown)` : ''}`;
  byId('feedback-list').replaceChildren(review.items.length === 0 ? empty('No feedback in this period.') : '', ...review.items.map(feedbackCard));
}

// ---------------------------------------------------------------- start

function wire() {
  byId('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = byId('token').value.trim();
    const error = byId('sign-in-error');
    error.hidden = true;
    if (!token) {
      error.textContent = 'Paste your admin token.';
      error.hidden = false;
      return;
    }
    signIn(token).catch((failure) => {
      state.token = null;
      error.textContent = failure instanceof ApiError && failure.status === 401 ? 'This token is not valid: it was mistyped or revoked.' : failure.message;
      error.hidden = false;
    });
  });
  byId('sign-out').addEventListener('click', () => signOut('Signed out.'));
  byId('audit-form').addEventListener('submit', (event) => {
    event.preventDefault();
    showNotice('');
    searchAudit().catch(reportError);
  });
  byId('export-csv').addEventListener('click', () => exportAudit('csv').catch(reportError));
  byId('export-jsonl').addEventListener('click', () => exportAudit('jsonl').catch(reportError));
  byId('audit-verify').addEventListener('click', () => verifyAudit().catch(reportError));
  byId('feedback-form').addEventListener('submit', (event) => {
    event.preventDefault();
    showNotice('');
    loadFeedback().catch(reportError);
  });
  byId('connectors-refresh').addEventListener('click', () => loadConnectors().catch(reportError));
  window.addEventListener('hashchange', route);
}

async function start() {
  wire();
  try {
    // A token from earlier in this tab, or else single sign-on through the proxy, if the server has it.
    await signIn(state.token);
  } catch {
    signOut(state.token ? 'The saved token is no longer valid. Sign in again.' : '');
  }
}

start();
