/*
 * Draws a statechart from an xstate machine config (the `definition` that
 * @statelyai/inspect sends): every state and every transition, laid out by
 * dagre. Nested states are drawn as their own nodes ("uploading.receiving");
 * transitions declared on the machine itself start from "(any state)".
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
      for (const one of [].concat(target || [])) addEdge(source || ANY, resolve(one, source), label);
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
    const label = edge.labels.join(', ');
    graph.setEdge(edge.from, edge.to, { label, width: Math.min(label.length, 34) * 6 + 6, height: 14 * Math.ceil(label.length / 34), labelpos: 'c' });
  }
  dagre.layout(graph);

  container.textContent = '';
  const { width, height } = graph.graph();
  const svg = element('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `statechart of ${chart.id}` }, container);
  const marker = element('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, element('defs', {}, svg));
  element('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }, marker);

  const edgeViews = new Map();
  for (const edge of edges) {
    const layout = graph.edge(edge.from, edge.to);
    const group = element('g', { class: 'edge', 'data-edge': `${edge.from}->${edge.to}` }, svg);
    const points = layout.points.map((point) => `${point.x},${point.y}`);
    element('path', { d: `M ${points.join(' L ')}`, 'marker-end': 'url(#arrow)' }, group);
    const words = layout.label.match(/.{1,34}(,\s|$)/g) || [layout.label];
    words.forEach((line, index) => {
      const text = element('text', { x: layout.x, y: layout.y - ((words.length - 1) * 7) + index * 14 + 4, 'text-anchor': 'middle' }, group);
      text.textContent = line.trim();
    });
    edgeViews.set(`${edge.from}->${edge.to}`, group);
  }
  const nodeViews = new Map();
  for (const state of chart.states) {
    const layout = graph.node(state.id);
    const classes = ['node', state.final ? 'final' : '', state.initial ? 'initial' : '', state.pseudo ? 'pseudo' : ''].join(' ').trim();
    const group = element('g', { class: classes, 'data-state': state.id, transform: `translate(${layout.x - layout.width / 2},${layout.y - layout.height / 2})` }, svg);
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
      const active = nodeViews.get(current);
      if (active && active.scrollIntoView) active.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    },
  };
}

window.Statechart = { readStatechart, drawStatechart };
