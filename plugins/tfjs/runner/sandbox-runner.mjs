// Runs one candidate program and exits. Plain JavaScript so it works without a build step.
//
// The parent starts this file in a fresh Node process with the permission model on (no file
// writes, no child processes, no workers, no addons), no environment variables, a heap cap and
// code generation from strings disabled. It reads one JSON request from stdin:
//   { scripts: [{ source, filename, columnOffset? }], timeoutMs }
// evaluates the scripts in order in a new V8 context that contains only what the scripts define,
// and writes one JSON reply to stdout:
//   { kind: 'result', value }   the last script's completion value, if it is a string
//   { kind: 'timeout', message } | { kind: 'syntax', message } | { kind: 'error', message }
// Everything the candidate produces is turned into a string INSIDE the context and its time limit
// (the driver's collect()); this file never reads a property of a value the candidate made.
import vm from 'node:vm';

function reply(message) {
  process.stdout.write(JSON.stringify(message), () => process.exit(0));
}

function runScripts(request) {
  // A null-prototype sandbox object: the context's globals then have no path to the host's
  // Object, Function or process (with `{}` the classic `this.constructor.constructor` escape works).
  const context = vm.createContext(Object.create(null), {
    name: 'llmatic-candidate',
    codeGeneration: { strings: false, wasm: false },
    // Promise jobs run inside each evaluation, so they are covered by the timeout too.
    microtaskMode: 'afterEvaluate',
  });
  const deadline = performance.now() + request.timeoutMs;
  let value;
  for (const script of request.scripts) {
    const remaining = Math.floor(deadline - performance.now());
    if (remaining <= 0) return { kind: 'timeout', message: `the program ran longer than ${request.timeoutMs} ms` };
    let compiled;
    try {
      compiled = new vm.Script(script.source, {
        filename: script.filename,
        columnOffset: script.columnOffset ?? 0,
      });
    } catch (error) {
      // Compiling runs no candidate code, so this error is V8's own SyntaxError.
      return { kind: 'syntax', message: `${error.name}: ${error.message}` };
    }
    const started = performance.now();
    try {
      value = compiled.runInContext(context, { timeout: remaining });
    } catch {
      // NOTHING is read from what was thrown: it may be the candidate's object (or carry getters
      // the candidate planted on its realm's Error prototypes), and host code reading it would
      // run candidate code outside the vm timeout. The elapsed time alone tells a timeout apart.
      if (performance.now() - started >= remaining - 1) {
        return { kind: 'timeout', message: `the program ran longer than ${request.timeoutMs} ms` };
      }
      return { kind: 'error', message: `script ${script.filename} failed` };
    }
  }
  // typeof reads no property, so it cannot run candidate code; a string is plain data.
  return typeof value === 'string'
    ? { kind: 'result', value }
    : { kind: 'error', message: 'the sandbox produced no report' };
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  input += chunk;
});
process.stdin.on('end', () => {
  let request;
  try {
    request = JSON.parse(input);
  } catch {
    reply({ kind: 'error', message: 'the runner received a malformed request' });
    return;
  }
  reply(runScripts(request));
});
