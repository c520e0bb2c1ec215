import { parse, type Node } from 'acorn';
import { full } from 'acorn-walk';
import { fail, type Failure } from '@llmatic/core';

/**
 * Checks a program before it is run: it must parse as a classic script, and it may not load
 * modules. Dynamic `import()` is refused here because Node's vm hands the program a host-realm
 * error when it is used, which would open a path out of the sandbox; nothing else can produce
 * an `import()` at run time, since code generation from strings is disabled.
 */
export function checkSource(code: string): { ok: true } | { ok: false; failure: Failure } {
  let program: Node;
  try {
    program = parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const pos = (error as { pos?: unknown }).pos;
    if (typeof pos === 'number' && /'import' and 'export' may appear only/.test(message)) {
      if (code.startsWith('import', pos)) {
        return fail('sandbox-violation', `the program imports a module, which the sandbox forbids: ${message}`);
      }
      return fail('compile', `SyntaxError: ${message}; define buildModel as a plain function, without export`);
    }
    if (/import\.meta/.test(message)) {
      return fail('sandbox-violation', `the program uses import.meta, which the sandbox forbids: ${message}`);
    }
    return fail('compile', `SyntaxError: ${message}`);
  }
  let imported: string | null = null;
  full(program, (node) => {
    if (imported === null && node.type === 'ImportExpression') {
      imported = code.slice(node.start, node.end).slice(0, 80);
    }
  });
  if (imported !== null) {
    return fail('sandbox-violation', `the program loads a module with ${imported}, which the sandbox forbids`);
  }
  return { ok: true };
}
