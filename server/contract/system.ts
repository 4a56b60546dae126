import { z } from 'zod';
import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { ADMINS } from './roles';

/** Where phones come in: HTTPS, the addresses to open, the CA to install. */
export const SystemTls = z.object({
  https: z.boolean().meta({ description: 'the server itself serves HTTPS (TLS_CERT/TLS_KEY or npm run tls:init)' }),
  requestHttps: z.boolean().meta({ description: 'this request reached the page over HTTPS, directly or through a trusted proxy' }),
  trustProxy: z.string().nullable().meta({ description: 'the TRUST_PROXY setting; null when forwarding headers are ignored' }),
  phoneAddresses: z.array(z.string()).meta({ description: 'the field page’s addresses for a phone (QR codes), HTTPS first' }),
  certificate: z
    .object({ source: z.enum(['env', 'tls:init']), hosts: z.array(z.string()), notAfter: z.string(), fingerprint: z.string() })
    .nullable()
    .meta({ description: 'the served certificate; null over plain HTTP' }),
  ca: z
    .object({ subject: z.string(), fingerprint: z.string().meta({ description: 'SHA-256, colon-separated hex, as phones show it' }), url: z.string() })
    .nullable()
    .meta({ description: 'the local CA phones install (GET /ca.crt); null when there is none to hand out' }),
});
export type SystemTls = z.infer<typeof SystemTls>;

/** The scheduled backups and how the last ones went. */
export const BackupStatus = z.object({
  schedule: z
    .object({ dir: z.string(), at: z.string().meta({ description: 'city time HH:MM' }), keep: z.number().int(), next: z.string().nullable() })
    .nullable()
    .meta({ description: 'null when BACKUP_DIR is not set' }),
  running: z.boolean(),
  last: z
    .object({ at: z.string(), dir: z.string(), sizeBytes: z.number().int(), files: z.number().int(), schemaVersion: z.number().int() })
    .nullable()
    .meta({ description: 'the newest backup that completed' }),
  lastFailure: z
    .object({ at: z.string(), error: z.string() })
    .nullable()
    .meta({ description: 'the newest failed attempt, when it is newer than the last good backup' }),
});
export type BackupStatus = z.infer<typeof BackupStatus>;

/** `GET /api/system/status`: what the 系统管理 page shows about phone access and backups. */
export const SystemStatus = z.object({ tls: SystemTls, backup: BackupStatus }).meta({ id: 'SystemStatus' });
export type SystemStatus = z.infer<typeof SystemStatus>;

export const CA_CERT_CONTENT_TYPE = 'application/x-x509-ca-cert';

/** The server's own state, for administrators; the CA certificate, for everyone's phone. */
export const SYSTEM_API = endpoints({
  'GET /api/system/status': {
    tag: 'system',
    summary: 'HTTPS, the addresses for phones, the CA fingerprint and the last backup',
    access: ADMINS,
    responses: { 200: { description: 'System status', schema: SystemStatus }, ...errorResponses(401, 403) },
  },
  // Public: a phone installs it before anyone can sign in on it, and a CA certificate holds no secret.
  'GET /ca.crt': {
    tag: 'system',
    summary: 'The local CA certificate (PEM) that phones install to trust this server',
    access: 'public',
    responses: { 200: { description: 'PEM certificate', contentType: CA_CERT_CONTENT_TYPE }, ...errorResponses(404) },
  },
});
