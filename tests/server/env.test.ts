import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../server/env';
import { ConfigError } from '../../server/errors';

describe('parseEnv', () => {
  it('has defaults for everything', () => {
    const defaults = { PORT: 8080, HOST: '127.0.0.1', DATA_DIR: './var', DEMO_ACCOUNTS: 'on', TRACK_RETENTION_DAYS: 90 };
    expect(parseEnv({})).toEqual(defaults);
    expect(parseEnv({ PORT: '', HOST: '', DATA_DIR: '', ADMIN_PASSWORD: '', DEMO_ACCOUNTS: '' })).toEqual(defaults);
  });

  it('reads the variables', () => {
    expect(
      parseEnv({ PORT: '9000', HOST: '0.0.0.0', DATA_DIR: '/srv/xuncha', ADMIN_PASSWORD: 'long enough', DEMO_ACCOUNTS: 'off', TRACK_RETENTION_DAYS: '30' }),
    ).toEqual({
      PORT: 9000,
      HOST: '0.0.0.0',
      DATA_DIR: '/srv/xuncha',
      ADMIN_PASSWORD: 'long enough',
      DEMO_ACCOUNTS: 'off',
      TRACK_RETENTION_DAYS: 30,
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
    expect(() => parseEnv({ ADMIN_PASSWORD: 'short' })).toThrow(/at least 8/);
    expect(() => parseEnv({ DEMO_ACCOUNTS: 'maybe' })).toThrow(/on or off/);
    expect(() => parseEnv({ TRACK_RETENTION_DAYS: '0' })).toThrow(/at least 1/);
  });
});
