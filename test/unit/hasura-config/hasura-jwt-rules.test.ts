/**
 * Hasura's JWT rules with plain payloads: messages, codes and the order of the checks
 * (reference hasura-jwt.md sections 4-6).
 */
import {
  applyHasuraRules,
  decodeJwt,
  type HasuraJwtRulesConfig,
  type HasuraOutcome,
  issuerPreMatch,
  sessionFromClaims,
  tokenFromAuthorizationHeader,
  validateClaimsSet,
} from '../../../hasura-config/hasura-jwt-rules';
import { compact, HASURA_RULES_CONFIG, ISSUER, NAMESPACE } from './helpers';

const NS = NAMESPACE;
const ISS = ISSUER;
const NOW = 1_700_000_000;

const config = HASURA_RULES_CONFIG;

const claims = (extra: Record<string, unknown> = {}) => ({
  'x-hasura-allowed-roles': ['user', 'admin'],
  'x-hasura-default-role': 'user',
  'x-hasura-user-id': 'u-1',
  ...extra,
});

const payload = (extra: Record<string, unknown> = {}, hasura: unknown = JSON.stringify(claims())) => ({
  iss: ISS,
  aud: '1example23456789',
  iat: NOW - 10,
  exp: NOW + 3600,
  token_use: 'id',
  [NS]: hasura,
  ...extra,
});

const rejected = (code: string, message: string) => ({ ok: false, code, message });
const run = (p: Record<string, unknown>, roleHeader?: string, cfg: HasuraJwtRulesConfig = config): HasuraOutcome =>
  applyHasuraRules({ payload: p, config: cfg, roleHeader, now: NOW });

describe('a valid payload', () => {
  it('gives the default role and lower-cased string session variables with x-hasura-role set', () => {
    expect(run(payload())).toEqual({
      ok: true,
      role: 'user',
      sessionVariables: { 'x-hasura-role': 'user', 'x-hasura-user-id': 'u-1' },
    });
  });

  it('uses a non-empty x-hasura-role header, and the default role for an empty one', () => {
    expect(run(payload(), 'admin')).toMatchObject({ ok: true, role: 'admin' });
    expect(run(payload(), '')).toMatchObject({ ok: true, role: 'user' });
  });

  it('matches claim names case-insensitively and lower-cases them; drops other keys and secrets', () => {
    const hasura = JSON.stringify({
      'X-Hasura-Allowed-Roles': ['user'],
      'X-HASURA-DEFAULT-ROLE': 'user',
      'X-Hasura-Org-Id': 'o-1',
      'x-hasura-admin-secret': 'nope',
      'x-hasura-role': 'admin',
      other: 42,
    });
    expect(run(payload({}, hasura))).toEqual({
      ok: true,
      role: 'user',
      sessionVariables: { 'x-hasura-org-id': 'o-1', 'x-hasura-role': 'user' },
    });
  });

  it('reads an object claim with claims_format json', () => {
    expect(run(payload({}, claims()), undefined, { ...config, claims_format: 'json' })).toMatchObject({ ok: true, role: 'user' });
  });
});

