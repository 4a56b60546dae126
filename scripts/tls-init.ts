/**
 * `npm run tls:init -- --host 10.1.2.3 --host xuncha.local [--new-ca]`: a local CA and a server certificate
 * for those addresses and names, in DATA_DIR/tls (keys readable by the owner only). `npm start` then serves
 * HTTPS with them; phones install the CA from https://<host>:<PORT>/ca.crt once. Running it again with other
 * hosts keeps the CA (no phone needs to reinstall), unless --new-ca.
 *
 * Environment: DATA_DIR (./var).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initTls } from '../server/tls/ca';
import { summarize } from '../server/tls/config';
import { readFileSync } from 'node:fs';

const USAGE = 'Usage: npm run tls:init -- --host 10.1.2.3 [--host xuncha.local …] [--new-ca]';

let args;
try {
  args = parseArgs({ options: { host: { type: 'string', multiple: true }, 'new-ca': { type: 'boolean' } }, strict: true }).values;
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(1);
}
if (!args.host?.length) {
  console.error(`Name at least one address or host name the phones will open.\n${USAGE}`);
  process.exit(1);
}
const dataDir = resolve(process.env.DATA_DIR || './var');
try {
  const result = await initTls(dataDir, args.host, { newCa: args['new-ca'] });
  const ca = summarize(readFileSync(resolve(result.dir, 'ca.crt')));
  console.log(`${result.newCa ? 'Made a new CA' : 'Kept the existing CA'} and a server certificate in ${result.dir}`);
  console.log(`  for: ${result.hosts.map((h) => h.value).join(', ')}`);
  console.log(`  valid until: ${result.notAfter.toISOString().slice(0, 10)} (run tls:init again before then)`);
  console.log(`  CA fingerprint (SHA-256): ${ca.fingerprint}`);
  console.log('Restart the server (npm start); it serves HTTPS on PORT. Phones install the CA from /ca.crt once.');
  if (result.newCa) console.log('A new CA: phones that installed an earlier one must install this one.');
} catch (err) {
  console.error(`tls:init failed: ${(err as Error).message}`);
  process.exit(1);
}
