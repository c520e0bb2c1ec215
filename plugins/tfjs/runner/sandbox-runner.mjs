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
  const deadline = Date.now() + request.timeoutMs;
  let value;
  for (const script of request.scripts) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return { kind: 'timeout', message: `the program ran longer than ${request.timeoutMs} ms` };
    let compiled;
    try {
      compiled = new vm.Script(script.source, {
        filename: script.filename,
        columnOffset: script.columnOffset ?? 0,
      });
    } catch (error) {
      return { kind: 'syntax', message: `${error.name}: ${error.message}` };
    }
    try {
      value = compiled.runInContext(context, { timeout: remaining });
    } catch (error) {
      // The driver catches every error of the candidate, so what arrives here is the vm timeout
      // (an Error of the candidate's realm) or a fault of the sandbox scripts themselves.
      // Nothing is read from it but its code.
      const code = error !== null && typeof error === 'object' ? error.code : undefined;
      if (code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        return { kind: 'timeout', message: `the program ran longer than ${request.timeoutMs} ms` };
      }
      return { kind: 'error', message: `script ${script.filename} failed` };
    }
  }
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
