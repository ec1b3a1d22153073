// Checks that generated markdown parses as intended: every inline code span closed (no stray backtick
// left in text), every fence closed (no section heading swallowed by an open code block).

/** Section headings (`#`..`###`) outside code fences, as written. */
function writtenHeadings(body) {
  const out = [];
  let fence;
  for (const line of body.split('\n')) {
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (opener) {
      if (!fence) fence = opener[1];
      else if (opener[1].startsWith(fence[0]) && opener[1].length >= fence.length) fence = undefined;
      continue;
    }
    if (!fence && /^#{1,3}\s/.test(line)) out.push(line.replace(/^#+\s+/, '').trim());
  }
  return out;
}

/**
 * Problems of a markdown document (frontmatter allowed), as one-line strings; empty when it is valid.
 * `fromMarkdown` is `mdast-util-from-markdown`'s parser.
 */
export function markdownProblems(text, fromMarkdown) {
  const body = text.replace(/^---\n[\s\S]*?\n---\n/, '');
  const tree = fromMarkdown(body);
  const problems = [];
  const headings = [];
  const visit = (node) => {
    if (node.type === 'heading') headings.push(node);
    if (node.type === 'text' && node.position) {
      const source = body.slice(node.position.start.offset, node.position.end.offset).replace(/\\`/g, '');
      if (source.includes('`')) problems.push(`unbalanced backtick in: ${source.slice(0, 80).replace(/\n/g, ' ')}`);
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(tree);
  const written = writtenHeadings(body);
  const topLevel = tree.children.filter((n) => n.type === 'heading').length;
  if (topLevel !== written.length)
    problems.push(
      `${written.length} headings written, ${topLevel} parsed: a code span or fence swallowed part of the document`,
    );
  return problems;
}
