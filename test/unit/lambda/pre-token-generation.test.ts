import { type ClaimsConfigInput, parseClaimsConfig } from '../../../lambda/claims-config';
import { ClaimsTooLargeError, MissingUserIdError, SignInRejectedError, UnsupportedEventError } from '../../../lambda/errors';
import { type PreTokenGenerationEvent, USER_TRIGGER_SOURCES } from '../../../lambda/events';
import { createPreTokenGenerationHandler } from '../../../lambda/pre-token-generation';
import { loadEvent } from '../../helpers/events';

const NS = 'https://hasura.io/jwt/claims';
const SUB = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const ORG = '8f14e45f-ceea-467f-a5b6-8e2b7c1d0a11';
const M2M_CLIENT = '4m2mclientexample0123456789';

const CONFIG: ClaimsConfigInput = {
  groupRoles: { admin: 'admin', editor: 'editor' },
  sessionVariables: { 'x-hasura-org-id': 'custom:org_id' },
  machineClients: { [M2M_CLIENT]: { role: 'reporting', sessionVariables: { 'x-hasura-tenant-id': 'acme' } } },
};

function handlerFor(overrides: ClaimsConfigInput = {}) {
  return createPreTokenGenerationHandler(parseClaimsConfig({ ...CONFIG, ...overrides }));
}

async function rejection(promise: Promise<unknown>): Promise<SignInRejectedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignInRejectedError);
  return error as SignInRejectedError;
}

describe('V1 events (ID token only, strings only)', () => {
  it('puts stringified claims into the ID token on sign-in', async () => {
    const event = loadEvent('pretoken-v1-authentication');
    const result = await handlerFor()(event);
    expect(result).toBe(event);
    expect(result.response).toEqual({
      claimsOverrideDetails: {
        claimsToAddOrOverride: {
          [NS]: JSON.stringify({
            'x-hasura-allowed-roles': ['user', 'editor'],
            'x-hasura-default-role': 'user',
            'x-hasura-user-id': SUB,
            'x-hasura-org-id': ORG,
          }),
        },
      },
    });
  });

  it('gives the same claims on refresh as on sign-in', async () => {
    const signIn = await handlerFor()(loadEvent('pretoken-v1-authentication'));
    const refresh = await handlerFor()(loadEvent('pretoken-v1-refresh'));
    expect(refresh.triggerSource).toBe('TokenGeneration_RefreshTokens');
    expect(refresh.response).toEqual(signIn.response);
  });

  it('treats cognito-local\'s version "0" as V1', async () => {
    const event = { ...loadEvent('pretoken-v1-authentication'), version: '0' };
    const expected = await handlerFor()(loadEvent('pretoken-v1-authentication'));
    expect((await handlerFor()(event)).response).toEqual(expected.response);
  });

  it('puts V1 claims into the ID token whatever tokenUse says, since V1 can change nothing else', async () => {
    const access = await handlerFor({ tokenUse: 'access' })(loadEvent('pretoken-v1-authentication'));
    const id = await handlerFor({ tokenUse: 'id' })(loadEvent('pretoken-v1-authentication'));
    expect(access.response).toEqual(id.response);
  });

  it('fails the sign-in when the config asks for json claims on a V1 event', async () => {
    const error = await rejection(handlerFor({ claimsFormat: 'json' })(loadEvent('pretoken-v1-authentication')));
    expect(error).toBeInstanceOf(UnsupportedEventError);
    expect(error.code).toBe('UnsupportedEvent');
    expect(error.expected).toContain('stringified_json');
  });
});

