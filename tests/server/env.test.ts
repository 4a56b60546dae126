import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../server/env';
import { ConfigError } from '../../server/errors';

describe('parseEnv', () => {
  it('has defaults for everything', () => {
    expect(parseEnv({})).toEqual({ PORT: 8080, HOST: '127.0.0.1', DATA_DIR: './var' });
    expect(parseEnv({ PORT: '', HOST: '', DATA_DIR: '' })).toEqual({ PORT: 8080, HOST: '127.0.0.1', DATA_DIR: './var' });
  });

  it('reads the variables', () => {
    expect(parseEnv({ PORT: '9000', HOST: '0.0.0.0', DATA_DIR: '/srv/xuncha' })).toEqual({
      PORT: 9000,
      HOST: '0.0.0.0',
      DATA_DIR: '/srv/xuncha',
    });
  });

  it('lists every invalid variable with what it should be', () => {
    let err: unknown;
    try {
      parseEnv({ PORT: 'eighty' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual(['PORT: PORT must be a number, e.g. 8080 (got "eighty")']);
    expect(() => parseEnv({ PORT: '70000' })).toThrow(/PORT must be between 1 and 65535 \(got "70000"\)/);
    expect(() => parseEnv({ PORT: '80.5' })).toThrow(/whole number/);
  });
});
