/**
 * The project's own import graph, read with the TypeScript compiler's
 * pre-processor (no bundler, no config): which of our files each file
 * imports, and the cycles among them. `src/layers.test.ts` checks it.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

/** File (relative to the root, no extension) -> the project files it imports. */
export type ImportGraph = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The module a relative specifier names, if it is one of ours: `x.ts` or `x/index.ts`. */
function resolveLocal(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = join(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((file) => existsSync(file));
}

export function importGraph(root: string, folders: string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  const key = (file: string) => relative(root, file).replace(/\.ts$/, '');
  for (const file of folders.flatMap((folder) => sourceFiles(join(root, folder)))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((imported) => resolveLocal(file, imported.fileName))
      .filter((target) => target !== undefined);
    graph.set(key(file), [...new Set(targets.map(key))]);
  }
  return graph;
}

/** Every group of files that import each other in a circle (Tarjan's strongly connected components of size > 1, or a file importing itself). */
export function cycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (stack.includes(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do group.push((member = stack.pop()!));
    while (member !== node);
    if (group.length > 1 || graph.get(node)?.includes(node)) found.push(group.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** The same graph between folders (`machines/queue`, `src/cli`, ...): an edge for each import that crosses one. */
export function folderGraph(graph: ImportGraph, folderOf: (file: string) => string): ImportGraph {
  const folders: ImportGraph = new Map();
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    const edges = new Set(folders.get(from) ?? []);
    for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
    folders.set(from, [...edges]);
  }
  return folders;
}
