import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Every `.ts` file under `dir`, recursively. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

/**
 * The modules a file loads when it runs: static imports and re-exports, and `import()` calls. Type-only
 * imports and exports (`import type`, `import { type A }` with nothing else, `typeof import(...)`) are
 * erased by the compiler, so they are no edge.
 */
export function runtimeSpecifiers(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!isTypeOnlyImport(node.importClause)) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!isTypeOnlyExport(node)) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) specifiers.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

function isTypeOnlyImport(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false; // `import './side-effect.js'`
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return (
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return (
    clause !== undefined &&
    ts.isNamedExports(clause) &&
    clause.elements.length > 0 &&
    clause.elements.every((e) => e.isTypeOnly)
  );
}

/** The file a relative specifier names (`./x.js` is `./x.ts` in source), or undefined when it leaves the set. */
function resolveRelative(from: string, specifier: string, files: Set<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base.replace(/\.(m?js)$/, '.ts'), base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (files.has(candidate)) return candidate;
  }
  return undefined;
}

/** File → the files of the same set it loads at run time. */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const set = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = runtimeSpecifiers(file)
      .map((s) => resolveRelative(file, s, set))
      .filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every cycle's path (first file repeated at the end), one per strongly connected group of files. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const inCycle = new Set<string>();
  // Iterative depth-first search: each frame is a file and the index of its next edge.
  for (const start of graph.keys()) {
    if (state.has(start)) continue;
    const frames: Array<{ file: string; next: number }> = [{ file: start, next: 0 }];
    state.set(start, 'open');
    stack.push(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const edges = graph.get(frame.file) ?? [];
      if (frame.next >= edges.length) {
        state.set(frame.file, 'done');
        stack.pop();
        frames.pop();
        continue;
      }
      const target = edges[frame.next++]!;
      const seen = state.get(target);
      if (seen === 'open') {
        const cycle = [...stack.slice(stack.indexOf(target)), target];
        if (!cycle.every((f) => inCycle.has(f))) cycles.push(cycle);
        for (const f of cycle) inCycle.add(f);
      } else if (seen === undefined) {
        state.set(target, 'open');
        stack.push(target);
        frames.push({ file: target, next: 0 });
      }
    }
  }
  return cycles;
}

/** Workspace package folders that have a `src/`. */
export function workspacePackages(root: string): string[] {
  const out: string[] = [];
  for (const group of ['packages', 'apps', 'examples']) {
    const dir = path.join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const src = path.join(dir, name, 'src');
      if (existsSync(src) && statSync(src).isDirectory()) out.push(path.join(dir, name));
    }
  }
  return out;
}
