/**
 * Round trip: the generated config plus tokens built from the REAL pre-token-generation handler
 * (Cognito's own ID/access token claims + the handler's claimsToAddOrOverride, signed with a
 * generated RSA key served as the pool's JWKS) -> check-token says what Hasura would do.
 * No network: the JWKS comes from an in-memory fetcher that only answers the expected URL.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CheckTokenIo, main } from '../../../hasura-config/check-token';
import {
  CLIENT_ID,
  type CognitoTokens,
  EXPLICIT_POOL_ARGS,
  expectTerminalSafe,
  FORGED_LINE,
  fixtureOutputsWith,
  HIDDEN_CHARACTERS,
  ISSUER,
  issueTokens,
  JWKS_URI,
  jwksFetcher,
  makeSigningKey,
  makeTempDir,
  NAMESPACE,
  ORG_ID,
  OUTPUTS_FIXTURE_ARG,
  POOL_ID,
  REGION,
  REPO_ROOT,
  runMain,
  type SigningKey,
  signJwt,
  USER_SUB,
} from './helpers';

const NOW = 1_750_000_000;
let key: SigningKey;
let otherKey: SigningKey;
let tokens: CognitoTokens;

beforeAll(async () => {
  process.chdir(REPO_ROOT);
  key = makeSigningKey('key-1');
  otherKey = makeSigningKey('key-2');
  tokens = await issueTokens({ key, now: NOW });
});

const io = (overrides: Partial<CheckTokenIo> = {}): Partial<CheckTokenIo> => ({
  fetcher: jwksFetcher(JWKS_URI, [key]),
  now: () => NOW,
  ...overrides,
});
const check = (argv: string[], overrides: Partial<CheckTokenIo> = {}) =>
  runMain(main, ['--outputs', OUTPUTS_FIXTURE_ARG, ...argv], io(overrides));

describe('tokens Hasura accepts', () => {
  it('the access token (claims + aud added by the Lambda): default role and session variables', async () => {
    expect(tokens.accessPayload.aud).toBe(CLIENT_ID);
    const result = await check(['--token', tokens.accessToken]);
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'Hasura accepts this token.',
        'role: user',
        'session variables:',
        `  x-hasura-org-id: "${ORG_ID}"`,
        '  x-hasura-role: "user"',
        `  x-hasura-user-id: "${USER_SUB}"`,
        '',
      ].join('\n'),
    });
  });

  it('the same token read from standard input with --token -', async () => {
    const fromArgument = await check(['--token', tokens.accessToken]);
    const fromStdin = await check(['--token', '-'], { readStdin: async () => `${tokens.accessToken}\n` });
    expect(fromStdin).toEqual(fromArgument);
    expect(fromStdin.code).toBe(0);
  });

  it('with --role naming a role the groups grant', async () => {
    const result = await check(['--token', tokens.accessToken, '--role', 'admin']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('role: admin\n');
  });

  it('a pasted "Bearer <token>" is the same header', async () => {
    expect((await check(['--token', `Bearer ${tokens.accessToken}`])).code).toBe(0);
  });

  it('the ID token when the Lambda is configured with tokenUse id', async () => {
    const idTokens = await issueTokens({ key, now: NOW, config: { tokenUse: 'id' } });
    expect(idTokens.accessPayload[NAMESPACE]).toBeUndefined();
    const result = await check(['--token', idTokens.idToken, '--token-use', 'id']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('role: user\n');
  });

  it('claims_format json with an object claim', async () => {
    const jsonTokens = await issueTokens({ key, now: NOW, config: { claimsFormat: 'json' } });
    const argv = [...EXPLICIT_POOL_ARGS, '--claims-format', 'json', '--token', jsonTokens.accessToken];
    const result = await runMain(main, argv, io());
    expect(result.code).toBe(0);
  });

  it('a token whose kid is not in the JWKS but whose key is (Hasura ignores kid)', async () => {
    const token = signJwt(tokens.accessPayload, key, { kid: 'rotated-away' });
    expect((await check(['--token', token])).code).toBe(0);
  });

  it('a token a few seconds past exp, within allowed_skew', async () => {
    const { accessToken } = await issueTokens({ key, now: NOW, overrides: { access: { exp: NOW - 4 } } });
    expect((await check(['--token', accessToken])).code).toBe(0);
  });

  it('a local emulator pool over http (JwtRsaVerifier path)', async () => {
    const endpoint = 'http://127.0.0.1:9229';
    const localPool = 'local_4DA54YKg';
    const issuer = `${endpoint}/${localPool}`;
    const local = await issueTokens({ key, now: NOW, issuer });
    const fetcher = jwksFetcher(`${issuer}/.well-known/jwks.json`, [key]);
    const argv = [
      '--region',
      REGION,
      '--user-pool-id',
      localPool,
      '--client-id',
      CLIENT_ID,
      '--endpoint',
      endpoint,
      '--token',
      local.accessToken,
    ];
    const result = await runMain(main, argv, io({ fetcher }));
    expect(result.code).toBe(0);
    expect(fetcher.calls).toEqual([`${issuer}/.well-known/jwks.json`]);
  });
});

describe('tokens Hasura refuses: exit 1 with its code, message and advice', () => {
  const refusal = (code: string, message: string) =>
    expect.stringContaining(`Hasura refuses this token.\ncode: ${code}\nmessage: ${message}\n`);

  it('a tampered payload (role added, signature kept)', async () => {
    const [header, , signature] = tokens.accessToken.split('.');
    const claims = JSON.parse(tokens.accessPayload[NAMESPACE] as string);
    const tampered = {
      ...tokens.accessPayload,
      [NAMESPACE]: JSON.stringify({ ...claims, 'x-hasura-allowed-roles': ['user', 'admin', 'superuser'] }),
    };
    const token = `${header}.${Buffer.from(JSON.stringify(tampered)).toString('base64url')}.${signature}`;
    const result = await check(['--token', token, '--role', 'superuser']);
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual(refusal('invalid-jwt', 'Could not verify JWT: JWSError JWSInvalidSignature'));
    expect(result.stdout).toContain(`advice: No key of ${JWKS_URI} verifies the signature`);
  });

  it('a token signed by a key that is not in the pool JWKS', async () => {
    const token = signJwt(tokens.accessPayload, otherKey);
    const result = await check(['--token', token]);
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual(refusal('invalid-jwt', 'Could not verify JWT: JWSError JWSInvalidSignature'));
  });

  it('a token of another app client (wrong audience)', async () => {
    const other = await issueTokens({ key, now: NOW, clientId: '9other9client9' });
    const result = await check(['--token', other.accessToken]);
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual(refusal('invalid-jwt', 'Could not verify JWT: JWTNotInAudience'));
    expect(result.stdout).toContain(
      'advice: The token was issued to app client 9other9client9, which is not in the audience (1example23456789, 2example23456789)',
    );
    // With --outputs the audience is the stack's: --client-id applies to explicit ids only.
    expect(result.stdout).toContain(
      'or generate the config with that client in its audience (a machine client of the stack, or --client-id 9other9client9 with explicit ids).\n',
    );
  });

  it('an expired token (beyond allowed_skew)', async () => {
    const { accessToken } = await issueTokens({ key, now: NOW, overrides: { access: { exp: NOW - 5 } } });
    const result = await check(['--token', accessToken]);
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual(refusal('invalid-jwt', 'Could not verify JWT: JWTExpired'));
    expect(result.stdout).toContain(`advice: The token expired at ${new Date((NOW - 5) * 1000).toISOString()} (5 s ago, allowed skew 5 s)`);
  });

  it('the ID token while the claims are in the access token', async () => {
    expect(tokens.idPayload[NAMESPACE]).toBeUndefined();
    const result = await check(['--token', tokens.idToken]);
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual(refusal('jwt-invalid-claims', `claims key: '${NAMESPACE}' not found`));
    expect(result.stdout).toContain(
      "advice: This is an ID token, but the Lambda puts Hasura's claims in the access token (tokenUse: access): send the access token.",
    );
  });

  it('a role the token does not allow', async () => {
    const result = await check(['--token', tokens.accessToken, '--role', 'superuser']);
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual(refusal('access-denied', 'Your requested role is not in allowed roles'));
    expect(result.stdout).toContain('advice: The requested role "superuser" is not among the token\'s x-hasura-allowed-roles');
  });

  it('a refresh token (a 5-part JWE), without fetching the JWKS', async () => {
    const fetcher = jwksFetcher(JWKS_URI, [key]);
    const result = await check(['--token', 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a.b.c.d'], { fetcher });
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual(
      refusal('invalid-jwt', 'Could not verify JWT: JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 5)'),
    );
    expect(result.stdout).toContain('advice: This token has 5 parts: it is an encrypted JWE, which is what a Cognito refresh token is.');
    expect(fetcher.calls).toEqual([]);
  });

  it('a token of another pool, even with a bad signature (issuer pre-match comes first)', async () => {
    const foreign = signJwt({ ...tokens.accessPayload, iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OTHER' }, otherKey);
    const result = await check(['--token', `${foreign.slice(0, -4)}AAAA`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual(refusal('invalid-jwt', 'Could not verify JWT: JWTNotInIssuer'));
  });

  it('claims in the wrong format for the config', async () => {
    const jsonTokens = await issueTokens({ key, now: NOW, config: { claimsFormat: 'json' } });
    const result = await check(['--token', jsonTokens.accessToken]);
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual(refusal('jwt-invalid-claims', 'expecting a string when claims_format is stringified_json'));
    expect(result.stdout).toContain(
      "advice: The claims are not in the format Hasura expects (claims_format stringified_json): the config's claims_format must match the Lambda's claimsFormat (generate it from the stack's outputs, or pass the Lambda's --claims-format with explicit ids).\n",
    );
  });

  it('a JWKS without keys', async () => {
    const result = await check(['--token', tokens.accessToken], { fetcher: jwksFetcher(JWKS_URI, []) });
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual(refusal('invalid-jwt', 'Could not verify JWT: JWSError NoUsableKeys'));
  });

  it('alg none', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const result = await check(['--token', `${b64({ alg: 'none' })}.${b64(tokens.accessPayload)}.`]);
    expect(result.stdout).toEqual(refusal('invalid-jwt', 'Could not verify JWT: JWSError JWSNoSignatures'));
  });
});

describe('check-token bad input: exit 2, one line', () => {
  it.each([
    ['no token', [], 'check-token: --token: expected a JWT, found nothing\n'],
    [
      'no pool',
      ['--token', 'a.b.c'],
      'check-token: --region: expected --outputs FILE, or --region, --user-pool-id and --client-id, found no value\n',
    ],
    [
      'conflicting pool options',
      ['--token', 'a.b.c', '--outputs', OUTPUTS_FIXTURE_ARG, '--user-pool-id', POOL_ID],
      "check-token: --user-pool-id: expected --outputs without --user-pool-id (the stack's HasuraJwtSecret says its issuer), found both\n",
    ],
    [
      '--namespace with --outputs',
      ['--token', 'a.b.c', '--outputs', OUTPUTS_FIXTURE_ARG, '--namespace', NAMESPACE],
      "check-token: --namespace: expected --outputs without --namespace (the stack's HasuraJwtSecret says its claims_namespace), found both\n",
    ],
    [
      '--claims-format with --outputs',
      ['--token', 'a.b.c', '--outputs', OUTPUTS_FIXTURE_ARG, '--claims-format', 'json'],
      "check-token: --claims-format: expected --outputs without --claims-format (the stack's HasuraJwtSecret says its claims_format), found both\n",
    ],
  ])('%s', async (_name, argv, stderr) => {
    expect(await runMain(main, argv, io())).toEqual({ code: 2, stdout: '', stderr });
  });

  it.each([
    ['empty standard input', '  \n', 'check-token: --token -: expected a JWT on standard input, found nothing\n'],
    [
      'two tokens on standard input',
      'a.b.c\nd.e.f\n',
      'check-token: --token -: expected one JWT on standard input, found several words or lines\n',
    ],
    [
      'more than a token could be',
      'x'.repeat(70_000),
      'check-token: --token -: expected a JWT of at most 65536 bytes on standard input, found more\n',
    ],
  ])('--token - with %s', async (_name, input, stderr) => {
    expect(await check(['--token', '-'], { readStdin: async () => input })).toEqual({ code: 2, stdout: '', stderr });
  });

  it('--token - with a bad option: refused before standard input is read', async () => {
    const readStdin = jest.fn(async () => tokens.accessToken);
    const result = await runMain(
      main,
      ['--token', '-', '--region', 'Virginia', '--user-pool-id', POOL_ID, '--client-id', CLIENT_ID],
      io({ readStdin }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^check-token: --region: /);
    expect(readStdin).not.toHaveBeenCalled();
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a jwk_url over plain http to another host',
      { jwk_url: 'http://attacker.example/us-east-1_EXAMPLE/.well-known/jwks.json' },
      'jwk_url: expected an https URL',
    ],
    ['no audience', { audience: undefined }, 'audience: expected a non-empty array of app client ids'],
    ['an extra field', { claims_map: {} }, 'claims_map: expected no such field'],
  ])('a tampered HasuraJwtSecret output (%s): refused naming the field, before any fetch', async (_name, changes, fragment) => {
    const temp = makeTempDir();
    try {
      const file = join(temp.dir, 'outputs.json');
      writeFileSync(file, fixtureOutputsWith(changes));
      const fetcher = jwksFetcher(JWKS_URI, [key]);
      const result = await runMain(main, ['--outputs', file, '--token', tokens.accessToken], io({ fetcher }));
      expect(result).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^check-token: [^\n]+\n$/) });
      expect(result.stderr).toContain(`stack HasuraCognito output HasuraJwtSecret field ${fragment}`);
      expect(fetcher.calls).toEqual([]);
    } finally {
      temp.cleanup();
    }
  });

  it('a JWKS that cannot be fetched', async () => {
    const fetcher = { fetch: async () => Promise.reject(new Error('getaddrinfo ENOTFOUND')) };
    const result = await check(['--token', tokens.accessToken], { fetcher });
    expect(result).toEqual({ code: 2, stdout: '', stderr: `check-token: cannot load the JWKS from ${JWKS_URI}: getaddrinfo ENOTFOUND\n` });
  });
});

describe('values from the token, the options and files are printed escaped', () => {
  const claimsToken = async (claims: Record<string, unknown>) =>
    (await issueTokens({ key, now: NOW, overrides: { access: { [NAMESPACE]: JSON.stringify(claims) } } })).accessToken;

  it('an accepted token whose role and session variables hold escape sequences, C1, bidi and newlines', async () => {
    const role = `user${FORGED_LINE}`;
    const orgId = `org${HIDDEN_CHARACTERS}`;
    const token = await claimsToken({
      'x-hasura-allowed-roles': [role],
      'x-hasura-default-role': role,
      'x-hasura-user-id': USER_SUB,
      'x-hasura-org-id': orgId,
      [`x-hasura-${FORGED_LINE}`]: 'v',
    });
    const result = await check(['--token', token]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expectTerminalSafe(result.stdout, 7);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual(['Hasura accepts this token.', expect.stringMatching(/^role: "/), 'session variables:']);
    // Nothing is lost: each escaped value reads back as the original.
    expect(JSON.parse(lines[1].slice('role: '.length))).toBe(role);
    const orgLine = lines.find((line) => line.startsWith('  x-hasura-org-id: '))!;
    expect(JSON.parse(orgLine.slice('  x-hasura-org-id: '.length))).toBe(orgId);
    expect(lines.find((line) => line.startsWith('  "x-hasura-'))).toBe(`  ${JSON.stringify(`x-hasura-${FORGED_LINE}`)}: "v"`);
  });

  it.each<[string, () => Promise<string[]>, number]>([
    [
      'an iss with an OSC sequence and a newline (issuer advice)',
      async () => ['--token', signJwt({ ...tokens.accessPayload, iss: `https://x${FORGED_LINE}` }, key)],
      4,
    ],
    [
      'an aud with escapes (audience advice)',
      async () => ['--token', signJwt({ ...tokens.accessPayload, aud: `evil\u001b[1A\u009b\u202e\nrole admin` }, key)],
      4,
    ],
    [
      'an alg Hasura cannot decode (message)',
      async () => ['--token', signJwt(tokens.accessPayload, key, { alg: `RS256${HIDDEN_CHARACTERS}` })],
      3,
    ],
    [
      'stringified claims that are not JSON (message and format advice)',
      async () => ['--token', signJwt({ ...tokens.accessPayload, [NAMESPACE]: `{${FORGED_LINE}` }, key)],
      4,
    ],
    [
      'a --role with escapes (access-denied advice)',
      async () => ['--token', tokens.accessToken, '--role', `admin${HIDDEN_CHARACTERS}${FORGED_LINE}`],
      4,
    ],
  ])('a refused token: %s', async (_name, argv, lines) => {
    const result = await check(await argv());
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout.startsWith('Hasura refuses this token.\n')).toBe(true);
    expectTerminalSafe(result.stdout, lines);
  });

  it('the issuer advice quotes the forged iss, still readable', async () => {
    const iss = `https://x${FORGED_LINE}`;
    const result = await check(['--token', signJwt({ ...tokens.accessPayload, iss }, key)]);
    const advice = result.stdout.split('\n').find((line) => line.startsWith('advice: '))!;
    expect(JSON.parse(advice.slice('advice: '.length))).toBe(
      `The token comes from ${iss}, not ${ISSUER}: it belongs to another user pool, region or endpoint.`,
    );
  });

  it('a JWKS error whose text holds escapes and newlines: one escaped line on stderr', async () => {
    const fetcher = { fetch: async () => Promise.reject(new Error(`bad gateway${FORGED_LINE}${HIDDEN_CHARACTERS}`)) };
    const result = await check(['--token', tokens.accessToken], { fetcher });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith('check-token: ')).toBe(true);
    expectTerminalSafe(result.stderr, 1);
  });

  it('an outputs file whose stack name and output hold escapes: one escaped line on stderr', async () => {
    const temp = makeTempDir();
    try {
      const file = join(temp.dir, 'outputs.json');
      writeFileSync(
        file,
        JSON.stringify({
          [`Evil${FORGED_LINE}`]: { UserPoolId: POOL_ID, UserPoolClientId: CLIENT_ID, Region: `us-east-1${HIDDEN_CHARACTERS}` },
        }),
      );
      const result = await runMain(main, ['--outputs', file, '--token', tokens.accessToken], io());
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expectTerminalSafe(result.stderr, 1);
      expect(result.stderr).toContain('output Region: expected an AWS region');
    } finally {
      temp.cleanup();
    }
  });
});
