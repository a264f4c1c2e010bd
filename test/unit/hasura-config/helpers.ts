/** Shared test helpers: in-process CLI runs, temp dirs, an RSA key, and Cognito-shaped tokens. */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fetcher } from 'aws-jwt-verify/https';
import type { HasuraJwtRulesConfig } from '../../../hasura-config/hasura-jwt-rules';
import { type ClaimsConfigInput, parseClaimsConfig } from '../../../lambda/claims-config';
import type { PreTokenGenerationEvent } from '../../../lambda/events';
import { createPreTokenGenerationHandler } from '../../../lambda/pre-token-generation';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
export const OUTPUTS_FIXTURE = join(FIXTURES, 'outputs-one-stack.json');
/** Relative to the repo root, as a user would type it (and as messages show it). */
export const OUTPUTS_FIXTURE_ARG = 'test/fixtures/outputs-one-stack.json';

/**
 * The fixture's outputs document with its stack's HasuraJwtSecret changed: `changes` merged into
 * the secret (a field set to undefined is removed), or `null` for no HasuraJwtSecret output.
 */
export function fixtureOutputsWith(changes: Record<string, unknown> | null): string {
  const document = JSON.parse(readFileSync(OUTPUTS_FIXTURE, 'utf8')) as Record<string, Record<string, string>>;
  const stack = document.HasuraCognito;
  if (changes === null) delete stack.HasuraJwtSecret;
  else stack.HasuraJwtSecret = JSON.stringify({ ...JSON.parse(stack.HasuraJwtSecret), ...changes });
  return JSON.stringify(document);
}

