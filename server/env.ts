import { z } from 'zod';
import { ConfigError } from './errors';

/** Empty variables count as unset, so `PORT= npm start` keeps the default. */
const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);

/** The server's configuration, from the environment. */
export const EnvSchema = z.object({
  PORT: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: 'PORT must be a number, e.g. 8080' })
      .int('PORT must be a whole number')
      .min(1, 'PORT must be between 1 and 65535')
      .max(65535, 'PORT must be between 1 and 65535')
      .default(8080),
  ),
  HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  DATA_DIR: z.preprocess(unsetIfEmpty, z.string().default('./var')),
  ADMIN_PASSWORD: z.preprocess(unsetIfEmpty, z.string().min(8, 'ADMIN_PASSWORD needs at least 8 characters').optional()),
  DEMO_ACCOUNTS: z.preprocess(unsetIfEmpty, z.enum(['on', 'off'], { error: 'DEMO_ACCOUNTS must be on or off' }).default('on')),
});
export type Env = z.infer<typeof EnvSchema>;

/**
 * Parses the configuration from `source` (default process.env).
 * @throws ConfigError listing every invalid variable and what it should be.
 */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    'Invalid configuration:',
    parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got "${source[String(i.path[0])] ?? ''}")`),
  );
}

/** Like parseEnv, but prints the list of problems and exits with status 1 (for server start). */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  try {
    return parseEnv(source);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}
