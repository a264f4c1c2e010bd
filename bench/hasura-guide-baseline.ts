/**
 * The benchmark's baseline: the minimal handler of Hasura's "Using AWS Cognito for authentication"
 * guide (hard-coded claims, no config, no validation, no error handling), made async and given the
 * V2 response shape so it can answer the same events as ours. Its "custom logic to decide allowed
 * roles" is filled in the way a hand-written handler would (a hard-coded table of the bench config's
 * groups; bench/pre-token-generation.bench.ts checks the two agree), and it adds the tenant session
 * variable and the access token's `aud`: for the bench's events it emits exactly the claims ours
 * does, so the ratio measures what the config-driven mapping and its checks cost, not JSON size.
 */
const ROLES: Record<string, string> = { admin: 'admin', editor: 'editor', auditor: 'auditor' };

// biome-ignore lint/suspicious/noExplicitAny: the guide's handler is untyped, and so is this copy of it.
export const handler = async (event: any) => {
  const attributes = event.request.userAttributes;
  const groupRoles: string[] = [];
  for (const group of event.request.groupConfiguration.groupsToOverride) if (group in ROLES) groupRoles.push(ROLES[group]);
  const claims = JSON.stringify({
    'x-hasura-allowed-roles': ['user', ...groupRoles],
    'x-hasura-default-role': 'user',
    'x-hasura-user-id': attributes.sub,
    'x-hasura-org-id': attributes['custom:org_id'],
  });
  event.response =
    Number(event.version) >= 2
      ? {
          claimsAndScopeOverrideDetails: {
            accessTokenGeneration: { claimsToAddOrOverride: { 'https://hasura.io/jwt/claims': claims, aud: event.callerContext.clientId } },
          },
        }
      : { claimsOverrideDetails: { claimsToAddOrOverride: { 'https://hasura.io/jwt/claims': claims } } };
  return event;
};
