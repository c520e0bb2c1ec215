import { describe, expect, it } from 'vitest';
import { splitWorkerArguments } from '../src/worker/executor-flags.js';

describe('splitWorkerArguments', () => {
  it('finds the config before, between and after executor flags', () => {
    expect(splitWorkerArguments(['cfg.ts', '--redis', 'redis://h:1', '--queue=runs'])).toEqual({
      config: 'cfg.ts',
      settings: { redis: 'redis://h:1', queue: 'runs' },
    });
    expect(splitWorkerArguments(['--redis', 'redis://h:1', 'cfg.ts'])).toEqual({ config: 'cfg.ts', settings: { redis: 'redis://h:1' } });
    expect(splitWorkerArguments([])).toEqual({ config: undefined, settings: {} });
  });

  it('keeps a value that contains "=" or starts with a dash when written --name=value', () => {
    expect(splitWorkerArguments(['--token=a=b', '--offset=-1']).settings).toEqual({ token: 'a=b', offset: '-1' });
  });

  it('refuses a flag without a value, a flag given twice, short flags and two configs', () => {
    expect(() => splitWorkerArguments(['--redis'])).toThrow('--redis needs a value (--redis VALUE).');
    expect(() => splitWorkerArguments(['--redis', '--queue', 'q'])).toThrow('--redis needs a value');
    expect(() => splitWorkerArguments(['--queue', 'a', '--queue', 'b'])).toThrow('--queue is given twice.');
    expect(() => splitWorkerArguments(['-q', 'a'])).toThrow('Unknown option -q');
    expect(() => splitWorkerArguments(['a.ts', 'b.ts'])).toThrow('llmatic worker takes one config file, got "a.ts" and "b.ts".');
  });
});
