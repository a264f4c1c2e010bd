/**
 * cli-args: --endpoint, through main() of both CLIs: https anywhere, plain http only to this machine's
 * loopback interface, and the host written as URL parsers read it (the text becomes jwk_url and
 * issuer, which Hasura parses itself). A refused endpoint: exit 2, one line, nothing fetched.
 */
import { main as checkToken } from '../../../hasura-config/check-token';
import { main as generate } from '../../../hasura-config/generate';
import { CLIENT_ID, jwksFetcher, REGION, runMain } from './helpers';

const POOL_ARGS = ['--region', REGION, '--user-pool-id', 'local_4DA54YKg', '--client-id', CLIENT_ID];

const ACCEPTED = [
  'http://127.0.0.1:9229',
  'http://127.0.0.1:9229/',
  'http://127.0.0.1:9229/cognito/',
  'http://127.255.255.254:1',
  'http://localhost:9229',
  'http://LOCALHOST:9229',
  'http://localhost.:9229',
  'http://[::1]:9229',
  'http://[0:0:0:0:0:0:0:1]:9229',
  'http://[::ffff:7f00:1]:9229',
  'http://[::ffff:127.0.0.1]:9229',
  'https://cognito.example.com',
  'https://cognito.example.com:8443/prefix',
  'https://10.0.0.1',
];

const NOT_LOOPBACK = 'an https URL (http only for a loopback host: 127.0.0.0/8, [::1] or localhost)';
const HTTP_NOT_LOOPBACK = [
  'http://cognito.attacker.example',
  'http://cognito.attacker.example:9229/',
  'http://127.0.0.1.attacker.example',
  'http://localhost.attacker.example',
  'http://app.localhost:9229',
  'http://0.0.0.0:9229',
  'http://[::]:9229',
  'http://10.0.0.1:9229',
  'http://128.0.0.1',
  'http://[::2]',
  'http://[::ffff:a00:1]',
  'http://[::7f00:1]',
];

// A host URL parsers disagree on. `http://2130706433` is 127.0.0.1 to the WHATWG parser and to
// inet_aton, but a DNS name to a strict parser: refused, with the plain spelling in the message.
const HOST_NOT_AS_PARSED: Array<[string, string]> = [
  ['http://2130706433:9229', '127.0.0.1'],
  ['http://0x7f.1', '127.0.0.1'],
  ['http://0177.0.0.1', '127.0.0.1'],
  ['http://127.1:9229', '127.0.0.1'],
  ['http://127.0.0.1.:9229', '127.0.0.1'],
  ['http://%6c%6fcalhost:9229', 'localhost'],
  ['http://127.0.0.1\\@cognito.attacker.example', '127.0.0.1'],
  ['http://@localhost:9229', 'localhost'],
  ['http:/127.0.0.1:9229', '127.0.0.1'],
  ['https://2130706433', '127.0.0.1'],
];

const MALFORMED = [
  'ftp://localhost:9229',
  'http://localhost:9229/\u202e',
  'http://user:secret@127.0.0.1:9229',
  'http://127.0.0.1:9229?x=1',
  'http://127.0.0.1:9229#x',
  'http://127.0.0.1:9229/a b',
  'localhost:9229',
];

describe('--endpoint accepted', () => {
  it.each(ACCEPTED)('%s', async (endpoint) => {
    const result = await runMain(generate, [...POOL_ARGS, '--endpoint', endpoint, '--format', 'json']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const secret = JSON.parse(result.stdout);
    expect(secret.issuer).toBe(`${endpoint.replace(/\/+$/, '')}/local_4DA54YKg`);
    expect(secret.jwk_url).toBe(`${secret.issuer}/.well-known/jwks.json`);
  });
});

describe('--endpoint refused: exit 2, one line, by both CLIs, nothing fetched', () => {
  const cases: Array<[string, string, string]> = [
    ...HTTP_NOT_LOOPBACK.map((endpoint): [string, string, string] => ['plain http to a host that is not loopback', endpoint, NOT_LOOPBACK]),
    ...HOST_NOT_AS_PARSED.map(([endpoint, host]): [string, string, string] => [
      'a host not written as parsed',
      endpoint,
      `a URL whose host is written as URL parsers read it (here ${host})`,
    ]),
    ...MALFORMED.map((endpoint): [string, string, string] => [
      'not a plain http(s) base URL',
      endpoint,
      'an http(s) base URL such as http://127.0.0.1:9229',
    ]),
  ];

  it.each(cases)('%s: %s', async (_kind, endpoint, expected) => {
    const line = `--endpoint: expected ${expected}, found ${JSON.stringify(endpoint).replace(/\u202e/g, '\\u202e')}\n`;
    const generated = await runMain(generate, [...POOL_ARGS, '--endpoint', endpoint]);
    expect(generated).toEqual({ code: 2, stdout: '', stderr: `hasura-config: ${line}` });

    const fetcher = jwksFetcher('http://127.0.0.1:9229/local_4DA54YKg/.well-known/jwks.json', []);
    const checked = await runMain(checkToken, [...POOL_ARGS, '--endpoint', endpoint, '--token', 'a.b.c'], { fetcher });
    expect(checked).toEqual({ code: 2, stdout: '', stderr: `check-token: ${line}` });
    expect(fetcher.calls).toEqual([]);
  });
});
