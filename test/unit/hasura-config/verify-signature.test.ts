/**
 * verify-signature: check-token's JWKS fetcher, against a real http server on 127.0.0.1 (no network): plain http
 * only from a loopback host, whatever built the URL, and no redirect followed (one could lead to
 * plain http elsewhere). 0.0.0.0 reaches this machine on Linux but is not loopback, so it shows
 * a refused URL is never requested.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpAndHttpsFetcher } from '../../../hasura-config/verify-signature';

let server: Server;
let port: number;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url === '/redirect') {
      response.writeHead(302, { location: `http://0.0.0.0:${port}/jwks.json` }).end();
    } else {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests.length = 0;
});

const text = (body: ArrayBuffer) => Buffer.from(body).toString('utf8');

describe('httpAndHttpsFetcher', () => {
  it('fetches over plain http from a loopback host', async () => {
    expect(text(await httpAndHttpsFetcher.fetch(`http://127.0.0.1:${port}/jwks.json`))).toBe('{"keys":[]}');
    expect(text(await httpAndHttpsFetcher.fetch(`http://localhost:${port}/jwks.json`))).toBe('{"keys":[]}');
    expect(requests).toEqual(['/jwks.json', '/jwks.json']);
  });

  it.each(['http://0.0.0.0:PORT/jwks.json', 'http://[::ffff:0.0.0.0]:PORT/jwks.json'])(
    'refuses plain http to a host that is not loopback, without a request: %s',
    async (uri) => {
      await expect(httpAndHttpsFetcher.fetch(uri.replace('PORT', String(port)))).rejects.toThrow('plain http only from a loopback host');
      expect(requests).toEqual([]);
    },
  );

  it('refuses a scheme other than http and https', async () => {
    await expect(httpAndHttpsFetcher.fetch('file:///etc/hostname')).rejects.toThrow('plain http only from a loopback host');
  });

  it('does not follow a redirect (here to plain http on a host that is not loopback)', async () => {
    await expect(httpAndHttpsFetcher.fetch(`http://127.0.0.1:${port}/redirect`)).rejects.toThrow('HTTP 302, a redirect, not followed');
    expect(requests).toEqual(['/redirect']);
  });
});