describe('V2 events', () => {
  it('puts the claims and aud into the access token only (tokenUse access)', async () => {
    const event = loadEvent('pretoken-v2-hostedauth-groups');
    const result = await handlerFor()(event);
    expect(result).toBe(event);
    expect(result.response).toEqual({
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: {
          claimsToAddOrOverride: {
            [NS]: JSON.stringify({
              'x-hasura-allowed-roles': ['user', 'admin', 'editor'],
              'x-hasura-default-role': 'user',
              'x-hasura-user-id': SUB,
              'x-hasura-org-id': ORG,
            }),
            aud: '1example23456789',
          },
        },
      },
    });
  });

  it('ignores groups that groupRoles does not list', async () => {
    const event = loadEvent('pretoken-v2-authentication');
    expect(event.request.groupConfiguration?.groupsToOverride).toEqual(['user']);
    const result = await handlerFor()(event);
    const details = (
      result.response as { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: Record<string, string> } } }
    ).claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToAddOrOverride;
    expect(JSON.parse(details[NS])['x-hasura-allowed-roles']).toEqual(['user']);
  });

  it('orders roles by config, not by the order Cognito lists groups in', async () => {
    const event = loadEvent('pretoken-v2-hostedauth-groups');
    event.request.groupConfiguration!.groupsToOverride = ['editor', 'user', 'admin'];
    const reordered = await handlerFor()(event);
    const original = await handlerFor()(loadEvent('pretoken-v2-hostedauth-groups'));
    expect(reordered.response).toEqual(original.response);
  });

  it('de-duplicates roles when several groups map to one role, or to the default role', async () => {
    const result = await handlerFor({ groupRoles: { admin: 'staff', editor: 'staff', user: 'user' } })(
      loadEvent('pretoken-v2-hostedauth-groups'),
    );
    const claims = accessClaims(result);
    expect(claims['x-hasura-allowed-roles']).toEqual(['user', 'staff']);
  });

  it('puts the claims into the ID token only, without aud, with tokenUse id', async () => {
    const result = await handlerFor({ tokenUse: 'id' })(loadEvent('pretoken-v2-hostedauth-groups'));
    expect(result.response).toEqual({
      claimsAndScopeOverrideDetails: {
        idTokenGeneration: { claimsToAddOrOverride: { [NS]: expect.any(String) } },
      },
    });
  });

  it('emits the claims as an object with claimsFormat json', async () => {
    const result = await handlerFor({ claimsFormat: 'json', namespace: 'claims.jwt.hasura.io' })(loadEvent('pretoken-v2-authentication'));
    expect(result.response).toEqual({
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: {
          claimsToAddOrOverride: {
            'claims.jwt.hasura.io': {
              'x-hasura-allowed-roles': ['user'],
              'x-hasura-default-role': 'user',
              'x-hasura-user-id': SUB,
              'x-hasura-org-id': ORG,
            },
            aud: '1example23456789',
          },
        },
      },
    });
  });

  it.each(USER_TRIGGER_SOURCES)('gives %s the same claims as every other user trigger source', async (source) => {
    for (const version of ['2', '3']) {
      const event = { ...loadEvent('pretoken-v2-hostedauth-groups'), version, triggerSource: source };
      const expected = await handlerFor()(loadEvent('pretoken-v2-hostedauth-groups'));
      expect((await handlerFor()(event)).response).toEqual(expected.response);
    }
  });

  it('replaces a response container that arrives as null, [] or with content', async () => {
    for (const response of [
      null,
      { claimsAndScopeOverrideDetails: [] },
      { claimsAndScopeOverrideDetails: { idTokenGeneration: { claimsToSuppress: ['email'] } } },
    ]) {
      const event = { ...loadEvent('pretoken-v2-hostedauth-groups'), response } as PreTokenGenerationEvent;
      const expected = await handlerFor()(loadEvent('pretoken-v2-hostedauth-groups'));
      expect((await handlerFor()(event)).response).toEqual(expected.response);
    }
  });
});

describe('what roles never come from', () => {
  it('never reads clientMetadata, which the caller controls', async () => {
    const event = loadEvent('pretoken-v2-authentication');
    event.request.clientMetadata = {
      role: 'admin',
      'x-hasura-allowed-roles': '["admin"]',
      groups: 'admin',
      'x-hasura-user-id': 'someone-else',
    };
    const expected = await handlerFor()(loadEvent('pretoken-v2-authentication'));
    expect((await handlerFor()(event)).response).toEqual(expected.response);
  });

  it('never reads attributes the config does not name, such as a user-set custom:role', async () => {
    const event = loadEvent('pretoken-v2-authentication');
    event.request.userAttributes!['custom:role'] = 'admin';
    event.request.userAttributes!['custom:x-hasura-allowed-roles'] = 'admin';
    const expected = await handlerFor()(loadEvent('pretoken-v2-authentication'));
    expect((await handlerFor()(event)).response).toEqual(expected.response);
  });
});

