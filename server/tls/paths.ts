import { join } from 'node:path';

/**
 * Where `npm run tls:init` keeps its files in DATA_DIR. Apart from ca.ts so that the server, which only
 * reads them, does not load the certificate-making library at startup.
 */
export function tlsPaths(dataDir: string) {
  const dir = join(dataDir, 'tls');
  return { dir, caCert: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key') };
}
