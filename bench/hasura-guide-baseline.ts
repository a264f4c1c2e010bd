/**
 * The benchmark's baseline: the minimal handler of Hasura's "Using AWS Cognito for authentication"
 * guide (hard-coded claims, no config, no validation, no error handling), made async and given the
 * V2 response shape so it can answer the same events as ours.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const handler = async (event: any) => {
  const claims = {
    'https://hasura.io/jwt/claims': JSON.stringify({
      'x-hasura-user-id': event.request.userAttributes.sub,
      'x-hasura-default-role': 'user',
      // do some custom logic to decide allowed roles
      'x-hasura-allowed-roles': ['user'],
    }),
  };
  event.response =
    Number(event.version) >= 2
      ? { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: claims } } }
      : { claimsOverrideDetails: { claimsToAddOrOverride: claims } };
  return event;
};
