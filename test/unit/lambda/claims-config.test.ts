import {
  CLAIMS_CONFIG_FIELDS,
  DEFAULT_CLAIMS_NAMESPACE,
  parseClaimsConfig,
  parseClaimsConfigJson,
  STANDARD_ATTRIBUTES,
  serializeClaimsConfig,
} from '../../../lambda/claims-config';
import { HasuraCognitoError, InvalidInputError } from '../../../lambda/errors';

/** What the namespace error says it expected. */
const NOT_COGNITOS = 'that Cognito neither reserves nor fills from a user attribute';

function configError(input: unknown, source?: string): InvalidInputError {
  try {
    parseClaimsConfig(input, source);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error(`config was accepted: ${JSON.stringify(input)}`);
}

describe('parseClaimsConfig', () => {
  it('applies every default to an empty config', () => {
    expect(parseClaimsConfig({})).toEqual({
      namespace: DEFAULT_CLAIMS_NAMESPACE,
      claimsFormat: 'stringified_json',
      tokenUse: 'access',
      defaultRole: 'user',
      groupRoles: {},
      userIdAttribute: 'sub',
      sessionVariables: {},
      machineClients: {},
    });
    expect(parseClaimsConfig(undefined)).toEqual(parseClaimsConfig({}));
    expect(CLAIMS_CONFIG_FIELDS).toEqual(Object.keys(parseClaimsConfig({})));
  });

  it('keeps a full valid config and freezes it deeply', () => {
    const input = {
      namespace: 'https://example.com/jwt/claims',
      claimsFormat: 'json',
      tokenUse: 'id',
      defaultRole: 'viewer',
      groupRoles: { admins: 'admin', editors: 'editor' },
      userIdAttribute: 'custom:user_id',
      sessionVariables: { 'x-hasura-org-id': 'custom:org_id' },
      machineClients: { '4m2mclientexample0123456789': { role: 'service', sessionVariables: { 'x-hasura-tenant': 'acme' } } },
    };
    const config = parseClaimsConfig(input);
    expect(config).toEqual(input);
    expect(Object.isFrozen(config.groupRoles)).toBe(true);
    expect(Object.isFrozen(config.machineClients['4m2mclientexample0123456789'].sessionVariables)).toBe(true);
    expect(() => ((config.groupRoles as Record<string, string>).hackers = 'admin')).toThrow(TypeError);
  });

  it('freezes every object it returns, the shared defaults included', () => {
    const frozenThroughout = (value: unknown): boolean =>
      typeof value !== 'object' || value === null || (Object.isFrozen(value) && Object.values(value).every(frozenThroughout));
    expect(frozenThroughout(parseClaimsConfig({}))).toBe(true);
    expect(frozenThroughout(parseClaimsConfig({ machineClients: { abc123: { role: 'service' } } }))).toBe(true);
    // A default map is one object shared by every config, so it must not be writable through any.
    expect(() => ((parseClaimsConfig({}).groupRoles as Record<string, string>).hackers = 'admin')).toThrow(TypeError);
    expect(parseClaimsConfig({}).groupRoles).toEqual({});
  });

  it('fills a machine client without session variables with an empty set', () => {
    expect(parseClaimsConfig({ machineClients: { abc123: { role: 'service' } } }).machineClients.abc123).toEqual({
      role: 'service',
      sessionVariables: {},
    });
  });

  it('round-trips through serializeClaimsConfig and parseClaimsConfigJson', () => {
    const config = parseClaimsConfig({ groupRoles: { a: 'b' }, sessionVariables: { 'x-hasura-org-id': 'custom:org' } });
    expect(parseClaimsConfigJson(serializeClaimsConfig(config))).toEqual(config);
  });

  it('treats an unset or blank environment variable as all defaults', () => {
    expect(parseClaimsConfigJson(undefined)).toEqual(parseClaimsConfig({}));
    expect(parseClaimsConfigJson('  ')).toEqual(parseClaimsConfig({}));
    expect(parseClaimsConfigJson('null')).toEqual(parseClaimsConfig({}));
  });

  it('names the variable when the JSON does not parse', () => {
    expect(() => parseClaimsConfigJson('{groupRoles:')).toThrow(
      'HASURA_CLAIMS_CONFIG: expected a JSON object, found text that is not JSON',
    );
  });

  // JSON.parse keeps "__proto__" as an own key, as the Lambda and cdk.json read it; code that later
  // writes such a key into a plain object sets the prototype instead, and the entry is lost.
  const MAPS: [string, (key: string) => unknown][] = [
    ['groupRoles', (key) => ({ groupRoles: { [key]: 'admin' } })],
    ['sessionVariables', (key) => ({ sessionVariables: { [key]: 'sub' } })],
    ['machineClients', (key) => ({ machineClients: { [key]: { role: 'service' } } })],
    [
      'machineClients.abc123.sessionVariables',
      (key) => ({ machineClients: { abc123: { role: 'service', sessionVariables: { [key]: 'x' } } } }),
    ],
  ];
  const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype'];

  it.each(MAPS)('refuses __proto__, constructor and prototype as keys of %s, naming the key', (map, input) => {
    for (const key of PROTOTYPE_NAMES) {
      const json = JSON.stringify(input(key));
      let error: unknown;
      try {
        parseClaimsConfigJson(json);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe(`HASURA_CLAIMS_CONFIG.${map}.${key}`);
      expect((error as InvalidInputError).expected).toContain('not "__proto__", "constructor" or "prototype"');
    }
  });

  it('accepts other keys that merely contain those names', () => {
    expect(
      Object.keys(parseClaimsConfig({ groupRoles: { __proto__s: 'a', Constructor: 'b', 'prototype-admins': 'c' } }).groupRoles),
    ).toEqual(['__proto__s', 'Constructor', 'prototype-admins']);
  });

  /**
   * Every claim Cognito fills from a user's standard attributes (developer guide, "Standard
   * attributes"; the CDK's StandardAttributesMask lists the same names). Written out, not imported.
   */
  const STANDARD_ATTRIBUTE_CLAIMS = [
    'address',
    'birthdate',
    'email',
    'email_verified',
    'family_name',
    'gender',
    'given_name',
    'locale',
    'middle_name',
    'name',
    'nickname',
    'phone_number',
    'phone_number_verified',
    'picture',
    'preferred_username',
    'profile',
    'sub',
    'updated_at',
    'website',
    'zoneinfo',
  ];

  it.each(STANDARD_ATTRIBUTE_CLAIMS)(
    "refuses the namespace %s in any case: the ID token carries the user's own attribute under that name",
    (claim) => {
      // With tokenUse access the handler leaves the ID token alone, so it would still carry the
      // user-written attribute, e.g. name = {"x-hasura-allowed-roles":["admin"],...}, and Hasura
      // accepts an ID token (its aud is the user client).
      const capitalized = claim[0].toUpperCase() + claim.slice(1);
      for (const namespace of [claim, claim.toUpperCase(), capitalized]) {
        const error = configError({ namespace }, 'hasuraCognito');
        expect(error.field).toBe('hasuraCognito.namespace');
        expect(error.expected).toContain(NOT_COGNITOS);
        expect(error.found).toBe(JSON.stringify(namespace));
      }
    },
  );

  it('keeps one list of the standard attributes, the one the namespace check uses', () => {
    expect([...STANDARD_ATTRIBUTES].sort()).toEqual(STANDARD_ATTRIBUTE_CLAIMS);
  });

  // Each row: the input, the field the message must name, and a fragment of what was expected.
  const invalid: [string, unknown, string, string][] = [
    ['a non-object config', ['user'], 'HASURA_CLAIMS_CONFIG', 'an object'],
    ['an unknown field', { groupRole: {} }, 'HASURA_CLAIMS_CONFIG.groupRole', 'one of namespace, claimsFormat'],
    ['an empty namespace', { namespace: '' }, 'HASURA_CLAIMS_CONFIG.namespace', 'a claim name'],
    ['a reserved namespace', { namespace: 'aud' }, 'HASURA_CLAIMS_CONFIG.namespace', NOT_COGNITOS],
    ['a reserved namespace in upper case', { namespace: 'AUD' }, 'HASURA_CLAIMS_CONFIG.namespace', NOT_COGNITOS],
    ['a cognito: namespace', { namespace: 'cognito:hasura' }, 'HASURA_CLAIMS_CONFIG.namespace', NOT_COGNITOS],
    ['a custom: namespace', { namespace: 'custom:claims' }, 'HASURA_CLAIMS_CONFIG.namespace', NOT_COGNITOS],
    ['a Custom: namespace', { namespace: 'Custom:claims' }, 'HASURA_CLAIMS_CONFIG.namespace', NOT_COGNITOS],
    ['a dev: namespace', { namespace: 'dev:claims' }, 'HASURA_CLAIMS_CONFIG.namespace', NOT_COGNITOS],
    ['an unknown claims format', { claimsFormat: 'jwt' }, 'HASURA_CLAIMS_CONFIG.claimsFormat', '"stringified_json" or "json"'],
    ['an unknown token use', { tokenUse: 'refresh' }, 'HASURA_CLAIMS_CONFIG.tokenUse', '"access" or "id"'],
    ['an empty default role', { defaultRole: '' }, 'HASURA_CLAIMS_CONFIG.defaultRole', 'a role name'],
    ['a default role that is not a string', { defaultRole: 7 }, 'HASURA_CLAIMS_CONFIG.defaultRole', 'a role name'],
    ['a padded role', { groupRoles: { admins: ' admin' } }, 'HASURA_CLAIMS_CONFIG.groupRoles.admins', 'without surrounding spaces'],
    ['an empty group role', { groupRoles: { admins: '' } }, 'HASURA_CLAIMS_CONFIG.groupRoles.admins', 'a role name'],
    [
      'a group name with a space',
      { groupRoles: { 'my admins': 'admin' } },
      'HASURA_CLAIMS_CONFIG.groupRoles["my admins"]',
      'a Cognito group name',
    ],
    ['groupRoles as an array', { groupRoles: ['admin'] }, 'HASURA_CLAIMS_CONFIG.groupRoles', 'an object'],
    ['an empty user id attribute', { userIdAttribute: '' }, 'HASURA_CLAIMS_CONFIG.userIdAttribute', 'a user attribute name'],
    [
      'a session variable without the prefix',
      { sessionVariables: { 'org-id': 'custom:org' } },
      'HASURA_CLAIMS_CONFIG.sessionVariables["org-id"]',
      '"x-hasura-*"',
    ],
    [
      'an upper-case session variable',
      { sessionVariables: { 'X-Hasura-Org-Id': 'custom:org' } },
      'HASURA_CLAIMS_CONFIG.sessionVariables["X-Hasura-Org-Id"]',
      'lower-case',
    ],
    [
      'a session variable overwriting the user id',
      { sessionVariables: { 'x-hasura-user-id': 'email' } },
      'HASURA_CLAIMS_CONFIG.sessionVariables["x-hasura-user-id"]',
      'does not set itself',
    ],
    [
      'a session variable overwriting the roles',
      { sessionVariables: { 'x-hasura-allowed-roles': 'custom:roles' } },
      'HASURA_CLAIMS_CONFIG.sessionVariables["x-hasura-allowed-roles"]',
      'does not set itself',
    ],
    [
      'a session variable named x-hasura-role',
      { sessionVariables: { 'x-hasura-role': 'custom:role' } },
      'HASURA_CLAIMS_CONFIG.sessionVariables["x-hasura-role"]',
      'does not set itself',
    ],
    [
      'a session variable read from nothing',
      { sessionVariables: { 'x-hasura-org-id': '' } },
      'HASURA_CLAIMS_CONFIG.sessionVariables["x-hasura-org-id"]',
      'a user attribute name',
    ],
    [
      'a machine client id with a dash',
      { machineClients: { 'not-an-id': { role: 'service' } } },
      'HASURA_CLAIMS_CONFIG.machineClients["not-an-id"]',
      'an app client id',
    ],
    [
      'a machine client without a role',
      { machineClients: { abc123: {} } },
      'HASURA_CLAIMS_CONFIG.machineClients.abc123.role',
      'a role name',
    ],
    [
      'a machine client with an unknown field',
      { machineClients: { abc123: { role: 'service', roles: [] } } },
      'HASURA_CLAIMS_CONFIG.machineClients.abc123.roles',
      'one of role, sessionVariables',
    ],
    [
      'a machine client overwriting its client id',
      { machineClients: { abc123: { role: 's', sessionVariables: { 'x-hasura-client-id': 'x' } } } },
      'HASURA_CLAIMS_CONFIG.machineClients.abc123.sessionVariables["x-hasura-client-id"]',
      'does not set itself',
    ],
    [
      'a machine client session variable that is not a string',
      { machineClients: { abc123: { role: 's', sessionVariables: { 'x-hasura-tier': 3 } } } },
      'HASURA_CLAIMS_CONFIG.machineClients.abc123.sessionVariables["x-hasura-tier"]',
      'a string',
    ],
  ];

  it.each(invalid)('rejects %s, naming the field', (_, input, field, expected) => {
    const error = configError(input);
    expect(error.field).toBe(field);
    expect(error.expected).toContain(expected);
    expect(error.message).toMatch(new RegExp(`^${field.replace(/[[\]().*+?^$|\\]/g, '\\$&')}: expected .+, found .+$`));
    expect(error.name).toBe('InvalidInputError');
    expect(error).toBeInstanceOf(HasuraCognitoError);
  });

  it('names the config by its source, so cdk.json errors point at the context key', () => {
    expect(configError({ defaultRole: '' }, 'hasuraCognito').field).toBe('hasuraCognito.defaultRole');
  });

  it('names the field even for a value JSON cannot show, such as a function, a bigint or a cycle', () => {
    // The construct takes the config from a user's code, where such values can slip in.
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const found: [unknown, string][] = [
      [() => 'admin', 'a function'],
      [Symbol('admin'), 'a symbol'],
      [7n, 'a bigint'],
      [cycle, 'an object'],
    ];
    for (const [value, description] of found) {
      const error = configError({ defaultRole: value });
      expect(error.field).toBe('HASURA_CLAIMS_CONFIG.defaultRole');
      expect(error.found).toBe(description);
    }
  });

  it('says what it found, shortened when long', () => {
    expect(configError({ tokenUse: 'refresh' }).found).toBe('"refresh"');
    expect(configError({ defaultRole: 'x'.repeat(200) }).found).toHaveLength(64);
    expect(configError({ machineClients: { abc123: {} } }).found).toBe('nothing');
  });
});
