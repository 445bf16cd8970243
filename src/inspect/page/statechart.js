/*
 * Draws a statechart from an xstate machine config (the `definition` that
 * @statelyai/inspect sends): every state and every transition, laid out by
 * dagre. Nested states are drawn as their own nodes ("uploading.receiving");
 * transitions declared on the machine itself start from "(any state)". An
 * edge is labelled with its event and guard (`frame.request [op is 'D']`).
 * The drawing fits its panel; the wheel zooms, dragging pans, a double click fits again.
 */
'use strict';

const ANY = '(any state)';

/** States and transitions of a machine config, with targets resolved to dotted paths. */
function readStatechart(config) {
  const states = [];
  const edges = new Map();
  const walk = (node, path) => {
    for (const [key, child] of Object.entries(node.states || {})) {
      const id = path ? `${path}.${key}` : key;
      const children = Object.keys(child.states || {});
      states.push({ id, final: child.type === 'final', initial: (node.initial || '') === key && !path });
      if (children.length > 0) addEdge(id, `${id}.${child.initial || children[0]}`, 'enter');
      walk(child, id);
    }
  };
  const resolve = (target, source) => {
    if (target.startsWith('#')) return target.slice(target.indexOf('.') + 1);
    if (target.startsWith('.')) return source ? `${source}${target}` : target.slice(1);
    const parent = source.includes('.') ? source.slice(0, source.lastIndexOf('.')) : '';
    return parent ? `${parent}.${target}` : target;
  };
  function addEdge(from, to, label) {
    const key = `${from}->${to}`;
    const edge = edges.get(key) || { from, to, labels: [] };
    if (!edge.labels.includes(label)) edge.labels.push(label);
    edges.set(key, edge);
  }
  const addTransitions = (source, list, label) => {
    for (const transition of [].concat(list)) {
      const target = typeof transition === 'string' ? transition : transition && transition.target;
      const guard = transition && typeof transition === 'object' ? guardText(transition.guard) : '';
      for (const one of [].concat(target || []))
        addEdge(source || ANY, resolve(one, source), guard ? `${label} [${guard}]` : label);
    }
  };
  const walkTransitions = (node, path) => {
    for (const [event, list] of Object.entries(node.on || {})) addTransitions(path, list, event);
    if (node.always) addTransitions(path, node.always, 'always');
    for (const invoke of [].concat(node.invoke || [])) {
      if (invoke.onDone) addTransitions(path, invoke.onDone, `${invoke.src} done`);
      if (invoke.onError) addTransitions(path, invoke.onError, `${invoke.src} error`);
    }
    for (const [key, child] of Object.entries(node.states || {})) walkTransitions(child, path ? `${path}.${key}` : key);
  };
  walk(config, '');
  walkTransitions(config, '');
  if ([...edges.values()].some((edge) => edge.from === ANY)) states.push({ id: ANY, pseudo: true });
  return { id: config.id, states, edges: [...edges.values()] };
}

/**
 * A guard as the definition carries it, in words: a name (`isList` -> `is list`), or `{ type, params }` with the
 * params that do not depend on the event. A byte value that is a printable letter is shown as that letter, quoted:
 * it is a protocol code (op 'D', op 'l', status 'T'). The value a guard compares with (`expected`) needs no name.
 */
function guardText(guard) {
  if (!guard) return '';
  if (typeof guard === 'string') return nameInWords(guard);
  const params = Object.entries(guard.params || {}).map(([key, value]) =>
    key === 'expected' ? valueInWords(value) : `${nameInWords(key)} ${valueInWords(value)}`,
  );
  return [nameInWords(guard.type || 'guard'), ...params].join(' ');
}

