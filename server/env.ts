import { z } from 'zod';
import { ConfigError } from './errors';
import { parseTrustProxy } from './http/proxy';
import { TRACK_RETENTION_DAYS_DEFAULT } from './contract/track-rules';

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
  // HTTPS: both PEM files, or neither (then DATA_DIR/tls from `npm run tls:init` is used when present).
  TLS_CERT: z.preprocess(unsetIfEmpty, z.string().optional()),
  TLS_KEY: z.preprocess(unsetIfEmpty, z.string().optional()),
  HTTP_PORT: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: 'HTTP_PORT must be a number, e.g. 8081' })
      .int('HTTP_PORT must be a whole number')
      .min(1, 'HTTP_PORT must be between 1 and 65535')
      .max(65535, 'HTTP_PORT must be between 1 and 65535')
      .optional(),
  ),
  TRUST_PROXY: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .superRefine((v, ctx) => {
        try {
          parseTrustProxy(v);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: `TRUST_PROXY: ${(err as Error).message}` });
        }
      })
      .optional(),
  ),
  BACKUP_DIR: z.preprocess(unsetIfEmpty, z.string().optional()),
  BACKUP_AT: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'BACKUP_AT must be a city time HH:MM, e.g. 02:00')
      .optional(),
  ),
  BACKUP_KEEP: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: 'BACKUP_KEEP must be a number, e.g. 7' })
      .int('BACKUP_KEEP must be a whole number')
      .min(1, 'BACKUP_KEEP must be at least 1')
      .optional(),
  ),
  // Worker threads for plans, matrices and exports; unset: one per core but one (at least 1); 0 runs them
  // on the event loop (for debugging: every request then waits for them).
  WORKERS: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: 'WORKERS must be a number of worker threads, e.g. 3 (or 0 to run plans and exports in the main thread)' })
      .int('WORKERS must be a whole number, e.g. 3')
      .min(0, 'WORKERS cannot be negative; leave it unset for one per CPU core but one')
      .max(256, 'WORKERS must be at most 256; one per CPU core is plenty')
      .optional(),
  ),
  WORKER_QUEUE: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: 'WORKER_QUEUE must be a number of waiting tasks, e.g. 16' })
      .int('WORKER_QUEUE must be a whole number, e.g. 16')
      .min(0, 'WORKER_QUEUE cannot be negative (0: answer busy whenever every worker is taken)')
      .max(10_000, 'WORKER_QUEUE must be at most 10000')
      .optional(),
  ),
  // Walked tracks are personal data: kept this many days, then deleted.
  TRACK_RETENTION_DAYS: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: 'TRACK_RETENTION_DAYS must be a number of days, e.g. 90' })
      .int('TRACK_RETENTION_DAYS must be a whole number of days')
      .min(1, 'TRACK_RETENTION_DAYS must be at least 1')
      .max(3650, 'TRACK_RETENTION_DAYS must be at most 3650 (ten years)')
      .default(TRACK_RETENTION_DAYS_DEFAULT),
  ),
});
export type Env = z.infer<typeof EnvSchema>;

/**
 * Parses the configuration from `source` (default process.env).
 * @throws ConfigError listing every invalid variable and what it should be.
 */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (parsed.success) {
    const env = parsed.data;
    if ((env.TLS_CERT === undefined) !== (env.TLS_KEY === undefined)) {
      throw new ConfigError('Invalid configuration:', ['TLS_CERT and TLS_KEY go together: set both (PEM files) or neither']);
    }
    if (env.HTTP_PORT !== undefined && env.HTTP_PORT === env.PORT) {
      throw new ConfigError('Invalid configuration:', [`HTTP_PORT must differ from PORT (both ${env.PORT})`]);
    }
    return env;
  }
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
