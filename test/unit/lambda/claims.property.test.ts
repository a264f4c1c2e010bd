/**
 * Properties of every token the handler can issue, over generated configs and events
 * (fast-check, 10,000 runs each).
 */
import fc from 'fast-check';
import {
  type ClaimsConfig,
  type ClaimsConfigInput,
  HASURA_RESERVED_SESSION_VARIABLES,
  MAX_HASURA_CLAIM_BYTES,
  PROTOTYPE_NAMES,
  parseClaimsConfig,
  parseClaimsConfigJson,
  RESERVED_CLAIMS,
  STANDARD_ATTRIBUTES,
} from '../../../lambda/claims-config';
import {
  ClaimsTooLargeError,
  InvalidInputError,
  MissingUserIdError,
  SignInRejectedError,
  UnsupportedEventError,
} from '../../../lambda/errors';
import { CLIENT_CREDENTIALS_SOURCE, type PreTokenGenerationEvent, USER_TRIGGER_SOURCES } from '../../../lambda/events';
import { encodeHasuraClaims, type HasuraClaims } from '../../../lambda/hasura-claims';
import { createPreTokenGenerationHandler } from '../../../lambda/pre-token-generation';

const RUNS = 10_000;

const role = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s && !/[\u0000-\u001f\u007f]/.test(s));
// fast-check slips in known troublemakers such as "__proto__"; the parser refuses those as keys.
const notPrototypeName = (s: string) => !PROTOTYPE_NAMES.includes(s);
const group = fc.stringMatching(/^[A-Za-z0-9_.-]{1,10}$/).filter(notPrototypeName);
const attribute = fc.constantFrom('sub', 'email', 'custom:org_id', 'custom:tenant', 'custom:user_id', 'name');
const sessionVariable = fc.stringMatching(/^x-hasura-[a-z][a-z0-9_-]{0,8}$/).filter((s) => !HASURA_RESERVED_SESSION_VARIABLES.includes(s));
const clientId = fc.stringMatching(/^[a-z0-9]{4,12}$/).filter(notPrototypeName);

const configInput: fc.Arbitrary<ClaimsConfigInput> = fc.record(
  {
    namespace: fc.oneof(fc.constant('https://hasura.io/jwt/claims'), fc.stringMatching(/^[a-z]{1,6}(\.[a-z]{1,6}){1,3}$/)),
    claimsFormat: fc.constantFrom('stringified_json' as const, 'json' as const),
    tokenUse: fc.constantFrom('access' as const, 'id' as const),
    defaultRole: role,
    groupRoles: fc.dictionary(group, role, { maxKeys: 6 }),
    userIdAttribute: fc.constantFrom('sub', 'custom:user_id'),
    sessionVariables: fc.dictionary(sessionVariable, attribute, { maxKeys: 3 }),
    machineClients: fc.dictionary(
      clientId,
      fc.record({ role, sessionVariables: fc.dictionary(sessionVariable, fc.string({ maxLength: 8 }), { maxKeys: 2 }) }),
      { maxKeys: 2 },
    ),
  },
  { requiredKeys: [] },
);

/** A config and an event built to exercise it: some of its groups and clients, some unknown ones. */
const configAndEvent = configInput.chain((input) => {
  const config = parseClaimsConfig(input);
  const knownGroups = Object.keys(config.groupRoles);
  const knownClients = Object.keys(config.machineClients);
  const event: fc.Arbitrary<PreTokenGenerationEvent> = fc
    .record({
      version: fc.constantFrom('0', '1', '2', '3'),
      triggerSource: fc.constantFrom(...USER_TRIGGER_SOURCES, CLIENT_CREDENTIALS_SOURCE),
      clientId: knownClients.length > 0 ? fc.oneof(fc.constantFrom(...knownClients), clientId) : clientId,
      userAttributes: fc.dictionary(attribute, fc.string({ maxLength: 40 }), { maxKeys: 6 }),
      groups: fc.uniqueArray(knownGroups.length > 0 ? fc.oneof(fc.constantFrom(...knownGroups), group) : group, { maxLength: 8 }),
      clientMetadata: fc.option(
        fc.dictionary(
          fc.constantFrom('role', 'groups', 'x-hasura-allowed-roles', 'x-hasura-user-id'),
          fc.constantFrom('admin', '["admin"]', 'root'),
        ),
        { nil: undefined },
      ),
    })
    .map(({ version, triggerSource, clientId, userAttributes, groups, clientMetadata }) => ({
      version,
      triggerSource,
      region: 'us-east-1',
      userPoolId: 'us-east-1_EXAMPLE',
      userName: 'someone',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
      request: {
        userAttributes,
        groupConfiguration: { groupsToOverride: groups, iamRolesToOverride: [], preferredRole: null },
        ...(clientMetadata === undefined ? {} : { clientMetadata }),
      },
      response: { claimsOverrideDetails: null },
    }));
  return fc.tuple(fc.constant(config), event);
});