describe('exp, iat, nbf with allowed_skew (jose validateClaimsSet)', () => {
  it('treats exp + skew == now as expired and exp + skew > now as valid', () => {
    expect(run(payload({ exp: NOW - 5 }))).toEqual(rejected('invalid-jwt', 'Could not verify JWT: JWTExpired'));
    expect(run(payload({ exp: NOW - 4 }))).toMatchObject({ ok: true });
  });

  it('refuses iat beyond the skew as JWTIssuedAtFuture, accepts it within', () => {
    expect(run(payload({ iat: NOW + 6 }))).toEqual(rejected('invalid-jwt', 'Could not verify JWT: JWTIssuedAtFuture'));
    expect(run(payload({ iat: NOW + 5 }))).toMatchObject({ ok: true });
    expect(run(payload({ iat: NOW + 1 }), undefined, { ...config, allowed_skew: 0 })).toEqual(
      rejected('invalid-jwt', 'Could not verify JWT: JWTIssuedAtFuture'),
    );
  });

  it('refuses nbf beyond the skew as JWTNotYetValid', () => {
    expect(run(payload({ nbf: NOW + 6 }))).toEqual(rejected('invalid-jwt', 'Could not verify JWT: JWTNotYetValid'));
    expect(run(payload({ nbf: NOW + 5 }))).toMatchObject({ ok: true });
  });

  it('never expires a token without exp', () => {
    const { exp: _exp, ...noExp } = payload();
    expect(run(noExp)).toMatchObject({ ok: true });
  });

  it('checks in jose order: exp before iat before nbf before iss before aud', () => {
    const all = { exp: NOW - 100, iat: NOW + 100, nbf: NOW + 100, iss: 'https://elsewhere', aud: 'other' };
    expect(validateClaimsSet(payload(all), config, NOW)?.message).toBe('Could not verify JWT: JWTExpired');
    expect(validateClaimsSet(payload({ ...all, exp: NOW + 100 }), config, NOW)?.message).toBe('Could not verify JWT: JWTIssuedAtFuture');
    expect(validateClaimsSet(payload({ ...all, exp: NOW + 100, iat: NOW }), config, NOW)?.message).toBe(
      'Could not verify JWT: JWTNotYetValid',
    );
    expect(validateClaimsSet(payload({ ...all, exp: NOW + 100, iat: NOW, nbf: NOW }), config, NOW)?.message).toBe(
      'Could not verify JWT: JWTNotInIssuer',
    );
    expect(validateClaimsSet(payload({ ...all, exp: NOW + 100, iat: NOW, nbf: NOW, iss: ISS }), config, NOW)?.message).toBe(
      'Could not verify JWT: JWTNotInAudience',
    );
  });
});

describe('audience', () => {
  it('refuses an aud outside the configured audience', () => {
    expect(run(payload({ aud: 'another-client' }))).toEqual(rejected('invalid-jwt', 'Could not verify JWT: JWTNotInAudience'));
  });

  it('accepts when any element of an aud array is configured', () => {
    expect(run(payload({ aud: ['x', '1example23456789'] }))).toMatchObject({ ok: true });
  });

  it('skips the check when the token has no aud, even with an audience configured', () => {
    const { aud: _aud, ...noAud } = payload();
    expect(run(noAud)).toMatchObject({ ok: true });
  });

  it('refuses aud [] even with no audience configured', () => {
    const { audience: _audience, ...noAudience } = config;
    expect(run(payload({ aud: [] }), undefined, noAudience)).toEqual(rejected('invalid-jwt', 'Could not verify JWT: JWTNotInAudience'));
  });

  it('accepts any aud when no audience is configured', () => {
    const { audience: _audience, ...noAudience } = config;
    expect(run(payload({ aud: 'anything' }), undefined, noAudience)).toMatchObject({ ok: true });
  });
});

describe('claims location and format', () => {
  it('reports a missing namespace claim', () => {
    const { [NS]: _ns, ...noClaims } = payload();
    expect(run(noClaims)).toEqual(rejected('jwt-invalid-claims', `claims key: '${NS}' not found`));
  });

  it('never finds a registered claim used as namespace', () => {
    expect(run({ ...payload(), sub: JSON.stringify(claims()) }, undefined, { ...config, claims_namespace: 'sub' })).toEqual(
      rejected('jwt-invalid-claims', "claims key: 'sub' not found"),
    );
  });

  it('needs an object for json, and a string for stringified_json', () => {
    expect(run(payload({}, JSON.stringify(claims())), undefined, { ...config, claims_format: 'json' })).toEqual(
      rejected('jwt-invalid-claims', 'expecting a json object when claims_format is json'),
    );
    expect(run(payload({}, null), undefined, { ...config, claims_format: 'json' })).toEqual(
      rejected('jwt-invalid-claims', 'expecting a json object when claims_format is json'),
    );
    expect(run(payload({}, claims()))).toEqual(rejected('jwt-invalid-claims', 'expecting a string when claims_format is stringified_json'));
  });

  it('refuses a stringified array and a double-encoded string, quoting the string', () => {
    expect(run(payload({}, '["user"]'))).toEqual(
      rejected('jwt-invalid-claims', `expecting stringified json at: 'claims_namespace ${NS}', but found: ["user"]`),
    );
    const twice = JSON.stringify(JSON.stringify(claims()));
    expect(run(payload({}, twice))).toEqual(
      rejected('jwt-invalid-claims', `expecting stringified json at: 'claims_namespace ${NS}', but found: ${twice}`),
    );
  });

  it("defaults to the json format and Hasura's namespace", () => {
    expect(sessionFromClaims({ [NS]: claims() }, {}, undefined)).toMatchObject({ ok: true, role: 'user' });
  });
});