describe('V3 client credentials (machine to machine)', () => {
  it('gives a listed client its role as the only allowed and default role, with aud', async () => {
    const event = loadEvent('pretoken-v3-client-credentials');
    const result = await handlerFor()(event);
    expect(result).toBe(event);
    expect(result.response).toEqual({
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: {
          claimsToAddOrOverride: {
            [NS]: JSON.stringify({
              'x-hasura-allowed-roles': ['reporting'],
              'x-hasura-default-role': 'reporting',
              'x-hasura-client-id': M2M_CLIENT,
              'x-hasura-tenant-id': 'acme',
            }),
            aud: M2M_CLIENT,
          },
        },
      },
    });
  });

  it('gives an unlisted client no Hasura claims, without failing its token request', async () => {
    const event = loadEvent('pretoken-v3-client-credentials');
    event.callerContext.clientId = 'someotherclient';
    const result = await handlerFor()(event);
    expect(result.response).toEqual({ claimsAndScopeOverrideDetails: {} });
  });

  it('uses the access token for machine clients even with tokenUse id (M2M has no ID token)', async () => {
    const result = await handlerFor({ tokenUse: 'id' })(loadEvent('pretoken-v3-client-credentials'));
    expect(Object.keys((result.response as { claimsAndScopeOverrideDetails: object }).claimsAndScopeOverrideDetails)).toEqual([
      'accessTokenGeneration',
    ]);
  });
});

describe('failing closed', () => {
  const internals = /a1b2c3d4|EXAMPLE|custom:|\bat\b.*\.ts|Error:|undefined/;

  it('refuses a user without the user id attribute, with a message safe to show', async () => {
    const event = loadEvent('pretoken-v2-authentication');
    delete event.request.userAttributes!.sub;
    const error = await rejection(handlerFor()(event));
    expect(error).toBeInstanceOf(MissingUserIdError);
    expect(error.message).not.toMatch(internals);
    expect(error.expected).toBe('user attribute sub');
  });

  it('refuses an empty user id and a user with no attributes at all', async () => {
    const empty = loadEvent('pretoken-v1-authentication');
    empty.request.userAttributes!.sub = '';
    await expect(handlerFor()(empty)).rejects.toBeInstanceOf(MissingUserIdError);
    const none = loadEvent('pretoken-v1-authentication');
    none.request.userAttributes = null;
    await expect(handlerFor()(none)).rejects.toBeInstanceOf(MissingUserIdError);
  });

  it('refuses claims over the size cap instead of issuing a token that will not fit', async () => {
    const groups = Array.from({ length: 200 }, (_, i) => `group-${i}`);
    const event = loadEvent('pretoken-v2-authentication');
    event.request.groupConfiguration!.groupsToOverride = groups;
    const handler = handlerFor({ groupRoles: Object.fromEntries(groups.map((g) => [g, `role-with-a-long-name-${g}`])) });
    const error = await rejection(handler(event));
    expect(error).toBeInstanceOf(ClaimsTooLargeError);
    expect(error.message).not.toMatch(internals);
    expect(error.found).toMatch(/^\d+ bytes$/);
  });

  it('refuses an unknown event version rather than guess the response shape', async () => {
    const event = { ...loadEvent('pretoken-v2-authentication'), version: '4' };
    const error = await rejection(handlerFor()(event));
    expect(error).toBeInstanceOf(UnsupportedEventError);
    expect(error.found).toBe('version 4');
  });

  it('refuses an access-token event without a client id, since aud cannot be set', async () => {
    const event = loadEvent('pretoken-v2-authentication');
    event.callerContext.clientId = '';
    await expect(handlerFor()(event)).rejects.toBeInstanceOf(UnsupportedEventError);
  });

  it('refuses an event without a request', async () => {
    const event = loadEvent('pretoken-v2-authentication') as unknown as Record<string, unknown>;
    delete event.request;
    await expect(handlerFor()(event as unknown as PreTokenGenerationEvent)).rejects.toBeInstanceOf(UnsupportedEventError);
  });

  it('refuses groupsToOverride that is a string, which would match group names by substring', async () => {
    // "xadminsx".includes("admin") is true: read as groups, this string would grant admin.
    const event = loadEvent('pretoken-v2-authentication') as unknown as { request: { groupConfiguration: { groupsToOverride: unknown } } };
    event.request.groupConfiguration.groupsToOverride = 'xadminx';
    const error = await rejection(handlerFor()(event as unknown as PreTokenGenerationEvent));
    expect(error).toBeInstanceOf(UnsupportedEventError);
    expect(error.message).not.toMatch(internals);
    expect(error.expected).toContain('groupsToOverride');
    expect(error.found).toBe('string');
  });

  it('refuses groupsToOverride with an entry that is not a string', async () => {
    for (const groups of [
      ['admin', 7],
      ['admin', null],
      ['admin', ['admin']],
      ['admin', { admin: true }],
    ]) {
      const event = loadEvent('pretoken-v2-hostedauth-groups') as unknown as {
        request: { groupConfiguration: { groupsToOverride: unknown } };
      };
      event.request.groupConfiguration.groupsToOverride = groups;
      const error = await rejection(handlerFor()(event as unknown as PreTokenGenerationEvent));
      expect(error).toBeInstanceOf(UnsupportedEventError);
      expect(error.found).toMatch(/^an array with (number|null|array|object) at 1$/);
    }
  });

  it('refuses userAttributes that are not an object (an array, a string)', async () => {
    for (const attributes of [['sub'], 'sub', 42]) {
      const event = loadEvent('pretoken-v1-authentication') as unknown as { request: { userAttributes: unknown } };
      event.request.userAttributes = attributes;
      const error = await rejection(handlerFor()(event as unknown as PreTokenGenerationEvent));
      expect(error).toBeInstanceOf(UnsupportedEventError);
      expect(error.expected).toContain('userAttributes');
    }
  });

  it('treats absent or null groupsToOverride and groupConfiguration as no groups', async () => {
    const expected = await handlerFor()(loadEvent('pretoken-v2-authentication'));
    const defaultOnly = (expected.response as { claimsAndScopeOverrideDetails: object }).claimsAndScopeOverrideDetails;
    for (const groupConfiguration of [null, {}, { groupsToOverride: null }, { groupsToOverride: [] }]) {
      const event = loadEvent('pretoken-v2-authentication');
      event.request.groupConfiguration = groupConfiguration;
      expect((await handlerFor()(event)).response).toEqual({ claimsAndScopeOverrideDetails: defaultOnly });
    }
  });

  it('leaves out a session variable whose attribute is missing, never writing "undefined"', async () => {
    const event = loadEvent('pretoken-v1-authentication');
    delete event.request.userAttributes!['custom:org_id'];
    const result = await handlerFor()(event);
    const claim = (result.response as { claimsOverrideDetails: { claimsToAddOrOverride: Record<string, string> } }).claimsOverrideDetails
      .claimsToAddOrOverride[NS];
    expect(JSON.parse(claim)).toEqual({
      'x-hasura-allowed-roles': ['user', 'editor'],
      'x-hasura-default-role': 'user',
      'x-hasura-user-id': SUB,
    });
  });
});

