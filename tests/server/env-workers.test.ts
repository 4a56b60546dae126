import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../server/env';

describe('WORKERS and WORKER_QUEUE', () => {
  it('are unset by default (the pool sizes itself) and read as whole numbers', () => {
    expect(parseEnv({}).WORKERS).toBeUndefined();
    expect(parseEnv({ WORKERS: '', WORKER_QUEUE: '' })).toMatchObject({ WORKERS: undefined, WORKER_QUEUE: undefined });
    expect(parseEnv({ WORKERS: '3', WORKER_QUEUE: '20' })).toMatchObject({ WORKERS: 3, WORKER_QUEUE: 20 });
    expect(parseEnv({ WORKERS: '0' }).WORKERS).toBe(0);
  });

  it('say what to set when they are wrong', () => {
    expect(() => parseEnv({ WORKERS: 'many' })).toThrow(/WORKERS must be a number of worker threads, e\.g\. 3 .*\(got "many"\)/);
    expect(() => parseEnv({ WORKERS: '-1' })).toThrow(/WORKERS cannot be negative; leave it unset for one per CPU core but one/);
    expect(() => parseEnv({ WORKERS: '1.5' })).toThrow(/WORKERS must be a whole number/);
    expect(() => parseEnv({ WORKER_QUEUE: '-2' })).toThrow(/WORKER_QUEUE cannot be negative/);
  });
});
