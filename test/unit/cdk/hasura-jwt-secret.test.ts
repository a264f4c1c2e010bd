/**
 * lib/hasura-jwt-secret.ts: the one builder of HASURA_GRAPHQL_JWT_SECRET, and the parser that
 * reads one back (the stack's `HasuraJwtSecret` output) and refuses anything this project would
 * not have written, naming the field.
 */
import { HasuraCognitoError, InvalidInputError } from '../../../lambda/errors';
import {
  buildHasuraJwtSecret,
  HASURA_JWT_SECRET_FIELDS,
  type HasuraJwtSecret,
  type HasuraJwtSecretOptions,
  parseHasuraJwtSecret,
} from '../../../lib/hasura-jwt-secret';

const SUBJECT = '--outputs cdk-outputs.json stack HasuraCognito output HasuraJwtSecret';
const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE';
const OPTIONS: HasuraJwtSecretOptions = {
  region: 'us-east-1',
  userPoolId: 'us-east-1_EXAMPLE',
  clientIds: ['1example23456789', '2example23456789'],
  namespace: 'https://hasura.io/jwt/claims',
  claimsFormat: 'stringified_json',
};
const DEPLOYED: HasuraJwtSecret = buildHasuraJwtSecret(OPTIONS);

/** The secret as it travels: JSON text, parsed. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function refusal(value: unknown): InvalidInputError {
  try {
    parseHasuraJwtSecret(value, SUBJECT);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toBeInstanceOf(HasuraCognitoError);
    return error as InvalidInputError;
  }
  throw new Error('expected the secret to be refused');
}

describe('parseHasuraJwtSecret accepts what buildHasuraJwtSecret writes', () => {
  it.each<[string, HasuraJwtSecretOptions]>([
    ['a Cognito pool with machine clients', OPTIONS],
    ['json claims under another namespace', { ...OPTIONS, namespace: 'claims.example.com', claimsFormat: 'json' }],
    ['a local emulator over plain http on loopback', { ...OPTIONS, userPoolId: 'local_4DA54YKg', endpoint: 'http://127.0.0.1:9229' }],
    ['an emulator over https', { ...OPTIONS, userPoolId: 'local_4DA54YKg', endpoint: 'https://cognito.example.com:8443/prefix' }],
    ['a loopback IPv6 emulator', { ...OPTIONS, userPoolId: 'local_4DA54YKg', endpoint: 'http://[::1]:9229' }],
  ])('%s: the same value, same field order, frozen', (_name, options) => {
    const built = buildHasuraJwtSecret(options);
    const parsed = parseHasuraJwtSecret(asJson(built), SUBJECT);
    expect(parsed).toEqual(built);
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(built));
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(Object.isFrozen(parsed.audience)).toBe(true);
  });

  it('the builder writes exactly the fields the parser accepts, in that order', () => {
    expect(Object.keys(DEPLOYED)).toEqual([...HASURA_JWT_SECRET_FIELDS]);
  });

  it('a secret with its fields in another order comes back in the canonical order', () => {
    const reordered = Object.fromEntries(Object.entries(DEPLOYED).reverse());
    expect(JSON.stringify(parseHasuraJwtSecret(reordered, SUBJECT))).toBe(JSON.stringify(DEPLOYED));
  });
});

describe('parseHasuraJwtSecret refuses a tampered secret, naming the field', () => {
  const tampered = (changes: Record<string, unknown>) => asJson({ ...DEPLOYED, ...changes });
  const without = (field: keyof HasuraJwtSecret) => {
    const { [field]: _removed, ...rest } = DEPLOYED;
    return asJson(rest);
  };
  const HTTPS_ONLY = 'an https URL (http only for a loopback host: 127.0.0.0/8, [::1] or localhost)';

  // [case, value, field, expected (substring), found]
  const cases: Array<[string, unknown, string, string, string]> = [
    [
      'jwk_url over plain http to another host',
      tampered({ jwk_url: 'http://attacker.example/us-east-1_EXAMPLE/.well-known/jwks.json' }),
      'jwk_url',
      HTTPS_ONLY,
      '"http://attacker.example/us-east-1_EXAMPLE/.well-known/jwks.json"',
    ],
    [
      'jwk_url over https to another host',
      tampered({ jwk_url: 'https://attacker.example/jwks.json' }),
      'jwk_url',
      `${ISSUER}/.well-known/jwks.json (the issuer's key set)`,
      '"https://attacker.example/jwks.json"',
    ],
    [
      'jwk_url with credentials',
      tampered({ jwk_url: `https://user:pw@cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE/.well-known/jwks.json` }),
      'jwk_url',
      'an http(s) URL without credentials, query or fragment',
      '"https://user:pw@',
    ],
    [
      'jwk_url with a host URL parsers disagree on',
      tampered({ jwk_url: 'https://2130706433/us-east-1_EXAMPLE/.well-known/jwks.json' }),
      'jwk_url',
      'a URL whose host is written as URL parsers read it (here 127.0.0.1)',
      '"https://2130706433/',
    ],
    ['jwk_url missing', without('jwk_url'), 'jwk_url', 'an http(s) URL', 'nothing'],
    [
      'issuer over plain http to another host',
      tampered({
        issuer: 'http://attacker.example/us-east-1_EXAMPLE',
        jwk_url: 'http://attacker.example/us-east-1_EXAMPLE/.well-known/jwks.json',
      }),
      'jwk_url',
      HTTPS_ONLY,
      '"http://attacker.example/',
    ],
    [
      'issuer over plain http to another host, jwk_url kept',
      tampered({ issuer: 'http://attacker.example/us-east-1_EXAMPLE' }),
      'issuer',
      HTTPS_ONLY,
      '"http://attacker.example/us-east-1_EXAMPLE"',
    ],
    [
      'issuer with a fragment',
      tampered({ issuer: `${ISSUER}#x` }),
      'issuer',
      'an http(s) URL without credentials, query or fragment',
      `"${ISSUER}#x"`,
    ],
    ['issuer a number', tampered({ issuer: 42 }), 'issuer', 'an http(s) URL', '42'],
    ['audience missing', without('audience'), 'audience', 'a non-empty array of app client ids', 'nothing'],
    ['audience empty', tampered({ audience: [] }), 'audience', 'a non-empty array of app client ids', '[]'],
    [
      'audience a string',
      tampered({ audience: '1example23456789' }),
      'audience',
      'a non-empty array of app client ids',
      '"1example23456789"',
    ],
    [
      'audience with an id that is not a client id',
      tampered({ audience: ['1example23456789', 'not a client'] }),
      'audience',
      'app client ids (letters, digits, _ and +)',
      '["1example23456789","not a client"]',
    ],
    ['audience with a number', tampered({ audience: [7] }), 'audience', 'app client ids', '[7]'],
    ['type HS256', tampered({ type: 'HS256' }), 'type', '"RS256"', '"HS256"'],
    ['type missing', without('type'), 'type', '"RS256"', 'nothing'],
    ['claims_format unknown', tampered({ claims_format: 'yaml' }), 'claims_format', '"stringified_json" or "json"', '"yaml"'],
    ['claims_format missing', without('claims_format'), 'claims_format', '"stringified_json" or "json"', 'nothing'],
    [
      'claims_namespace Cognito reserves',
      tampered({ claims_namespace: 'cognito:groups' }),
      'claims_namespace',
      'a claim name of 1-256 characters that Cognito neither reserves nor fills from a user attribute',
      '"cognito:groups"',
    ],
    ['claims_namespace a registered claim', tampered({ claims_namespace: 'sub' }), 'claims_namespace', 'a claim name', '"sub"'],
    ['claims_namespace null', tampered({ claims_namespace: null }), 'claims_namespace', 'a claim name', 'null'],
    ['claims_namespace missing', without('claims_namespace'), 'claims_namespace', 'a claim name', 'nothing'],
    ['allowed_skew negative', tampered({ allowed_skew: -1 }), 'allowed_skew', 'a non-negative integer (seconds)', '-1'],
    ['allowed_skew a fraction', tampered({ allowed_skew: 1.5 }), 'allowed_skew', 'a non-negative integer (seconds)', '1.5'],
    ['allowed_skew a string', tampered({ allowed_skew: '5' }), 'allowed_skew', 'a non-negative integer (seconds)', '"5"'],
    ['allowed_skew missing', without('allowed_skew'), 'allowed_skew', 'a non-negative integer (seconds)', 'nothing'],
    // Hasura honours these fields; a tampered secret could use one to take roles from elsewhere.
    [
      'an extra field Hasura honours (claims_map)',
      tampered({ claims_map: { 'x-hasura-allowed-roles': { path: '$.custom:role' } } }),
      'claims_map',
      'no such field',
      'one',
    ],
    ['an extra field Hasura honours (header)', tampered({ header: { type: 'Cookie', name: 'jwt' } }), 'header', 'no such field', 'one'],
    [
      'an extra field named __proto__',
      JSON.parse(`{"__proto__":{"claims_map":{}},${JSON.stringify(DEPLOYED).slice(1)}`),
      '__proto__',
      'no such field',
      'one',
    ],
  ];

  it.each(cases)('%s', (_name, value, field, expected, found) => {
    const error = refusal(value);
    expect(error.field).toBe(`${SUBJECT} field ${field}`);
    expect(error.expected).toContain(expected);
    expect(error.found.startsWith(found)).toBe(true);
    expect(error.message).toBe(`${SUBJECT} field ${field}: expected ${error.expected}, found ${error.found}`);
  });

  it('the one line for a missing audience, in full', () => {
    expect(refusal(without('audience')).message).toBe(
      `${SUBJECT} field audience: expected a non-empty array of app client ids (letters, digits, _ and +), found nothing`,
    );
  });

  it('an extra field says which fields there are', () => {
    expect(refusal(tampered({ claims_map: {} })).expected).toBe(
      'no such field: the secret has exactly type, jwk_url, claims_format, claims_namespace, issuer, audience and allowed_skew',
    );
  });

  it.each<[string, unknown, string]>([
    ['an array', [DEPLOYED], 'an array'],
    ['null', null, 'null'],
    ['a string', JSON.stringify(DEPLOYED), 'a string'],
    ['nothing', undefined, 'nothing'],
  ])('a value that is %s as a whole: the value itself is named', (_name, value, found) => {
    const error = refusal(value);
    expect(error.field).toBe(SUBJECT);
    expect(error.message).toBe(`${SUBJECT}: expected a JSON object, found ${found}`);
  });

  it('a long found value is cut short, so the message stays one readable line', () => {
    const error = refusal(tampered({ audience: ['x'.repeat(1000)] }));
    expect(error.found.length).toBeLessThanOrEqual(200);
    expect(error.found.endsWith('...')).toBe(true);
  });
});
