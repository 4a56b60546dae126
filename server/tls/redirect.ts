/**
 * HTTP_PORT: a plain-HTTP listener that only sends browsers to the HTTPS address, so a phone that types
 * `http://10.1.2.3:8081/field` still lands on the secure page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

// A Host header is echoed into Location: only a bare name or address, and a port, are taken from it.
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d+)?$/i;

/** The request handler: 308 to the same path on `https://<host>:<httpsPort>`, or 400 without a usable Host. */
export function redirectToHttps(httpsPort: number): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const match = HOST_HEADER.exec(req.headers.host ?? '');
    if (!match) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('请使用 HTTPS 地址访问。 / Open this server with its https:// address.\n');
      return;
    }
    const port = httpsPort === 443 ? '' : `:${httpsPort}`;
    const path = req.url?.startsWith('/') ? req.url : '/';
    // 308 keeps the method and body, so a stray POST is not turned into a GET.
    res.writeHead(308, { location: `https://${match[1]}${port}${path}`, 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    res.end(`https://${match[1]}${port}${path}\n`);
  };
}