export const REGION = 'us-east-1';
export const POOL_ID = 'us-east-1_EXAMPLE';
export const CLIENT_ID = '1example23456789';
export const MACHINE_CLIENT_ID = '2example23456789';
export const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`;
export const JWKS_URI = `${ISSUER}/.well-known/jwks.json`;
export const NAMESPACE = 'https://hasura.io/jwt/claims';
/** A HASURA_GRAPHQL_JWT_SECRET for the pool above, as the generator writes it (the fields the rules read). */
export const HASURA_RULES_CONFIG: HasuraJwtRulesConfig = {
  claims_namespace: NAMESPACE,
  claims_format: 'stringified_json',
  issuer: ISSUER,
  audience: [CLIENT_ID],
  allowed_skew: 5,
};
/** The explicit pool options of both CLIs, for the pool above. */
export const EXPLICIT_POOL_ARGS: readonly string[] = ['--region', REGION, '--user-pool-id', POOL_ID, '--client-id', CLIENT_ID];

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

type Main<Io> = (argv: readonly string[], io: Io) => Promise<number>;

/** Runs a CLI `main` in-process, capturing its output. */
export async function runMain<Extra extends object>(
  main: Main<Extra & { stdout(t: string): void; stderr(t: string): void }>,
  argv: string[],
  extra?: Extra,
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io = {
    ...(extra as Extra),
    stdout: (t: string) => {
      stdout += t;
    },
    stderr: (t: string) => {
      stderr += t;
    },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A temp directory removed by the returned cleanup (call it in afterEach/afterAll). */
export function makeTempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'hasura-config-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

// ---- keys and tokens -------------------------------------------------------------------------

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

export function makeSigningKey(kid: string): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

/** base64url of a value's JSON, or of a string as it is. */
export const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** A compact JWS with any header, body and signature text: for the rules, which check no signature. */
export const compact = (header: unknown, body: unknown, signature = 'c2ln') => `${b64(header)}.${b64(body)}.${signature}`;

export function signJwt(payload: Record<string, unknown>, key: SigningKey, header: Record<string, unknown> = {}): string {
  const signingInput = `${b64({ kid: key.kid, alg: 'RS256', ...header })}.${b64(payload)}`;
  return `${signingInput}.${sign('RSA-SHA256', Buffer.from(signingInput), key.privateKey).toString('base64url')}`;
}

/** Serves `{ keys }` at exactly `uri`; any other URI fails, so a test also proves which URL is used. */
export function jwksFetcher(uri: string, keys: readonly SigningKey[]): Fetcher & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fetch: async (requested) => {
      calls.push(requested);
      if (requested !== uri) throw new Error(`unexpected JWKS URI ${requested}`);
      const body = Buffer.from(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
      return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
    },
  };
}

// ---- Cognito-shaped tokens with the real handler's claims -------------------------------------

export const USER_SUB = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
export const ORG_ID = '8f14e45f-ceea-467f-a5b6-8e2b7c1d0a11';

export const HANDLER_CONFIG: ClaimsConfigInput = {
  groupRoles: { admins: 'admin' },
  sessionVariables: { 'x-hasura-org-id': 'custom:org_id' },
};

/** A V2 authentication event for a user in group "admins", issued to `clientId`. */
export function v2Event(clientId: string): PreTokenGenerationEvent {
  return {
    version: '2',
    triggerSource: 'TokenGeneration_Authentication',
    region: REGION,
    userPoolId: POOL_ID,
    userName: 'JaneDoe',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
    request: {
      userAttributes: { sub: USER_SUB, email: 'jane.doe@example.com', email_verified: 'true', 'custom:org_id': ORG_ID },
      groupConfiguration: { groupsToOverride: ['admins'], iamRolesToOverride: [], preferredRole: null },
      scopes: ['aws.cognito.signin.user.admin'],
    },
    response: { claimsAndScopeOverrideDetails: null },
  } as unknown as PreTokenGenerationEvent;
}

export interface CognitoTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly idPayload: Record<string, unknown>;
  readonly accessPayload: Record<string, unknown>;
}

/**
 * Runs the REAL handler on a V2 event and builds the ID and access tokens Cognito would issue:
 * Cognito's own claims, then the handler's `claimsToAddOrOverride` for each token.
 */
export async function issueTokens(options: {
  key: SigningKey;
  config?: ClaimsConfigInput;
  clientId?: string;
  issuer?: string;
  /** Seconds since the epoch; tokens are issued 10 s before it and live an hour. */
  now: number;
  overrides?: { id?: Record<string, unknown>; access?: Record<string, unknown> };
}): Promise<CognitoTokens> {
  const clientId = options.clientId ?? CLIENT_ID;
  const issuer = options.issuer ?? ISSUER;
  const handler = createPreTokenGenerationHandler(parseClaimsConfig({ ...HANDLER_CONFIG, ...options.config }));
  const event = await handler(v2Event(clientId));
  const details =
    (event.response as { claimsAndScopeOverrideDetails?: Record<string, { claimsToAddOrOverride?: Record<string, unknown> }> })
      .claimsAndScopeOverrideDetails ?? {};
  const iat = Math.floor(options.now) - 10;
  const common = {
    sub: USER_SUB,
    'cognito:groups': ['admins'],
    iss: issuer,
    origin_jti: 'origin-jti-example',
    event_id: 'event-id-example',
    auth_time: iat,
    iat,
    exp: iat + 3600,
  };
  const idPayload = {
    ...common,
    email_verified: true,
    'cognito:username': 'JaneDoe',
    aud: clientId,
    token_use: 'id',
    jti: 'id-jti-example',
    email: 'jane.doe@example.com',
    ...details.idTokenGeneration?.claimsToAddOrOverride,
    ...options.overrides?.id,
  };
  const accessPayload = {
    ...common,
    client_id: clientId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    jti: 'access-jti-example',
    username: 'JaneDoe',
    ...details.accessTokenGeneration?.claimsToAddOrOverride,
    ...options.overrides?.access,
  };
  return { idToken: signJwt(idPayload, options.key), accessToken: signJwt(accessPayload, options.key), idPayload, accessPayload };
}

// ---- hostile values ----------------------------------------------------------------------------

/** An OSC window title, a BEL and a newline that would paint a forged "role: admin" line. */
export const FORGED_LINE = '\u001b]0;pwned\u0007\nrole: admin';
/** C1 CSI, DEL, a right-to-left override and a carriage return. */
export const HIDDEN_CHARACTERS = '\u009b31m\u007f\u202enimda\rrole: admin';

/**
 * What a terminal must never receive from a value: C0 controls other than our own line feeds,
 * DEL, C1, and the bidi, zero-width and separator characters terminal-text.ts escapes.
 */
const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

/** `text` holds exactly `lines` lines (when given), none forged as "role: admin", and nothing a terminal would interpret. */
export function expectTerminalSafe(text: string, lines?: number): void {
  expect(text).not.toMatch(TERMINAL_UNSAFE);
  expect(text.endsWith('\n')).toBe(true);
  const shown = text.slice(0, -1).split('\n');
  if (lines !== undefined) expect(shown).toHaveLength(lines);
  expect(shown.filter((line) => line.startsWith('role: admin'))).toEqual([]);
}