/** Every claims map the response adds, with the token it goes to. */
function addedClaims(response: unknown): { token: 'id' | 'access'; claims: Record<string, unknown> }[] {
  const r = response as Record<string, Record<string, { claimsToAddOrOverride?: Record<string, unknown> }>>;
  if (r.claimsOverrideDetails)
    return [{ token: 'id', claims: (r.claimsOverrideDetails as { claimsToAddOrOverride: Record<string, unknown> }).claimsToAddOrOverride }];
  const details = r.claimsAndScopeOverrideDetails;
  const out: { token: 'id' | 'access'; claims: Record<string, unknown> }[] = [];
  if (details.idTokenGeneration) out.push({ token: 'id', claims: details.idTokenGeneration.claimsToAddOrOverride! });
  if (details.accessTokenGeneration) out.push({ token: 'access', claims: details.accessTokenGeneration.claimsToAddOrOverride! });
  return out;
}

function decode(config: ClaimsConfig, value: unknown): Record<string, unknown> {
  const object = config.claimsFormat === 'stringified_json' ? JSON.parse(value as string) : value;
  expect(typeof object).toBe('object');
  expect(object).not.toBeNull();
  expect(Array.isArray(object)).toBe(false);
  return object as Record<string, unknown>;
}

it('issues only well-formed Hasura claims derived from groupRoles, or refuses the sign-in', async () => {
  await fc.assert(
    fc.asyncProperty(configAndEvent, async ([config, event]) => {
      const isV1 = event.version === '0' || event.version === '1';
      const isMachine = event.triggerSource === CLIENT_CREDENTIALS_SOURCE;
      const clientId = event.callerContext.clientId;
      const userId = event.request.userAttributes?.[config.userIdAttribute];
      const withoutMetadata = structuredClone(event);
      delete withoutMetadata.request.clientMetadata;

      let result: PreTokenGenerationEvent;
      try {
        result = await createPreTokenGenerationHandler(config)(event);
      } catch (error) {
        // The only refusals: each with its cause present in the input.
        expect(error).toBeInstanceOf(SignInRejectedError);
        if (error instanceof MissingUserIdError) expect(isMachine || !userId).toBe(true);
        else if (error instanceof UnsupportedEventError) expect(isV1 && (isMachine || config.claimsFormat === 'json')).toBe(true);
        else expect(error).toBeInstanceOf(ClaimsTooLargeError);
        if (!isMachine && !userId) expect(error).toBeInstanceOf(MissingUserIdError);
        return;
      }
      expect(result).toBe(event);
      expect(isMachine || (typeof userId === 'string' && userId.length > 0)).toBe(true);

      // clientMetadata changes nothing.
      expect((await createPreTokenGenerationHandler(config)(withoutMetadata)).response).toEqual(result.response);

      const added = addedClaims(result.response);
      if (isMachine && !Object.hasOwn(config.machineClients, clientId)) {
        expect(added).toEqual([]);
        return;
      }
      // The claims go into exactly one token: the one the version and config call for.
      expect(added).toHaveLength(1);
      const [{ token, claims }] = added;
      expect(token).toBe(isV1 ? 'id' : isMachine ? 'access' : config.tokenUse);

      for (const name of Object.keys(claims)) {
        if (name === config.namespace) continue;
        // The one reserved claim ever added: aud, on access tokens, equal to the client id.
        expect(name).toBe('aud');
        expect(token).toBe('access');
        expect(claims.aud).toBe(clientId);
      }
      expect(Object.keys(claims).filter((name) => RESERVED_CLAIMS.includes(name) && name !== 'aud')).toEqual([]);
      if (isV1) expect(typeof claims[config.namespace]).toBe('string');

      const hasura = decode(config, claims[config.namespace]);
      const allowed = hasura['x-hasura-allowed-roles'] as unknown[];
      expect(Array.isArray(allowed)).toBe(true);
      expect(allowed.length).toBeGreaterThan(0);
      for (const r of allowed) expect(typeof r === 'string' && r.length > 0).toBe(true);
      expect(new Set(allowed).size).toBe(allowed.length);
      expect(allowed).toContain(hasura['x-hasura-default-role']);
      for (const [name, value] of Object.entries(hasura)) {
        expect(name.startsWith('x-hasura-')).toBe(true);
        if (name !== 'x-hasura-allowed-roles') expect(typeof value).toBe('string');
      }

      if (isMachine) {
        const client = config.machineClients[clientId];
        expect(allowed).toEqual([client.role]);
        expect(hasura['x-hasura-client-id']).toBe(clientId);
      } else {
        // No role from a group absent from groupRoles, and none from anywhere else.
        const groups = event.request.groupConfiguration?.groupsToOverride ?? [];
        const permitted = new Set([
          config.defaultRole,
          ...groups.filter((g) => Object.hasOwn(config.groupRoles, g)).map((g) => config.groupRoles[g]),
        ]);
        expect(new Set(allowed)).toEqual(permitted);
        expect(hasura['x-hasura-default-role']).toBe(config.defaultRole);
        expect(hasura['x-hasura-user-id']).toBe(userId);
      }
    }),
    { numRuns: RUNS },
  );
});

