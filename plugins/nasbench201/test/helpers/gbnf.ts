/**
 * A test-only reading of a small, non-recursive GBNF grammar as a regular expression: literals,
 * character classes, rule references, groups, `|`, `?`, `*`, `+`. Enough to check which strings
 * the space's grammar accepts; llama.cpp's own parser checks the syntax separately.
 */
export function gbnfToRegExp(grammar: string): RegExp {
  const rules = new Map<string, string>();
  for (const line of grammar.split('\n')) {
    const m = /^\s*([a-z0-9-]+)\s*::=\s*(.*)$/.exec(line);
    if (m) rules.set(m[1] ?? '', m[2] ?? '');
  }
  const expand = (name: string, depth: number): string => {
    const body = rules.get(name);
    if (body === undefined) throw new Error(`grammar has no rule ${name}`);
    if (depth > 20) throw new Error('grammar is recursive; this helper reads only non-recursive grammars');
    let out = '';
    let i = 0;
    while (i < body.length) {
      const ch = body[i] ?? '';
      if (ch === '"') {
        let j = i + 1;
        let literal = '';
        while (j < body.length && body[j] !== '"') {
          if (body[j] === '\\') {
            const next = body[j + 1];
            literal += next === 'n' ? '\n' : next === 't' ? '\t' : (next ?? '');
            j += 2;
          } else {
            literal += body[j];
            j++;
          }
        }
        out += literal.replace(/[.*+?^${}()|[\]\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
        i = j + 1;
      } else if (ch === '[') {
        const j = body.indexOf(']', i);
        out += body.slice(i, j + 1);
        i = j + 1;
      } else if (/[a-z]/.test(ch)) {
        const m = /^[a-z0-9-]+/.exec(body.slice(i));
        const ref = m?.[0] ?? '';
        out += `(?:${expand(ref, depth + 1)})`;
        i += ref.length;
      } else if ('()|?*+'.includes(ch)) {
        out += ch === '(' ? '(?:' : ch;
        i++;
      } else {
        i++;
      }
    }
    return out;
  };
  return new RegExp(`^(?:${expand('root', 0)})$`);
}
