/*
 * Draws a statechart from an xstate machine config (the `definition` that
 * @statelyai/inspect sends): every state and every transition, laid out by
 * dagre, top-down. Nested states are drawn as their own nodes ("uploading.receiving");
 * transitions declared on the machine itself start from "(any state)"; timers and the idle watchdog's
 * `peer.idle` are left out. An edge is
 * labelled short, so that the label is readable when the chart fits its panel: the
 * guard (`op is 'D'`), or the event when there is none, `+N` for more transitions on
 * it; hovering the edge shows them all in full (`frame.request [op is 'D']`).
 * The drawing fits its panel; the wheel zooms, dragging pans, a double click fits again.
 */
'use strict';

const ANY = '(any state)';
/**
 * The idle watchdog's event (src/engine/idle-watchdog.ts): every state that waits for the peer fails on it, so it
 * is not drawn, as timers (`after`) are not; the live view names it when it happens.
 */
const PEER_IDLE = 'peer.idle';

/**
 * States and transitions of a machine config, with targets resolved to dotted paths. Each edge keeps its
 * transitions as `{ event, guard }`; an unguarded transition after guarded ones of the same event is the
 * fallback, taken when none of them holds: its guard reads `otherwise`.
 */
function readStatechart(config) {
  const states = [];
  const edges = new Map();
  const walk = (node, path) => {
    for (const [key, child] of Object.entries(node.states || {})) {
      const id = path ? `${path}.${key}` : key;
      const children = Object.keys(child.states || {});
      states.push({ id, final: child.type === 'final', initial: (node.initial || '') === key && !path });
      if (children.length > 0) addEdge(id, `${id}.${child.initial || children[0]}`, { event: 'enter', guard: '' });
      walk(child, id);
    }
  };
  const resolve = (target, source) => {
    if (target.startsWith('#')) return target.slice(target.indexOf('.') + 1);
    if (target.startsWith('.')) return source ? `${source}${target}` : target.slice(1);
    const parent = source.includes('.') ? source.slice(0, source.lastIndexOf('.')) : '';
    return parent ? `${parent}.${target}` : target;
  };
  function addEdge(from, to, transition) {
    const key = `${from}->${to}`;
    const edge = edges.get(key) || { from, to, transitions: [] };
    if (!edge.transitions.some((known) => transitionText(known) === transitionText(transition)))
      edge.transitions.push(transition);
    edges.set(key, edge);
  }
  const addTransitions = (source, list, event) => {
    let guarded = false;
    for (const transition of [].concat(list)) {
      const target = typeof transition === 'string' ? transition : transition && transition.target;
      const guard = transition && typeof transition === 'object' ? guardText(transition.guard) : '';
      for (const one of [].concat(target || []))
        addEdge(source || ANY, resolve(one, source), { event, guard: guard || (guarded ? 'otherwise' : '') });
      guarded = guarded || Boolean(guard);
    }
  };
  const walkTransitions = (node, path) => {
    for (const [event, list] of Object.entries(node.on || {}))
      if (event !== PEER_IDLE) addTransitions(path, list, event);
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

/** A transition in full: `frame.request [op is 'D']`. */
const transitionText = ({ event, guard }) => (guard ? `${event} [${guard}]` : event);

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

/**
 * An edge's label on the chart: the guard, or the event when there is none; more transitions as `+N`. An edge
 * taken at once, unguarded (`always`), is a bare arrow: it has no label.
 */
function shortLabel(edge) {
  const [first] = edge.transitions;
  const more = edge.transitions.length > 1 ? ` +${edge.transitions.length - 1}` : '';
  return { text: first.guard || (first.event === 'always' && !more ? '' : first.event), more };
}

/** Characters per line of an edge label, and its most lines. */
const LABEL_WIDTH = 32;
const LABEL_LINES = 3;

/**
 * Breaks a label into lines of at most `width` characters, between words (a longer word keeps its own line);
 * past `LABEL_LINES` the last line is cut with an ellipsis. `more` (` +2`) always ends the last line.
 */
function labelLines({ text, more }, width) {
  const lines = [];
  if (!`${text}${more}`) return lines;
  for (const word of `${text}${more}`.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  if (lines.length <= LABEL_LINES) return lines;
  const kept = lines.slice(0, LABEL_LINES);
  kept[LABEL_LINES - 1] = `${kept[LABEL_LINES - 1].slice(0, width - more.length - 1)}\u2026${more}`;
  return kept;
}

/** Sizes in chart units: the font of states and labels (as in style.css), a monospace character's width, a line. */
const FONT = 13;
const CHAR_WIDTH = 0.62 * FONT;
const LINE_HEIGHT = FONT + 1;
/** Characters per line of a state's name, and the room under a final state for how the connection ended. */
const NAME_WIDTH = 12;
const ENDING_ROOM = LINE_HEIGHT + 3;
/** The space between states side by side, between ranks, and between edges, before any spreading. */
const SPACING = { nodesep: 10, ranksep: 30, edgesep: 4 };
/** How much more room a layout whose labels collide is given, try by try. */
const SPREADS = [1, 1.1, 1.25, 1.5, 2, 2.5, 3];
/** How far a loop from a state back to itself reaches out of the state's side, and how tall it is. */
const LOOP_WIDTH = 14;
const LOOP_HEIGHT = 12;
/**
 * How far each of two states' lines to each other runs from their shared route, and how much longer than the
 * other's a route must be to count as a detour.
 */
const PAIR_GAP = 4;
const DETOUR = 3;

const overlaps = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The point `fraction` of the way along a polyline. */
function along(points, fraction) {
  const lengths = points.slice(1).map((point, i) => Math.hypot(point.x - points[i].x, point.y - points[i].y));
  let left = fraction * lengths.reduce((sum, length) => sum + length, 0);
  for (let i = 0; i < lengths.length; i++) {
    if (left <= lengths[i] || i === lengths.length - 1) {
      const part = lengths[i] ? Math.min(left / lengths[i], 1) : 0;
      return {
        x: points[i].x + (points[i + 1].x - points[i].x) * part,
        y: points[i].y + (points[i + 1].y - points[i].y) * part,
      };
    }
    left -= lengths[i];
  }
  return points[0];
}

/** A state's name in lines of at most `NAME_WIDTH` characters, broken after a `_` or `.` (`check_download_|confirmation`). */
function nameLines(id) {
  const lines = [];
  for (const part of id.split(/(?<=[_.])/)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + part.length <= NAME_WIDTH) lines[lines.length - 1] = `${last}${part}`;
    else lines.push(part);
  }
  return lines;
}

/** The box a state is drawn in, sized for its name. */
function stateBox(state) {
  const lines = nameLines(state.id);
  return {
    lines,
    width: 14 + CHAR_WIDTH * Math.max(...lines.map((line) => line.length)),
    height: 8 + LINE_HEIGHT * lines.length,
  };
}

/** The box an edge label's lines take. */
const labelSize = (lines) => ({
  width: Math.max(0, ...lines.map((line) => line.length)) * CHAR_WIDTH + 4,
  height: lines.length * LINE_HEIGHT,
});

/** Where along its edge a label is tried, the middle first; at each place, on the edge, then beside it. */
const PLACES = Array.from({ length: 19 }, (_, i) => 0.5 + (i % 2 ? 1 : -1) * Math.ceil(i / 2) * 0.05);
/** How much of a label lies left of its edge: centred on it, right of it, left of it. */
const SIDES = [0.5, 0, 1];

/**
 * Lays the states out top-down with dagre (states only; the edges are routed between them), then puts each
 * edge's label on its edge where it covers no state and no other label. Returns the layout and how many
 * labels found no such place.
 */
function layOut(chart, labels, spread) {
  const graph = new dagre.graphlib.Graph({ multigraph: false });
  graph.setGraph({
    rankdir: 'TB',
    nodesep: SPACING.nodesep * spread,
    ranksep: SPACING.ranksep * spread,
    edgesep: SPACING.edgesep * spread,
    marginx: 8,
    marginy: 8,
  });
  graph.setDefaultEdgeLabel(() => ({}));
  // A loop from a state back to itself is drawn beside it, its label beyond: dagre (whose own points for such a
  // loop stray off the state) lays the state out as wide as all that on both sides, so it stays centred.
  const loops = new Map(
    [...labels].filter(([edge]) => edge.from === edge.to).map(([edge, lines]) => [edge.from, lines]),
  );
  for (const state of chart.states) {
    const box = stateBox(state);
    const loop = loops.get(state.id);
    const room = loop ? LOOP_WIDTH + 2 + labelSize(loop).width : 0;
    graph.setNode(state.id, {
      ...box,
      boxWidth: box.width,
      boxHeight: box.height,
      width: box.width + 2 * room,
      height: box.height + (state.final ? ENDING_ROOM : 0),
    });
  }
  // Two states that lead to each other, one of them by a detour of dagre's (over other edges: hello back to
  // client_connect), are joined by two lines side by side along the shorter route.
  const keys = new Set([...labels.keys()].map((edge) => `${edge.from}->${edge.to}`));
  const routeOf = (edge) => {
    const own = graph.edge(edge.from, edge.to).points;
    if (!keys.has(`${edge.to}->${edge.from}`)) return toVisibleBoxes(graph, edge, own);
    const back = [...graph.edge(edge.to, edge.from).points].reverse();
    const [shorter, longer] = [own, back].sort((a, b) => routeLength(a) - routeLength(b));
    if (routeLength(longer) <= DETOUR * routeLength(shorter)) return toVisibleBoxes(graph, edge, own);
    return onItsLeft(shorter);
  };
  for (const [edge] of labels) if (edge.from !== edge.to) graph.setEdge(edge.from, edge.to);
  dagre.layout(graph);
  const taken = chart.states.map((state) => {
    const node = graph.node(state.id);
    return { x: node.x - node.width / 2, y: node.y - node.height / 2, width: node.width, height: node.height };
  });
  const places = new Map();
  let collisions = 0;
  for (const [edge, lines] of labels) {
    if (edge.from === edge.to) {
      places.set(edge, loopBeside(graph.node(edge.from), lines));
      continue;
    }
    const points = routeOf(edge);
    if (lines.length === 0) {
      places.set(edge, { box: undefined, points });
      continue;
    }
    const { width, height } = labelSize(lines);
    const boxesAt = (fraction) => {
      const { x, y } = along(points, fraction);
      return SIDES.map((side) => ({ x: x - width * side, y: y - height / 2, width, height }));
    };
    const free = PLACES.flatMap(boxesAt).find((box) => !taken.some((other) => overlaps(box, other)));
    if (!free) collisions++;
    const box = free || boxesAt(0.5)[0];
    taken.push(box);
    places.set(edge, { box, points });
  }
  return {
    graph,
    places,
    collisions,
    extent: extentOf(
      graph.graph(),
      [...places.values()].flatMap(({ box }) => box || []),
    ),
  };
}

/** Where a line from `point` to the middle of a state's visible box (`node` less its loop's room) meets the box. */
function onVisibleBox(node, point) {
  const dx = point.x - node.x;
  const dy = point.y - node.y;
  const [halfWidth, halfHeight] = [node.boxWidth / 2, node.height / 2];
  if (Math.abs(dy) * halfWidth > Math.abs(dx) * halfHeight) {
    const y = dy < 0 ? -halfHeight : halfHeight;
    return { x: node.x + (y * dx) / dy, y: node.y + y };
  }
  const x = dx < 0 ? -halfWidth : halfWidth;
  return { x: node.x + x, y: node.y + (x * dy) / dx };
}

/** An edge's points ending on the states' visible boxes: dagre ends them on a looping state's wider room. */
function toVisibleBoxes(graph, edge, points) {
  const [from, to] = [graph.node(edge.from), graph.node(edge.to)];
  const ends = [...points];
  if (from.boxWidth !== from.width) ends[0] = onVisibleBox(from, ends[1]);
  if (to.boxWidth !== to.width) ends[ends.length - 1] = onVisibleBox(to, ends[ends.length - 2]);
  return ends;
}

const routeLength = (points) =>
  points.slice(1).reduce((sum, point, i) => sum + Math.hypot(point.x - points[i].x, point.y - points[i].y), 0);

/** A route moved aside, to the left of the way it goes: two states' lines to each other, on one route, run side by side. */
function onItsLeft(points) {
  const [first, last] = [points[0], points[points.length - 1]];
  const length = Math.hypot(last.x - first.x, last.y - first.y) || 1;
  const shift = { x: ((last.y - first.y) / length) * PAIR_GAP, y: ((first.x - last.x) / length) * PAIR_GAP };
  return points.map((point) => ({ x: point.x + shift.x, y: point.y + shift.y }));
}

/** A state's loop: out of its right side and back in, its label just beyond (inside the room its node was given). */
function loopBeside(node, lines) {
  const right = node.x + node.boxWidth / 2;
  const middle = node.y - node.height / 2 + node.boxHeight / 2;
  const points = [
    { x: right, y: middle - LOOP_HEIGHT / 2 },
    { x: right + LOOP_WIDTH, y: middle - LOOP_HEIGHT / 2 },
    { x: right + LOOP_WIDTH, y: middle + LOOP_HEIGHT / 2 },
    { x: right, y: middle + LOOP_HEIGHT / 2 },
  ];
  const { width, height } = labelSize(lines);
  return {
    points,
    box: lines.length > 0 ? { x: right + LOOP_WIDTH + 2, y: middle - height / 2, width, height } : undefined,
  };
}

/** The box that holds the laid-out graph and every label, a label beside an outer edge too. */
function extentOf({ width, height }, boxes) {
  const x = Math.min(0, ...boxes.map((box) => box.x));
  const y = Math.min(0, ...boxes.map((box) => box.y));
  return {
    x,
    y,
    width: Math.max(width, ...boxes.map((box) => box.x + box.width)) - x,
    height: Math.max(height, ...boxes.map((box) => box.y + box.height)) - y,
  };
}

const SVG = 'http://www.w3.org/2000/svg';
const element = (name, attributes, parent) => {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
};

/** Draws `lines` of text centred on `x`, the first line's top at `top`; returns the text elements. */
function drawLines(parent, lines, x, top) {
  return lines.map((line, index) => {
    const y = top + index * LINE_HEIGHT + FONT * 0.8;
    const text = element('text', { x, y, 'text-anchor': 'middle' }, parent);
    text.textContent = line;
    return text;
  });
}

/** An edge's label, `lines` in `box` on a backdrop, its transitions in full as its hover title. */
function drawLabel(layer, key, full, lines, box) {
  const label = element('g', { class: 'label', 'data-label': key }, layer);
  element('title', {}, label).textContent = full;
  element('rect', { x: box.x, y: box.y, width: box.width, height: box.height, rx: 3 }, label);
  drawLines(label, lines, box.x + box.width / 2, box.y);
  return label;
}

/**
 * Lays the chart out and draws it into `container`; returns a view whose `show` highlights states. Each edge
 * carries its short label, and its transitions in full (`event [guard]`, one a line) as a hover title.
 */
function drawStatechart(container, chart) {
  const labels = new Map();
  for (const edge of chart.edges)
    if (chart.states.some((state) => state.id === edge.from) && chart.states.some((state) => state.id === edge.to))
      labels.set(edge, labelLines(shortLabel(edge), LABEL_WIDTH));
  let layout;
  for (const spread of SPREADS) {
    layout = layOut(chart, labels, spread);
    if (layout.collisions === 0) break;
  }
  const { graph, places, extent } = layout;

  container.textContent = '';
  const svg = element(
    'svg',
    {
      viewBox: `${extent.x} ${extent.y} ${extent.width} ${extent.height}`,
      preserveAspectRatio: 'xMidYMid meet',
      role: 'img',
      'aria-label': `statechart of ${chart.id}`,
    },
    container,
  );
  zoomAndPan(svg, extent);
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

  // Every label above every edge line, on a backdrop, so that no line crosses a label's letters.
  const lineLayer = element('g', {}, svg);
  const labelLayer = element('g', {}, svg);
  const edgeViews = new Map();
  for (const [edge, lines] of labels) {
    const { box, points } = places.get(edge);
    const key = `${edge.from}->${edge.to}`;
    const full = edge.transitions.map(transitionText).join('\n');
    const line = element('g', { class: 'edge', 'data-edge': key }, lineLayer);
    element('title', {}, line).textContent = full;
    element(
      'path',
      { d: `M ${points.map((point) => `${point.x},${point.y}`).join(' L ')}`, 'marker-end': 'url(#arrow)' },
      line,
    );
    edgeViews.set(key, box ? [line, drawLabel(labelLayer, key, full, lines, box)] : [line]);
  }
  const nodeViews = new Map();
  for (const state of chart.states) {
    const layout = graph.node(state.id);
    const { lines, height } = stateBox(state);
    const classes = ['node', state.final ? 'final' : '', state.initial ? 'initial' : '', state.pseudo ? 'pseudo' : '']
      .join(' ')
      .trim();
    const group = element(
      'g',
      {
        class: classes,
        'data-state': state.id,
        transform: `translate(${layout.x - layout.boxWidth / 2},${layout.y - layout.height / 2})`,
      },
      svg,
    );
    element('rect', { width: layout.boxWidth, height, rx: state.final ? 12 : 6 }, group);
    drawLines(group, lines, layout.boxWidth / 2, 4);
    // A final state has room under its box for how the connection ended there (`\u2014 refused`).
    const ending = state.final ? drawLines(group, [''], layout.boxWidth / 2, height + 2)[0] : undefined;
    if (ending) ending.classList.add('ending');
    nodeViews.set(state.id, { group, ending });
  }

  return {
    /**
     * Highlights `current` (and its parents) and marks the states and transitions of `path`. A connection that
     * ended unsuccessfully says how under its final state (`\u2014 refused`): `ending` is that word and its kind
     * (`declined` or `error`), or undefined.
     */
    show(current, path, ending) {
      const visited = new Set(path);
      for (const [id, view] of nodeViews) {
        const active = current === id || (current || '').startsWith(`${id}.`);
        view.group.classList.toggle('active', active);
        view.group.classList.toggle('visited', !active && visited.has(id));
        const ended = ending && current === id ? ending : undefined;
        view.group.classList.toggle('declined', ended?.kind === 'declined');
        view.group.classList.toggle('error', ended?.kind === 'error');
        if (view.ending) view.ending.textContent = ended ? `\u2014 ${ended.word}` : '';
      }
      const taken = new Set();
      for (let i = 1; i < path.length; i++) {
        const key = edgeViews.has(`${path[i - 1]}->${path[i]}`) ? `${path[i - 1]}->${path[i]}` : `${ANY}->${path[i]}`;
        taken.add(key);
      }
      for (const [key, groups] of edgeViews)
        for (const group of groups) group.classList.toggle('taken', taken.has(key));
    },
  };
}

/** The wheel zooms around the pointer, dragging pans, a double click shows the whole chart again. */
function zoomAndPan(svg, whole) {
  let view = whole;
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
      const next = Math.min(Math.max(view.width * factor, whole.width / 20), whole.width * 4) / view.width;
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
    view = whole;
    apply();
  });
}

window.Statechart = { readStatechart, drawStatechart };