/** `opIs` -> `op is`; an expression (an inline guard's text) is left as it is. */
const nameInWords = (name) =>
  /^[A-Za-z]+$/.test(name) ? name.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`) : name;

const valueInWords = (value) =>
  typeof value === 'number' && /^[A-Za-z]$/.test(String.fromCharCode(value))
    ? `'${String.fromCharCode(value)}'`
    : String(value);

/** Characters per line of an edge label. */
const LABEL_WIDTH = 34;

/** Breaks a label into lines of at most `width` characters, between words (a longer word keeps its own line). */
function wrap(label, width) {
  const lines = [];
  for (const word of label.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

const SVG = 'http://www.w3.org/2000/svg';
const element = (name, attributes, parent) => {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
};

/** Lays the chart out and draws it into `container`; returns a view whose `show` highlights states. */
function drawStatechart(container, chart) {
  const graph = new dagre.graphlib.Graph({ multigraph: false });
  graph.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 46, edgesep: 12, marginx: 12, marginy: 12 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const state of chart.states) graph.setNode(state.id, { width: 16 + 7.4 * state.id.length, height: 30 });
  const edges = chart.edges.filter((edge) => graph.hasNode(edge.from) && graph.hasNode(edge.to));
  for (const edge of edges) {
    const lines = wrap(edge.labels.join(', '), LABEL_WIDTH);
    graph.setEdge(edge.from, edge.to, {
      lines,
      width: Math.max(...lines.map((line) => line.length)) * 6 + 6,
      height: 14 * lines.length,
      labelpos: 'c',
    });
  }
  dagre.layout(graph);

  container.textContent = '';
  const { width, height } = graph.graph();
  const svg = element(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      preserveAspectRatio: 'xMidYMid meet',
      role: 'img',
      'aria-label': `statechart of ${chart.id}`,
    },
    container,
  );
  zoomAndPan(svg, width, height);
  const marker = element(
    'marker',
    {
      id: 'arrow',
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto-start-reverse',
    },
    element('defs', {}, svg),
  );
  element('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }, marker);

  const edgeViews = new Map();
  for (const edge of edges) {
    const layout = graph.edge(edge.from, edge.to);
    const group = element('g', { class: 'edge', 'data-edge': `${edge.from}->${edge.to}` }, svg);
    const points = layout.points.map((point) => `${point.x},${point.y}`);
    element('path', { d: `M ${points.join(' L ')}`, 'marker-end': 'url(#arrow)' }, group);
    layout.lines.forEach((line, index) => {
      const text = element(
        'text',
        { x: layout.x, y: layout.y - (layout.lines.length - 1) * 7 + index * 14 + 4, 'text-anchor': 'middle' },
        group,
      );
      text.textContent = line;
    });
    edgeViews.set(`${edge.from}->${edge.to}`, group);
  }
  const nodeViews = new Map();
  for (const state of chart.states) {
    const layout = graph.node(state.id);
    const classes = ['node', state.final ? 'final' : '', state.initial ? 'initial' : '', state.pseudo ? 'pseudo' : '']
      .join(' ')
      .trim();
    const group = element(
      'g',
      {
        class: classes,
        'data-state': state.id,
        transform: `translate(${layout.x - layout.width / 2},${layout.y - layout.height / 2})`,
      },
      svg,
    );
    element('rect', { width: layout.width, height: layout.height, rx: state.final ? 15 : 6 }, group);
    const text = element('text', { x: layout.width / 2, y: 20, 'text-anchor': 'middle' }, group);
    text.textContent = state.id;
    nodeViews.set(state.id, group);
  }

  return {
    /** Highlights `current` (and its parents) and marks the states and transitions of `path`. */
    show(current, path) {
      const visited = new Set(path);
      for (const [id, group] of nodeViews) {
        const active = current === id || (current || '').startsWith(`${id}.`);
        group.classList.toggle('active', active);
        group.classList.toggle('visited', !active && visited.has(id));
      }
      const taken = new Set();
      for (let i = 1; i < path.length; i++) {
        const key = edgeViews.has(`${path[i - 1]}->${path[i]}`) ? `${path[i - 1]}->${path[i]}` : `${ANY}->${path[i]}`;
        taken.add(key);
      }
      for (const [key, group] of edgeViews) group.classList.toggle('taken', taken.has(key));
    },
  };
}

/** The wheel zooms around the pointer, dragging pans, a double click shows the whole chart again. */
function zoomAndPan(svg, width, height) {
  let view = { x: 0, y: 0, width, height };
  const apply = () => svg.setAttribute('viewBox', `${view.x} ${view.y} ${view.width} ${view.height}`);
  /** Chart units per screen pixel: the SVG keeps its aspect ratio, so the larger of the two. */
  const scale = () => {
    const box = svg.getBoundingClientRect();
    return Math.max(view.width / box.width, view.height / box.height) || 1;
  };
  svg.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const box = svg.getBoundingClientRect();
      const factor = Math.min(Math.max(Math.exp(event.deltaY / 300), 0.5), 2);
      const units = scale();
      // The chart point under the pointer stays under it.
      const px = view.x + view.width / 2 + (event.clientX - box.left - box.width / 2) * units;
      const py = view.y + view.height / 2 + (event.clientY - box.top - box.height / 2) * units;
      const next = Math.min(Math.max(view.width * factor, width / 20), width * 4) / view.width;
      view = {
        x: px - (px - view.x) * next,
        y: py - (py - view.y) * next,
        width: view.width * next,
        height: view.height * next,
      };
      apply();
    },
    { passive: false },
  );
  let drag = null;
  svg.addEventListener('pointerdown', (event) => {
    drag = { x: event.clientX, y: event.clientY, view, units: scale() };
    svg.setPointerCapture(event.pointerId);
    svg.classList.add('dragging');
  });
  svg.addEventListener('pointermove', (event) => {
    if (!drag) return;
    view = {
      ...drag.view,
      x: drag.view.x - (event.clientX - drag.x) * drag.units,
      y: drag.view.y - (event.clientY - drag.y) * drag.units,
    };
    apply();
  });
  const stop = () => {
    drag = null;
    svg.classList.remove('dragging');
  };
  svg.addEventListener('pointerup', stop);
  svg.addEventListener('pointercancel', stop);
  svg.addEventListener('dblclick', () => {
    view = { x: 0, y: 0, width, height };
    apply();
  });
}

window.Statechart = { readStatechart, drawStatechart };
