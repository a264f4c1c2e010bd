/**
 * Cognito Pre Token Generation trigger: puts Hasura's claims into the token Hasura will receive.
 *
 * - V1 events ("1"; cognito-local sends "0") can only change the ID token, with string values.
 * - V2/V3 events put the claims into the token named by `tokenUse`; the access token also gets
 *   `aud` = the app client id, so Hasura's `audience` check covers access tokens as well.
 * - V3 client-credentials events carry a machine client's configured role, or no claims at all.
 *
 * Fail closed: when correct claims cannot be computed, the handler throws a SignInRejectedError.
 * Cognito then issues no token and shows the error's fixed, user-safe message; the Lambda runtime
 * logs the error's `code`, `expected` and `found` for operators.
 */
import { CLAIMS_CONFIG_ENV, parseClaimsConfigJson, type ClaimsConfig } from './claims-config';
import { UnsupportedEventError } from './errors';
import { CLIENT_CREDENTIALS_SOURCE, type ClaimMap, type PreTokenGenerationEvent } from './events';
import { buildHasuraClaims, buildMachineClaims, encodeHasuraClaims, type HasuraClaims } from './hasura-claims';

export type PreTokenGenerationHandler = (event: PreTokenGenerationEvent) => Promise<PreTokenGenerationEvent>;

/** A handler bound to one validated config. `handler` below is the one bound to the environment. */
export function createPreTokenGenerationHandler(config: ClaimsConfig): PreTokenGenerationHandler {
  return async (event) => {
    respond(config, event);
    return event;
  };
}

function respond(config: ClaimsConfig, event: PreTokenGenerationEvent): void {
  const version = event.version;
  const isV1 = version === '1' || version === '0';
  if (!isV1 && version !== '2' && version !== '3') {
    throw new UnsupportedEventError({ expected: 'version 0-3', found: `version ${version}` });
  }
  const request = event.request;
  if (typeof request !== 'object' || request === null) {
    throw new UnsupportedEventError({ expected: 'a request', found: String(request) });
  }

  if (event.triggerSource === CLIENT_CREDENTIALS_SOURCE) {
    if (isV1) throw new UnsupportedEventError({ expected: 'version 2-3', found: `version ${version}` });
    const clientId = readClientId(event);
    const claims = buildMachineClaims(config, clientId);
    // An unlisted client keeps Cognito's default token: no Hasura claims, so Hasura refuses it.
    event.response = { claimsAndScopeOverrideDetails: claims === undefined ? {} : accessToken(config, claims, clientId) };
    return;
  }

  // Every other source issues tokens to a user (sign-in, managed login, refresh, new password,
  // device): all get the same claims, computed only from groups and attributes.
  const claims = buildHasuraClaims(config, {
    attributes: request.userAttributes ?? {},
    groups: request.groupConfiguration?.groupsToOverride ?? [],
  });

  if (isV1) {
    if (config.claimsFormat !== 'stringified_json') {
      throw new UnsupportedEventError({ expected: 'claimsFormat stringified_json (V1 claims are strings)', found: 'json' });
    }
    event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { [config.namespace]: encodeHasuraClaims(config, claims) as string } } };
    return;
  }

  event.response = {
    claimsAndScopeOverrideDetails:
      config.tokenUse === 'access'
        ? accessToken(config, claims, readClientId(event))
        : { idTokenGeneration: { claimsToAddOrOverride: { [config.namespace]: encodeHasuraClaims(config, claims) } } },
  };
}

/**
 * The access token's customization: the namespace claim plus `aud` = the app client id, the one
 * reserved claim Cognito lets a trigger add (only to access tokens, only with that value).
 */
function accessToken(config: ClaimsConfig, claims: HasuraClaims, clientId: string): { accessTokenGeneration: { claimsToAddOrOverride: ClaimMap } } {
  return { accessTokenGeneration: { claimsToAddOrOverride: { [config.namespace]: encodeHasuraClaims(config, claims), aud: clientId } } };
}

function readClientId(event: PreTokenGenerationEvent): string {
  const clientId = event.callerContext?.clientId;
  if (typeof clientId !== 'string' || clientId.length === 0) {
    throw new UnsupportedEventError({ expected: 'callerContext.clientId', found: String(clientId) });
  }
  return clientId;
}


// Validated once per cold start: an invalid config stops the function at load, naming the field.
export const handler: PreTokenGenerationHandler = createPreTokenGenerationHandler(
  parseClaimsConfigJson(process.env[CLAIMS_CONFIG_ENV]),
);