/** One field made invalid, with the path the error must name. */
const invalidField: fc.Arbitrary<[keyof ClaimsConfigInput | 'unknown', unknown, string]> = fc.oneof(
  fc.constant<[string, unknown, string]>(['namespace', '', 'namespace']),
  fc.constantFrom(...RESERVED_CLAIMS).map((n): [string, unknown, string] => ['namespace', n, 'namespace']),
  fc
    .tuple(fc.constantFrom(...STANDARD_ATTRIBUTES), fc.boolean())
    .map(([n, upper]): [string, unknown, string] => ['namespace', upper ? n.toUpperCase() : n, 'namespace']),
  fc
    .string()
    .filter((s) => s !== 'json' && s !== 'stringified_json')
    .map((s): [string, unknown, string] => ['claimsFormat', s, 'claimsFormat']),
  fc
    .string()
    .filter((s) => s !== 'access' && s !== 'id')
    .map((s): [string, unknown, string] => ['tokenUse', s, 'tokenUse']),
  fc
    .oneof(fc.constant(''), fc.constant(' padded'), fc.integer(), fc.boolean(), fc.constant(null))
    .map((v): [string, unknown, string] => ['defaultRole', v, 'defaultRole']),
  group.map((g): [string, unknown, string] => ['groupRoles', { [g]: '' }, `groupRoles`]),
  fc.constantFrom(...PROTOTYPE_NAMES).map((k): [string, unknown, string] => ['groupRoles', { [k]: 'admin' }, 'groupRoles']),
  fc
    .constantFrom(...HASURA_RESERVED_SESSION_VARIABLES)
    .map((n): [string, unknown, string] => ['sessionVariables', { [n]: 'sub' }, 'sessionVariables']),
  fc
    .stringMatching(/^[a-z-]{1,10}$/)
    .filter((s) => !s.startsWith('x-hasura-'))
    .map((n): [string, unknown, string] => ['sessionVariables', { [n]: 'sub' }, 'sessionVariables']),
  clientId.map((id): [string, unknown, string] => ['machineClients', { [id]: { role: '' } }, 'machineClients']),
  fc
    .stringMatching(/^[a-z]{1,12}$/)
    .filter(
      (k) =>
        ![
          'namespace',
          'claimsformat',
          'tokenuse',
          'defaultrole',
          'grouproles',
          'useridattribute',
          'sessionvariables',
          'machineclients',
        ].includes(k.toLowerCase()),
    )
    .map((k): [string, unknown, string] => [k, 'x', k]),
) as fc.Arbitrary<[keyof ClaimsConfigInput | 'unknown', unknown, string]>;

it('rejects a config with any invalid field as a whole, naming that field, in the parser and at Lambda load', () => {
  fc.assert(
    fc.property(configInput, invalidField, (valid, [key, value, path]) => {
      const input = { ...valid, [key]: value };
      const json = JSON.stringify(input);
      for (const parse of [() => parseClaimsConfig(input, 'cfg'), () => parseClaimsConfigJson(json, 'cfg')]) {
        let parsed: ClaimsConfig | undefined;
        try {
          parsed = parse();
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInputError);
          expect((error as InvalidInputError).field.startsWith(`cfg.${path}`)).toBe(true);
        }
        // Never half-applied: nothing comes back.
        expect(parsed).toBeUndefined();
      }
    }),
    { numRuns: RUNS },
  );
});

it('encodes claims as JSON that reads back as the claims, or refuses them above the cap in UTF-8 bytes', () => {
  const anyString = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string());
  // A run of one character of 1 to 4 UTF-8 bytes, sized around the cap: counted in UTF-16 code
  // units rather than UTF-8 bytes, such claims would pass the cap.
  const filler = fc
    .tuple(fc.constantFrom('a', 'é', '€', '😀', '\n'), fc.integer({ min: 0, max: MAX_HASURA_CLAIM_BYTES + 100 }))
    .map(([character, bytes]) => character.repeat(Math.ceil(bytes / new TextEncoder().encode(character).length)));
  const config = parseClaimsConfig({});
  fc.assert(
    fc.property(
      fc.array(anyString, { minLength: 1, maxLength: 4 }),
      anyString,
      filler,
      fc.dictionary(anyString, anyString, { maxKeys: 4 }),
      (roles, role, long, extra) => {
        const claims: HasuraClaims = { 'x-hasura-allowed-roles': [...roles, long], 'x-hasura-default-role': role, ...extra };
        const bytes = new TextEncoder().encode(JSON.stringify(claims)).length;
        let encoded: unknown;
        try {
          encoded = encodeHasuraClaims(config, claims);
        } catch (error) {
          expect(error).toBeInstanceOf(ClaimsTooLargeError);
          expect((error as ClaimsTooLargeError).found).toBe(`${bytes} bytes`);
          expect(bytes).toBeGreaterThan(MAX_HASURA_CLAIM_BYTES);
          return;
        }
        expect(bytes).toBeLessThanOrEqual(MAX_HASURA_CLAIM_BYTES);
        expect(typeof encoded).toBe('string');
        expect(JSON.parse(encoded as string)).toEqual(claims);
      },
    ),
    { numRuns: RUNS },
  );
});