describe('role claims', () => {
  const withClaims = (hasura: Record<string, unknown>, roleHeader?: string) => run(payload({}, JSON.stringify(hasura)), roleHeader);

  it('needs x-hasura-allowed-roles, then x-hasura-default-role', () => {
    expect(withClaims({})).toEqual(rejected('jwt-missing-role-claims', 'JWT claim does not contain x-hasura-allowed-roles'));
    expect(withClaims({ 'x-hasura-allowed-roles': ['user'] })).toEqual(
      rejected('jwt-missing-role-claims', 'JWT claim does not contain x-hasura-default-role'),
    );
  });

  it('needs allowed roles to be an array of non-empty strings (the test_jwt.py message)', () => {
    expect(withClaims(claims({ 'x-hasura-allowed-roles': 'user' }))).toEqual(
      rejected(
        'jwt-invalid-claims',
        'invalid x-hasura-allowed-roles; should be a list of roles: parsing [] failed, expected Array, but encountered String',
      ),
    );
    expect(withClaims(claims({ 'x-hasura-allowed-roles': ['user', ''] }))).toEqual(
      rejected('jwt-invalid-claims', 'invalid x-hasura-allowed-roles; should be a list of roles: empty string not allowed'),
    );
    expect(withClaims(claims({ 'x-hasura-allowed-roles': ['user', 1] }))).toEqual(
      rejected(
        'jwt-invalid-claims',
        'invalid x-hasura-allowed-roles; should be a list of roles: parsing String failed, expected String, but encountered Number',
      ),
    );
  });

  it('needs the default role to be a non-empty string', () => {
    expect(withClaims(claims({ 'x-hasura-default-role': ['user'] }))).toEqual(
      rejected(
        'jwt-invalid-claims',
        'invalid x-hasura-default-role; should be a single role name: parsing String failed, expected String, but encountered Array',
      ),
    );
    expect(withClaims(claims({ 'x-hasura-default-role': '' }))).toEqual(
      rejected('jwt-invalid-claims', 'invalid x-hasura-default-role; should be a single role name: empty string not allowed'),
    );
  });

  it('refuses a requested role that is not allowed; role names are case-sensitive', () => {
    expect(withClaims(claims(), 'superuser')).toEqual(rejected('access-denied', 'Your requested role is not in allowed roles'));
    expect(withClaims(claims(), 'Admin')).toEqual(rejected('access-denied', 'Your requested role is not in allowed roles'));
  });

  it('checks the default role only when no role header is sent', () => {
    const odd = claims({ 'x-hasura-default-role': 'ghost' });
    expect(withClaims(odd)).toEqual(rejected('access-denied', 'Your requested role is not in allowed roles'));
    expect(withClaims(odd, 'admin')).toMatchObject({ ok: true, role: 'admin' });
  });

  it('always refuses an empty allowed-roles array', () => {
    expect(withClaims(claims({ 'x-hasura-allowed-roles': [] }))).toEqual(
      rejected('access-denied', 'Your requested role is not in allowed roles'),
    );
  });
});

