/** One simple command of a shell line: its words and the targets of its output redirections. */
export interface ShellSegment {
  words: string[];
  /** Files written by `>`/`>>` (descriptor duplications such as `2>&1` are left out). */
  redirects: string[];
}

/** Minimal shell-word splitting: quotes respected, `&&`, `||`, `;`, `|` and newlines split segments. */
export function splitShellSegments(command: string): ShellSegment[] {
  const segments: ShellSegment[] = [];
  let words: string[] = [];
  let redirects: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  let redirectNext = false;
  const endWord = () => {
    if (inWord) {
      if (redirectNext) {
        if (!word.startsWith('&')) redirects.push(word);
        redirectNext = false;
      } else {
        words.push(word);
      }
    }
    word = '';
    inWord = false;
  };
  const endSegment = () => {
    endWord();
    redirectNext = false;
    if (words.length > 0) segments.push({ words, redirects });
    words = [];
    redirects = [];
  };
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < command.length) word += command[++i];
      else word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < command.length) {
      word += command[++i];
      inWord = true;
    } else if (ch === '>') {
      // `2>`, `>>`, `&>`: a descriptor number written just before belongs to the operator.
      if (/^\d$/.test(word) || word === '&') {
        word = '';
        inWord = false;
      } else {
        endWord();
      }
      if (command[i + 1] === '>') i++;
      if (command[i + 1] === '&') {
        // `>&2`: duplication, not a file.
        i++;
        while (i + 1 < command.length && /\d|-/.test(command[i + 1]!)) i++;
        continue;
      }
      redirectNext = true;
    } else if (ch === '&' && command[i + 1] === '>') {
      endWord();
      word = '&';
      inWord = true;
    } else if (ch === ';' || ch === '\n' || ch === '|' || ch === '&') {
      if ((ch === '&' || ch === '|') && command[i + 1] === ch) i++;
      endSegment();
    } else if (ch === ' ' || ch === '\t') {
      endWord();
    } else {
      word += ch;
      inWord = true;
    }
  }
  endSegment();
  return segments;
}

const WRAPPERS = new Set(['sudo', 'time', 'env', 'nohup', 'exec', 'command', 'watch', 'timeout', 'xargs']);

/** Drop leading `VAR=value` assignments and wrappers such as `sudo`, `time`, `timeout 30`; strip the program's directory. */
export function programWords(words: string[]): string[] {
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
      i++;
    } else if (WRAPPERS.has(w)) {
      i++;
      while (i < words.length && words[i]!.startsWith('-')) i++;
      if (w === 'timeout' && i < words.length && /^\d/.test(words[i]!)) i++;
    } else {
      break;
    }
  }
  const rest = words.slice(i);
  if (rest[0]) rest[0] = rest[0].replace(/^.*\//, '');
  return rest;
}
