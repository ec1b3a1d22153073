/**
 * A JSON text parsed into nodes that remember where they are, so an edit can change one value and
 * leave every other byte of the file (the user's formatting) alone.
 */
export interface JsonNode {
  kind: 'object' | 'array' | 'string' | 'number' | 'literal';
  /** Offset of the value's first character. */
  start: number;
  /** Offset just past the value's last character. */
  end: number;
  /** Object members in order: key, where the key starts, value. */
  members?: JsonMember[];
  /** Array items in order. */
  items?: JsonNode[];
}

export interface JsonMember {
  key: string;
  keyStart: number;
  value: JsonNode;
}

/** Parse JSON text into a tree of located nodes. Throws on anything that is not JSON. */
export function parseJsonTree(text: string): JsonNode {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${i}`);
  };
  const skip = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): JsonNode => {
    skip();
    const start = i;
    const ch = text[i];
    if (ch === '{') {
      i++;
      const members: JsonMember[] = [];
      skip();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', start, end: i, members };
      }
      for (;;) {
        skip();
        if (text[i] !== '"') fail('expected a key');
        const keyStart = i;
        const key = readString();
        skip();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        members.push({ key, keyStart, value: value() });
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { kind: 'object', start, end: i, members };
        }
        fail('expected "," or "}"');
      }
    }
    if (ch === '[') {
      i++;
      const items: JsonNode[] = [];
      skip();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', start, end: i, items };
      }
      for (;;) {
        items.push(value());
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { kind: 'array', start, end: i, items };
        }
        fail('expected "," or "]"');
      }
    }
    if (ch === '"') {
      readString();
      return { kind: 'string', start, end: i };
    }
    const literal = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!literal) fail('unexpected character');
    i += literal![0].length;
    return { kind: /^[-\d]/.test(literal![0]) ? 'number' : 'literal', start, end: i };
  };
  const root = value();
  skip();
  if (i < text.length) fail('unexpected text after the value');
  return root;
}

/** The member of an object node named `key`. */
export function member(node: JsonNode | undefined, key: string): JsonMember | undefined {
  return node?.members?.find((m) => m.key === key);
}

/** How a file indents one level: the leading whitespace of its first indented line (two spaces if none). */
export function detectIndent(text: string): string {
  const match = /\n([ \t]+)\S/.exec(text);
  return match ? match[1]! : '  ';
}

function serialize(value: unknown, indent: string, depth: number): string {
  return JSON.stringify(value, null, indent).replace(/\n/g, `\n${indent.repeat(depth)}`);
}

/** `text` with `[start, end)` replaced by `insert`. */
function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** Append an item to an array node at nesting `depth` (the array's own depth), on its own line. */
export function appendItem(text: string, array: JsonNode, value: unknown, depth: number, indent: string): string {
  const items = array.items ?? [];
  const line = indent.repeat(depth + 1);
  if (items.length === 0)
    return splice(
      text,
      array.start + 1,
      array.end - 1,
      `\n${line}${serialize(value, indent, depth + 1)}\n${indent.repeat(depth)}`,
    );
  return splice(
    text,
    items[items.length - 1]!.end,
    items[items.length - 1]!.end,
    `,\n${line}${serialize(value, indent, depth + 1)}`,
  );
}

/** Add `"key": value` as the last member of an object node at nesting `depth`, on its own line. */
export function appendMember(
  text: string,
  object: JsonNode,
  key: string,
  value: unknown,
  depth: number,
  indent: string,
): string {
  const members = object.members ?? [];
  const line = indent.repeat(depth + 1);
  const entry = `${JSON.stringify(key)}: ${serialize(value, indent, depth + 1)}`;
  if (members.length === 0)
    return splice(text, object.start + 1, object.end - 1, `\n${line}${entry}\n${indent.repeat(depth)}`);
  const last = members[members.length - 1]!.value;
  return splice(text, last.end, last.end, `,\n${line}${entry}`);
}

/** Replace one value, written at nesting `depth`. */
export function replaceValue(text: string, node: JsonNode, value: unknown, depth: number, indent: string): string {
  return splice(text, node.start, node.end, serialize(value, indent, depth));
}

/**
 * Remove item `index` of an array node with the separator that came with it, so removing what
 * {@link appendItem} added gives back the text as it was.
 */
export function removeItem(text: string, array: JsonNode, index: number): string {
  const items = array.items ?? [];
  if (items.length === 1) return splice(text, array.start + 1, array.end - 1, '');
  if (index > 0) return splice(text, items[index - 1]!.end, items[index]!.end, '');
  return splice(text, items[0]!.start, items[1]!.start, '');
}

/** Remove member `index` of an object node, the counterpart of {@link appendMember}. */
export function removeMember(text: string, object: JsonNode, index: number): string {
  const members = object.members ?? [];
  if (members.length === 1) return splice(text, object.start + 1, object.end - 1, '');
  if (index > 0) return splice(text, members[index - 1]!.value.end, members[index]!.value.end, '');
  return splice(text, members[0]!.keyStart, members[1]!.keyStart, '');
}

/** The first key that appears twice in one object, anywhere in the tree, with the offset of its second copy. */
export function findDuplicateKey(root: JsonNode): { key: string; offset: number } | undefined {
  const stack: JsonNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.members) {
      const seen = new Set<string>();
      for (const m of node.members) {
        if (seen.has(m.key)) return { key: m.key, offset: m.keyStart };
        seen.add(m.key);
        stack.push(m.value);
      }
    }
    if (node.items) stack.push(...node.items);
  }
  return undefined;
}
