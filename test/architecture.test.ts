/** DESIGN.md's layer rules, checked on the import graph of src/: no cycle, and only the CLI imports the CLI. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
type Graph = Map<string, string[]>;

/**
 * `import … from './x.js'`, `export … from '../y.js'`, `import('./z.js')`: relative ones only. Group 1 is set
 * for `import type`/`export type` (erased at run time), group 2 or 3 holds the path.
 */
const IMPORT = /\b(?:import|export)\s+(type\s)?[^;]*?\bfrom\s*'(\.[^']*)'|\bimport\(\s*'(\.[^']*)'\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
  );
}

/** Edges from each file (path relative to the root, e.g. src/cli/exit.ts) to the files it imports. */
function importGraph(files: string[], withTypeOnly: boolean): Graph {
  const graph: Graph = new Map();
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const targets = [...text.matchAll(IMPORT)].filter((m) => withTypeOnly || !m[1]).map((m) => {
      const spec = (m[2] ?? m[3])!;
      return relative(ROOT, resolve(ROOT, dirname(file), spec.replace(/\.js$/, '.ts')));
    });
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/**
 * The cycles a depth-first walk meets (one per back edge: none means the graph has no cycle), each as the
 * path a → b → … → a starting at its smallest file.
 */
function cycles(graph: Graph): string[] {
  const found = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const loop = stack.slice(stack.indexOf(next));
        const start = loop.indexOf([...loop].sort()[0]!);
        const path = [...loop.slice(start), ...loop.slice(0, start)];
        found.add([...path, path[0]].join(' → '));
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...found].sort();
}

const isCli = (file: string) => file === 'src/cli.ts' || file.startsWith('src/cli/') || file.startsWith('src/commands/');

/** Imports of the CLI layer from files outside it, as `from → to`. */
const upwardImports = (graph: Graph) =>
  [...graph].filter(([from]) => !isCli(from)).flatMap(([from, to]) => to.filter(isCli).map((f) => `${from} → ${f}`));

const files = sourceFiles('src');
const graph = importGraph(files, true);

test('the parser sees the imports: every relative import names a file of src/', (t) => {
  const edges = [...graph.values()].flat();
  t.true(edges.length > 100, `only ${edges.length} imports found`);
  const known = new Set(files);
  t.deepEqual(
    [...graph].flatMap(([from, to]) => to.filter((f) => !known.has(f)).map((f) => `${from} → ${f}`)),
    [],
  );
});

test('the import graph of src/ has no cycle at run time', (t) => {
  t.deepEqual(cycles(importGraph(files, false)), []);
});

test('the import graph of src/, type-only imports included, has no cycle', (t) => {
  t.deepEqual(cycles(graph), []);
});

test('nothing below the commands imports from src/cli.ts, src/cli/ or src/commands/', (t) => {
  t.deepEqual(upwardImports(graph), []);
});

test('an import of the CLI layer from below it is reported; the CLI layer may import itself and below', (t) => {
  const g: Graph = new Map([
    ['src/cli.ts', ['src/commands/run.ts', 'src/cli/exit.ts']],
    ['src/commands/run.ts', ['src/cli/exit.ts', 'src/jobs/run-job.ts']],
    ['src/jobs/run-job.ts', ['src/cli/exit.ts', 'src/zfs/zfs.ts']],
    ['src/clip.ts', ['src/commands/list.ts']],
  ]);
  t.deepEqual(upwardImports(g), ['src/jobs/run-job.ts → src/cli/exit.ts', 'src/clip.ts → src/commands/list.ts']);
});

test('the cycle finder reports a cycle once, as its path, and nothing for a tree', (t) => {
  const g: Graph = new Map([
    ['c', ['a']],
    ['a', ['b', 'd']],
    ['b', ['c']],
    ['d', []],
    ['e', ['e']],
  ]);
  t.deepEqual(cycles(g), ['a → b → c → a', 'e → e']);
  t.deepEqual(cycles(new Map([['x', ['y', 'z']], ['y', ['z']], ['z', []]])), []);
});

test('the import pattern reads multi-line, type-only, re-export and dynamic imports, and skips packages', (t) => {
  const text = "import {\n  a,\n  b,\n} from './a.js';\nimport type { T } from '../t.js';\nexport { x } from './x.js';\n" +
    "const m = () => import('./m.js');\nimport yargs from 'yargs';\nimport { z } from 'node:fs';\n";
  t.deepEqual(
    [...text.matchAll(IMPORT)].map((m) => `${m[1] ? 'type ' : ''}${m[2] ?? m[3]}`),
    ['./a.js', 'type ../t.js', './x.js', './m.js'],
  );
});
