import pc from 'picocolors';

/**
 * Ctrl-C (or SIGTERM) handling for long commands: the first signal aborts `controller` so the
 * command stops after saving finished work; a second one exits at once. Returns the undo.
 */
export function stopOnInterrupt(controller: AbortController): () => void {
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(`\n${pc.yellow('Stopping')}: saving finished work (Ctrl-C again to quit now)...\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
