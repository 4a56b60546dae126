import { requestIsHttps } from '../../http/proxy';
import { CA_CERT_CONTENT_TYPE, type BackupStatus, type SystemStatus } from '../../contract/system';
import type { TlsSetup } from '../../tls/config';
import { declareRoutes } from '../define';
import { bilingual } from '../../errors';

/** What the server knows about itself, fixed at startup except the backups. */
export interface SystemDeps {
  tls: TlsSetup | null;
  /** The field page's addresses for phones (server/tls/addresses.ts). */
  phoneAddresses: string[];
  /** TRUST_PROXY as set, or null. */
  trustProxy: string | null;
  backups: () => BackupStatus;
}

/** `GET /api/system/status` and `GET /ca.crt`. */
export function systemRoutes(deps: SystemDeps) {
  return declareRoutes()
    .route('GET /api/system/status', (c) => {
      c.header('Cache-Control', 'no-store');
      const { tls } = deps;
      const status: SystemStatus = {
        tls: {
          https: tls !== null,
          requestHttps: requestIsHttps(c),
          trustProxy: deps.trustProxy,
          phoneAddresses: deps.phoneAddresses,
          certificate: tls ? { source: tls.source, hosts: tls.server.hosts, notAfter: tls.server.notAfter, fingerprint: tls.server.fingerprint } : null,
          ca: tls?.ca ? { subject: tls.ca.summary.subject, fingerprint: tls.ca.summary.fingerprint, url: '/ca.crt' } : null,
        },
        backup: deps.backups(),
      };
      return c.json(status, 200);
    })
    .route('GET /ca.crt', (c) => {
      const ca = deps.tls?.ca;
      if (!ca) {
        const error = bilingual(
          '本服务器没有可下载的本地根证书（证书不是由 npm run tls:init 生成的）。',
          'This server has no local CA to hand out: its certificate was not made by `npm run tls:init`.',
        );
        return c.json({ error }, 404);
      }
      return c.body(ca.pem, 200, {
        'Content-Type': CA_CERT_CONTENT_TYPE,
        'Content-Disposition': 'attachment; filename="xuncha-ca.crt"',
        'Cache-Control': 'no-cache',
      });
    }).app;
}
