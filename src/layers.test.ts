/**
 * Layers run one way: no file imports itself back through others, machines/
 * never reaches for the CLI or the loop, and no folder (machines/ as one, each
 * folder under src/) imports back one that builds on it: src/storage below
 * src/engine, src/engine below src/trace, those below machines/.
 */
import { join } from 'node:path';
import { cycles, folderGraph, importGraph } from './test-support/import-graph';

const ROOT = join(__dirname, '..');
const graph = importGraph(ROOT, ['machines', 'src', 'scripts']);

/** What ships: tests and their helpers may reach across layers to drive a whole program. */
const shipped = new Map(
  [...graph].filter(
    ([file]) => !file.endsWith('.test') && !file.startsWith('src/test-support/') && !file.startsWith('scripts/'),
  ),
);

/** `machines` is one layer; under src/ each folder is its own. */
const layerOf = (file: string) => (file.startsWith('machines/') ? 'machines' : file.split('/').slice(0, 2).join('/'));

it('reads the whole tree', () => {
  expect(graph.get('src/cli/main')).toEqual(expect.arrayContaining(['machines/protocols', 'src/cli/cli']));
  expect(graph.get('machines/protocols')).toContain('machines/upper/index');
  expect(graph.size).toBeGreaterThan(200);
});

it('has no circle of imports between files, tests and scripts included', () => {
  expect(cycles(graph)).toEqual([]);
});

it('keeps machines/ free of the CLI and the loop, tests included', () => {
  const reaching = [...graph].flatMap(([file, targets]) =>
    file.startsWith('machines/')
      ? targets.filter((target) => /^src\/(cli|loop)\//.test(target)).map((target) => `${file} -> ${target}`)
      : [],
  );
  expect(reaching).toEqual([]);
});

it('puts no layer in a circle: what a folder builds on never imports that folder back', () => {
  expect(cycles(folderGraph(shipped, layerOf))).toEqual([]);
});
