/*
 * The wirestate inspector page: follows the hub's stream (@statelyai/inspect
 * events plus wirestate's connection and state messages), lists connections,
 * and shows the selected one's statechart, path, event log (its events in words, as the
 * server's hub says them) and progress.
 * The messages so far come inside the HTML, so the first paint shows them;
 * newer ones come over /events. A recorded trace can be opened and stepped
 * through the same way, its frames read by the server as `wirestate replay` reads them.
 */
'use strict';

const KEEP_FINISHED_MS = 5 * 60 * 1000;
/** Outcomes where the peer or the server declined, as the protocol allows; any other unsuccessful end is an error. */
const DECLINED = new Set(['refused', 'cancelled', 'no_room', 'queue_empty', 'no_message']);
const sessions = new Map();
const charts = new Map();
let selected = null;
let trace = null;
/** Set when the live stream said this page is behind while a trace was shown: the page loads afresh on leaving it. */
let reloadForLive = false;
/** What the header says of the live stream: `connecting`, `live`, or that it broke. */
let streamStatus = 'connecting';
let renderQueued = false;

const $ = (selector) => document.querySelector(selector);
const bytesText = (bytes) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1048576
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${(bytes / 1048576).toFixed(1)} MiB`;

/** `transfer server c3, 127.0.0.1:40000`; a client, whose id is its role, `transfer client, 127.0.0.1:50001`. */
const connectionTitle = ({ id, protocol, role, peer }) => `${protocol} ${role}${id === role ? '' : ` ${id}`}, ${peer}`;

function session(id) {
  if (!sessions.has(id))
    sessions.set(id, {
      id,
      meta: null,
      config: null,
      states: [],
      log: [],
      context: {},
      status: 'active',
      output: null,
      endedAt: 0,
    });
  return sessions.get(id);
}

/** Takes one message into the page's model; the caller renders. */
function handle(message) {
  switch (message.type) {
    case 'wirestate.connection':
      Object.assign(session(message.sessionId), { meta: message, startedAt: Date.parse(message.at) });
      if (!selected && !trace) selected = message.sessionId;
      break;
    case 'wirestate.state':
      if (sessions.has(message.sessionId)) session(message.sessionId).states.push(message.state);
      break;
    case 'wirestate.request':
      if (sessions.has(message.sessionId)) session(message.sessionId).request = message.summary;
      break;
    case '@xstate.actor':
      if (sessions.has(message.sessionId) && message.definition)
        session(message.sessionId).config = JSON.parse(message.definition);
      break;
    case 'wirestate.event':
      if (sessions.has(message.sessionId)) session(message.sessionId).log.push({ at: message.at, text: message.text });
      break;
    case '@xstate.snapshot': {
      if (!sessions.has(message.sessionId)) break;
      const entry = session(message.sessionId);
      entry.context = message.snapshot.context || entry.context;
      entry.status = message.snapshot.status || entry.status;
      entry.output = message.snapshot.output || entry.output;
      if (entry.status !== 'active' && !entry.endedAt) entry.endedAt = Date.now();
      break;
    }
  }
}

/**
 * Renders at most every 50 ms, however many messages come. A timer rather than requestAnimationFrame: a
 * browser may hold animation frames back (a hidden or busy page), and the page must still catch up.
 */
function queueRender() {
  if (renderQueued) return;
  renderQueued = true;
  setTimeout(() => {
    renderQueued = false;
    render();
  }, 50);
}

function render() {
  // The header says what is shown: the live stream, or the trace file open instead of it.
  $('#status').textContent = trace ? `trace: ${trace.name}` : streamStatus;
  renderList();
  const shown = trace ? traceView() : sessions.get(selected);
  $('#detail').hidden = !shown;
  if (!shown) return;
  $('#detail-title').textContent = shown.title || (shown.meta ? connectionTitle(shown.meta) : shown.id);
  const current = shown.states[shown.states.length - 1] || '';
  const ending = shown.output ? endingOf(shown) : undefined;
  $('#current-state').textContent = `${current}${endingWords(ending)}`;
  $('#path').textContent = shown.states.join(' \u2192 ');
  if (shown.config) {
    const key = shown.config.id;
    let chart = charts.get(key);
    if (!chart || chart.container !== $('#chart') || chart.key !== key) {
      chart = {
        key,
        container: $('#chart'),
        view: Statechart.drawStatechart($('#chart'), Statechart.readStatechart(shown.config)),
      };
      charts.set(key, chart);
    }
    chart.view.show(current, shown.states, ending);
  }
  const size = shown.context.size || 0;
  const bytes = shown.context.bytes || 0;
  $('#progress').hidden = !(size > 0);
  $('#progress-bar').value = size > 0 ? bytes / size : 0;
  $('#progress-text').textContent = `${bytesText(bytes)} / ${bytesText(size)}`;
  renderLog(shown.log);
}

const LOG_LINES = 300;

/** The last lines of the log, each numbered by its place in the whole log. */
function renderLog(lines) {
  const log = $('#log');
  log.textContent = '';
  const first = Math.max(0, lines.length - LOG_LINES);
  lines.slice(first).forEach((entry, index) => {
    const item = document.createElement('li');
    const number = document.createElement('span');
    number.className = 'number';
    number.textContent = String(first + index + 1);
    item.append(number, entry.text);
    log.appendChild(item);
  });
  if (trace) log.querySelector('li:last-child')?.scrollIntoView({ block: 'nearest' });
}

/** How a connection ended: its word and detail, and whether that is success, a refusal or an error. */
function outcomeOf(entry) {
  const ended = entry.output;
  if (!ended || !ended.outcome) return { text: '', kind: '' };
  const kind = ended.ok === true ? 'ok' : DECLINED.has(ended.outcome) ? 'declined' : 'error';
  // The outcome's name as words (`protocol_error` -> `protocol error`), as the log's prose says it.
  const words = ended.outcome.replace(/_/g, ' ');
  return { text: ended.detail ? `${words}: ${ended.detail}` : words, kind, words };
}

/**
 * How an unsuccessful end reads beside its state, which may be the one a success ends in too (a refused download
 * and one answered E both end in `download_complete`): the outcome's words (`refused`, `protocol error`) and kind.
 */
function endingOf(entry) {
  const { kind, words } = outcomeOf(entry);
  return kind === 'declined' || kind === 'error' ? { word: words, kind } : undefined;
}

/** What follows the state's name when it ended so: ` \u2014 refused`. */
const endingWords = (ending) => (ending ? ` \u2014 ${ending.word}` : '');

/** A state name that may wrap after each `_` (`download_|complete`), never inside a word; then how it ended. */
function stateCell(name, ending) {
  const cell = document.createElement('td');
  cell.className = 'state';
  name.split(/(?<=_)/).forEach((part, at) => {
    if (at > 0) cell.appendChild(document.createElement('wbr'));
    cell.appendChild(document.createTextNode(part));
  });
  if (ending) cell.appendChild(document.createTextNode(endingWords(ending)));
  return cell;
}

function renderList() {
  const body = $('#connections tbody');
  body.textContent = '';
  const now = Date.now();
  const rows = [...sessions.values()].filter(
    (entry) => entry.meta && !(entry.endedAt && now - entry.endedAt > KEEP_FINISHED_MS),
  );
  rows.sort((a, b) => b.startedAt - a.startedAt);
  for (const entry of rows) {
    const row = document.createElement('tr');
    row.dataset.session = entry.id;
    row.className =
      `${entry.id === selected && !trace ? 'selected' : ''} ${entry.status !== 'active' ? 'finished' : ''}`.trim();
    const context = entry.context;
    const cells = [
      entry.meta.id,
      entry.meta.peer,
      entry.meta.protocol,
      entry.request || '',
      context.size ? `${bytesText(context.bytes || 0)} / ${bytesText(context.size)}` : bytesText(context.bytes || 0),
    ];
    for (const text of cells) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.appendChild(cell);
    }
    row.appendChild(stateCell(entry.states[entry.states.length - 1] || '', endingOf(entry)));
    const outcome = outcomeOf(entry);
    const cell = document.createElement('td');
    cell.className = `outcome ${outcome.kind}`.trim();
    cell.textContent = outcome.text;
    row.appendChild(cell);
    row.addEventListener('click', () => {
      selected = entry.id;
      closeTrace();
      render();
    });
    body.appendChild(row);
  }
  $('#empty').hidden = rows.length > 0;
}

/* ---- recorded traces ---- */

async function openTrace(file) {
  // The type the inspector asks for (trace-upload.ts): one a page of another site cannot send it unasked.
  const response = await fetch('/trace', {
    method: 'POST',
    headers: { 'content-type': 'application/jsonl' },
    body: await file.text(),
  });
  if (!response.ok) throw new Error(`${file.name}: ${await response.text()}`);
  const { header, entries, config } = await response.json();
  trace = { name: file.name, header, entries, config, step: 0 };
  const slider = $('#trace-slider');
  slider.max = String(entries.length - 1);
  slider.value = String(trace.step);
  $('#trace-controls').hidden = false;
  render();
}

/** Back to the live view (loaded afresh if the live stream fell behind meanwhile). */
function closeTrace() {
  if (reloadForLive) location.reload();
  trace = null;
  $('#trace-controls').hidden = true;
}

function traceView() {
  const seen = trace.entries.slice(0, trace.step + 1);
  const states = seen.filter((entry) => entry.state).map((entry) => entry.state);
  const log = seen.map((entry) => ({ text: entry.text }));
  $('#trace-position').textContent =
    `step ${trace.step + 1} of ${trace.entries.length}, ${seen[seen.length - 1] ? seen[seen.length - 1].t : 0} ms`;
  return {
    title: `trace ${trace.name}: ${connectionTitle({ ...trace.header, id: trace.header.connection })}`,
    config: trace.config,
    states,
    log,
    context: {},
  };
}

function step(to) {
  if (!trace) return;
  trace.step = Math.max(0, Math.min(trace.entries.length - 1, to));
  $('#trace-slider').value = String(trace.step);
  render();
}

$('#trace-file').addEventListener('change', (event) => {
  const [file] = event.target.files;
  if (file) openTrace(file).catch((error) => alert(error.message));
});
$('#trace-slider').addEventListener('input', (event) => step(Number(event.target.value)));
$('#trace-previous').addEventListener('click', () => step(trace.step - 1));
$('#trace-next').addEventListener('click', () => step(trace.step + 1));
$('#trace-close').addEventListener('click', () => {
  closeTrace();
  render();
});

const history = JSON.parse($('#history').textContent);
history.messages.forEach(handle);
render();
const stream = new EventSource(`/events?after=${history.last}`);
stream.onmessage = (event) => {
  handle(JSON.parse(event.data));
  queueRender();
};
const streamIs = (status) => {
  streamStatus = status;
  render();
};
stream.onerror = () => streamIs('disconnected: is wirestate still running?');
/**
 * The inspector no longer keeps messages this page has not read (it fell behind, or wirestate was started again):
 * load afresh, to the current state; once "back to live" if a trace is open.
 */
stream.addEventListener('behind', () => {
  stream.close();
  if (trace) reloadForLive = true;
  else location.reload();
});
stream.onopen = () => streamIs('live');
setInterval(queueRender, 10_000);