describe('session variables', () => {
  it.each([
    [1, 'Number'],
    [true, 'Boolean'],
    [['a'], 'Array'],
    [{ a: 'b' }, 'Object'],
    [null, 'Null'],
  ])('refuses a non-string value %j', (value, type) => {
    expect(run(payload({}, JSON.stringify(claims({ 'x-hasura-org-id': value }))))).toEqual(
      rejected('jwt-invalid-claims', `x-hasura-* claims: parsing Text failed, expected String, but encountered ${type}`),
    );
  });

  it('checks the role before the session variable types (Hasura order 8 then 9)', () => {
    expect(run(payload({}, JSON.stringify(claims({ 'x-hasura-org-id': 1 }))), 'nope')).toEqual(
      rejected('access-denied', 'Your requested role is not in allowed roles'),
    );
  });
});

describe('header, issuer pre-match and compact decoding', () => {
  it('needs exactly "Bearer <jwt>", Bearer case-sensitive', () => {
    expect(tokenFromAuthorizationHeader('Bearer  a.b.c ')).toBe('a.b.c');
    for (const bad of ['bearer a.b.c', 'Bearer', 'Bearer a b', 'a.b.c']) {
      expect(tokenFromAuthorizationHeader(bad)).toEqual(rejected('invalid-headers', 'Malformed Authorization header'));
    }
  });

  it('pre-matches the unverified iss: other issuer fails, none or equal passes', () => {
    expect(issuerPreMatch(compact({ alg: 'RS256' }, { iss: 'https://elsewhere' }), config)).toEqual(
      rejected('invalid-jwt', 'Could not verify JWT: JWTNotInIssuer'),
    );
    expect(issuerPreMatch(compact({ alg: 'RS256' }, { sub: 'x' }), config)).toBeUndefined();
    expect(issuerPreMatch(compact({ alg: 'RS256' }, { iss: ISS }), config)).toBeUndefined();
    expect(issuerPreMatch(compact({ alg: 'RS256' }, { iss: 'https://elsewhere' }), {})).toBeUndefined();
  });

  it('counts the parts', () => {
    expect(decodeJwt('a.b')).toEqual(
      rejected('invalid-jwt', 'Could not verify JWT: JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 2)'),
    );
    expect(decodeJwt('a.b.c.d.e')).toEqual(
      rejected('invalid-jwt', 'Could not verify JWT: JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 5)'),
    );
  });

  it('refuses bad base64url, a header without a known alg, and a crit header', () => {
    expect(decodeJwt('a=.b.c')).toMatchObject({ ok: false, code: 'invalid-jwt' });
    expect(decodeJwt(compact({ typ: 'JWT' }, {}))).toMatchObject({
      ok: false,
      code: 'invalid-jwt',
      message: expect.stringContaining('JSONDecodeError'),
    });
    expect(decodeJwt(compact({ alg: 'rs256' }, {}))).toMatchObject({ ok: false, message: expect.stringContaining('JSONDecodeError') });
    expect(decodeJwt(compact({ alg: 'RS256', crit: ['exp'] }, {}))).toMatchObject({
      ok: false,
      message: expect.stringContaining('JSONDecodeError'),
    });
  });

  it('decodes the claims-set types before the signature', () => {
    for (const bad of [{ exp: '1' }, { iat: true }, { nbf: [] }, { sub: '12:34' }, { iss: 3 }, { aud: [1] }, { jti: 1 }]) {
      expect(decodeJwt(compact({ alg: 'RS256' }, bad))).toMatchObject({
        ok: false,
        code: 'invalid-jwt',
        message: expect.stringMatching(/^Could not verify JWT: JWTClaimsSetDecodeError "/),
      });
    }
    expect(decodeJwt(compact({ alg: 'RS256' }, { sub: 'urn:example:1', exp: 1.5, aud: null }))).toMatchObject({
      payload: { sub: 'urn:example:1' },
    });
  });
});
