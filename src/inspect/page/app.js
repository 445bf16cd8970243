/*
 * The wirestate inspector page: follows the hub's stream (@statelyai/inspect
 * events plus wirestate's connection and state messages), lists connections,
 * and shows the selected one's statechart, path, event log and progress.
 * A recorded trace can be opened and stepped through the same way.
 */
'use strict';

const KEEP_FINISHED_MS = 5 * 60 * 1000;
const sessions = new Map();
const charts = new Map();
let selected = null;
let trace = null;
let renderQueued = false;

const $ = (selector) => document.querySelector(selector);
const letter = (byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `0x${byte.toString(16)}`);
const bytesText = (bytes) => (bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1048576).toFixed(1)} MiB`);

/** A machine event as a line in the log: frames decoded, done-events named by what finished. */
function describeEvent(event) {
  const fields = Object.entries(event)
    .filter(([key]) => key !== 'type' && key !== 'actorId')
    .map(([key, value]) => {
      if ((key === 'op' || key === 'status') && typeof value === 'number') return `${key}=${letter(value)}`;
      if (key === 'name' && value && typeof value === 'object') return value.ok ? `name="${value.name}"` : `name refused (${value.code})`;
      if (key === 'output' && value && typeof value === 'object') return Object.entries(value).filter(([k]) => k !== 'ref').map(([k, v]) => `${k}=${v}`).join(' ');
      return `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`;
    });
  const type = event.type.startsWith('xstate.done.actor') ? 'effect done' : event.type.startsWith('xstate.error.actor') ? 'effect failed' : event.type;
  return `${type} ${fields.join(' ')}`.trim();
}

function session(id) {
  if (!sessions.has(id)) sessions.set(id, { id, meta: null, config: null, states: [], log: [], context: {}, status: 'active', output: null, endedAt: 0 });
  return sessions.get(id);
}

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
      if (sessions.has(message.sessionId) && message.definition) session(message.sessionId).config = JSON.parse(message.definition);
      break;
    case '@xstate.event':
      if (sessions.has(message.sessionId) && !message.event.type.startsWith('xstate.init')) {
        session(message.sessionId).log.push({ at: message.createdAt, text: describeEvent(message.event) });
      }
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
  queueRender();
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
  renderList();
  const shown = trace ? traceView() : sessions.get(selected);
  $('#detail').hidden = !shown;
  if (!shown) return;
  $('#detail-title').textContent = shown.title || `${shown.meta ? shown.meta.id : shown.id} ${shown.meta ? `${shown.meta.protocol} ${shown.meta.role}, ${shown.meta.peer}` : ''}`;
  const current = shown.states[shown.states.length - 1] || '';
  $('#current-state').textContent = current;
  $('#path').textContent = shown.states.join(' \u2192 ');
  if (shown.config) {
    const key = shown.config.id;
    let chart = charts.get(key);
    if (!chart || chart.container !== $('#chart') || chart.key !== key) {
      chart = { key, container: $('#chart'), view: Statechart.drawStatechart($('#chart'), Statechart.readStatechart(shown.config)) };
      charts.set(key, chart);
    }
    chart.view.show(current, shown.states);
  }
  const size = shown.context.size || 0;
  const bytes = shown.context.bytes || 0;
  $('#progress').hidden = !(size > 0);
  $('#progress-bar').value = size > 0 ? bytes / size : 0;
  $('#progress-text').textContent = `${bytesText(bytes)} / ${bytesText(size)}`;
  const log = $('#log');
  log.textContent = '';
  for (const entry of shown.log.slice(-300)) {
    const item = document.createElement('li');
    item.textContent = entry.text;
    log.appendChild(item);
  }
}

function outcomeOf(entry) {
  return (entry.output && entry.output.outcome) || (entry.context.outcome !== 'open' ? entry.context.outcome : '') || '';
}

function renderList() {
  const body = $('#connections tbody');
  body.textContent = '';
  const now = Date.now();
  const rows = [...sessions.values()].filter((entry) => entry.meta && !(entry.endedAt && now - entry.endedAt > KEEP_FINISHED_MS));
  rows.sort((a, b) => b.startedAt - a.startedAt);
  for (const entry of rows) {
    const row = document.createElement('tr');
    row.dataset.session = entry.id;
    row.className = `${entry.id === selected && !trace ? 'selected' : ''} ${entry.status !== 'active' ? 'finished' : ''}`.trim();
    const context = entry.context;
    const cells = [
      entry.meta.id,
      entry.meta.peer,
      entry.meta.protocol,
      entry.request || '',
      context.size ? `${bytesText(context.bytes || 0)} / ${bytesText(context.size)}` : bytesText(context.bytes || 0),
      entry.states[entry.states.length - 1] || '',
      outcomeOf(entry),
    ];
    for (const text of cells) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.appendChild(cell);
    }
    row.addEventListener('click', () => {
      selected = entry.id;
      trace = null;
      $('#trace-controls').hidden = true;
      render();
    });
    body.appendChild(row);
  }
  $('#empty').hidden = rows.length > 0;
}

/* ---- recorded traces ---- */

async function openTrace(file) {
  const lines = (await file.text()).split('\n').filter((line) => line.trim());
  const [header, ...entries] = lines.map((line) => JSON.parse(line));
  if (!header || header.trace !== 'wirestate/1') throw new Error(`${file.name} is not a wirestate trace`);
  const definitions = await (await fetch('/definitions')).json();
  const config = (definitions[header.protocol] || {})[header.role] || null;
  trace = { name: file.name, header, entries, config, step: entries.length - 1 };
  const slider = $('#trace-slider');
  slider.max = String(entries.length - 1);
  slider.value = String(trace.step);
  $('#trace-controls').hidden = false;
  render();
}

function traceView() {
  const seen = trace.entries.slice(0, trace.step + 1);
  const states = seen.filter((entry) => entry.state).map((entry) => entry.state);
  const log = seen.map((entry) => ({ text: traceLine(entry) }));
  const outcome = seen.find((entry) => entry.outcome);
  $('#trace-position').textContent = `step ${trace.step + 1} of ${trace.entries.length}, ${seen[seen.length - 1] ? seen[seen.length - 1].t : 0} ms`;
  return {
    title: `trace ${trace.name}: ${trace.header.protocol} ${trace.header.role} ${trace.header.connection}, ${trace.header.peer}`,
    config: trace.config,
    states,
    log,
    context: outcome ? { outcome: outcome.outcome.outcome } : {},
  };
}

function traceLine(entry) {
  const time = `${entry.t.toFixed(3)} ms`;
  if (entry.in !== undefined) return `${time}  in ${atob(entry.in).length} B`;
  if (entry.out !== undefined) return `${time}  out ${atob(entry.out).length} B`;
  if (entry.state) return `${time}  state ${entry.state}`;
  if (entry.end) return `${time}  the peer ended its side`;
  if (entry.error) return `${time}  error ${entry.error}`;
  return `${time}  done: ${entry.outcome.outcome}${entry.outcome.detail ? ` (${entry.outcome.detail})` : ''}, ${entry.outcome.bytes} B`;
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
  trace = null;
  $('#trace-controls').hidden = true;
  render();
});

const stream = new EventSource('/events');
stream.onmessage = (event) => handle(JSON.parse(event.data));
stream.onerror = () => ($('#status').textContent = 'disconnected: is wirestate still running?');
stream.onopen = () => ($('#status').textContent = 'live');
setInterval(queueRender, 10_000);