describe('the handler bound to HASURA_CLAIMS_CONFIG', () => {
  const saved = process.env.HASURA_CLAIMS_CONFIG;
  afterEach(() => {
    if (saved === undefined) delete process.env.HASURA_CLAIMS_CONFIG;
    else process.env.HASURA_CLAIMS_CONFIG = saved;
  });

  it('reads and validates the config once, at module load', async () => {
    process.env.HASURA_CLAIMS_CONFIG = JSON.stringify({ groupRoles: { editor: 'editor' } });
    let handler!: typeof import('../../../lambda/pre-token-generation').handler;
    jest.isolateModules(() => {
      handler = require('../../../lambda/pre-token-generation').handler;
    });
    process.env.HASURA_CLAIMS_CONFIG = JSON.stringify({ groupRoles: { editor: 'admin' } });
    const result = await handler(loadEvent('pretoken-v1-authentication'));
    const claim = (result.response as { claimsOverrideDetails: { claimsToAddOrOverride: Record<string, string> } }).claimsOverrideDetails
      .claimsToAddOrOverride[NS];
    expect(JSON.parse(claim)['x-hasura-allowed-roles']).toEqual(['user', 'editor']);
  });

  it('stops the module from loading when the config is invalid, naming the field', () => {
    process.env.HASURA_CLAIMS_CONFIG = JSON.stringify({ sessionVariables: { 'x-hasura-default-role': 'custom:role' } });
    expect(() =>
      jest.isolateModules(() => {
        require('../../../lambda/pre-token-generation');
      }),
    ).toThrow('HASURA_CLAIMS_CONFIG.sessionVariables["x-hasura-default-role"]: expected ');
  });
});

function accessClaims(result: PreTokenGenerationEvent): Record<string, unknown> {
  const details = (
    result.response as { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: Record<string, string> } } }
  ).claimsAndScopeOverrideDetails;
  return JSON.parse(details.accessTokenGeneration.claimsToAddOrOverride[NS]);
}
