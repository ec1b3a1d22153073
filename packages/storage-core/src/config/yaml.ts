import { RunbookError } from '../errors.js';

/** The largest config file read (the hook reads it on every tool call). */
export const MAX_CONFIG_BYTES = 256 * 1024;

type YamlModule = typeof import('yaml');
type YamlNode = import('yaml').ParsedNode | import('yaml').Node | null | undefined;

/** `1.2 MB`, `300 KB`. */
function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** The config file is refused before it is read when larger than {@link MAX_CONFIG_BYTES}. */
export function checkConfigSize(file: string, bytes: number): void {
  if (bytes > MAX_CONFIG_BYTES) {
    throw new RunbookError(
      'CONFIG_INVALID',
      `${file}: is ${size(bytes)}; a config file may be at most ${size(MAX_CONFIG_BYTES)}`,
    );
  }
}

/**
 * The first repeated or non-scalar key of any mapping, in one pass over the document: the YAML
 * parser's own `uniqueKeys` check compares every key with every other (quadratic in keys per map).
 */
function keyProblem(yaml: YamlModule, root: YamlNode): { node: YamlNode; problem: string } | undefined {
  const stack: YamlNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (yaml.isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key as YamlNode;
        if (key !== null && key !== undefined && !yaml.isScalar(key))
          return { node: key, problem: 'a mapping key must be a plain value, not a list or mapping' };
        const name = yaml.isScalar(key) ? String(key.value) : '';
        if (seen.has(name))
          return {
            node: key,
            problem: `key ${JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name)} appears twice in one mapping`,
          };
        seen.add(name);
        stack.push(pair.value as YamlNode);
      }
    } else if (yaml.isSeq(node)) {
      for (const item of node.items) stack.push(item as YamlNode);
    }
  }
  return undefined;
}

/**
 * Parse a config file's text: one-line `CONFIG_INVALID` errors with the line number, for syntax errors,
 * repeated keys and collection keys. Linear in the size of the text.
 */
export async function parseConfigYaml(file: string, text: string): Promise<unknown> {
  // yaml's Node build is CommonJS: its exports object is the default export under Node and bundlers alike.
  const yaml = (await import('yaml')).default;
  const lineCounter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line;
    throw new RunbookError(
      'CONFIG_INVALID',
      `${file}${line ? `:${line}` : ''}: invalid YAML: ${(first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
    );
  }
  const bad = keyProblem(yaml, doc.contents as YamlNode);
  if (bad) {
    const line = lineOf(bad.node?.range?.[0]);
    throw new RunbookError('CONFIG_INVALID', `${file}${line ? `:${line}` : ''}: invalid YAML: ${bad.problem}`);
  }
  return doc.toJS() ?? {};
}
