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
import { CLAIMS_CONFIG_ENV, type ClaimsConfig, parseClaimsConfigJson } from './claims-config';
import { UnsupportedEventError } from './errors';
import { CLIENT_CREDENTIALS_SOURCE, type PreTokenGenerationEvent } from './events';
import { buildHasuraClaims, buildMachineClaims, encodeHasuraClaims } from './hasura-claims';

export type PreTokenGenerationHandler = (event: PreTokenGenerationEvent) => Promise<PreTokenGenerationEvent>;

/** A handler bound to one validated config. `handler` below is the one bound to the environment. */
export function createPreTokenGenerationHandler(config: ClaimsConfig): PreTokenGenerationHandler {
  return async (event) => {
    event.response = buildResponse(config, event);
    return event;
  };
}

/** Always a fresh response: whatever the event arrived with is never passed on. */
function buildResponse(config: ClaimsConfig, event: PreTokenGenerationEvent): PreTokenGenerationEvent['response'] {
  const { version, request } = event;
  const isV1 = version === '1' || version === '0';
  if (!isV1 && version !== '2' && version !== '3') throw new UnsupportedEventError('version 0-3', `version ${version}`);
  if (typeof request !== 'object' || request === null) throw new UnsupportedEventError('a request', String(request));

  if (event.triggerSource === CLIENT_CREDENTIALS_SOURCE) {
    if (isV1) throw new UnsupportedEventError('version 2-3', `version ${version}`);
    const clientId = readClientId(event);
    const claims = buildMachineClaims(config, clientId);
    // An unlisted client keeps Cognito's default token: no Hasura claims, so Hasura refuses it.
    return {
      claimsAndScopeOverrideDetails: claims
        ? { accessTokenGeneration: { claimsToAddOrOverride: { [config.namespace]: encodeHasuraClaims(config, claims), aud: clientId } } }
        : {},
    };
  }

  // Every other source issues tokens to a user (sign-in, managed login, refresh, new password,
  // device): all get the same claims, computed only from groups and attributes.
  const claims = buildHasuraClaims(config, { attributes: readUserAttributes(request), groups: readGroups(request) });
  if (isV1 && config.claimsFormat !== 'stringified_json') {
    throw new UnsupportedEventError('claimsFormat stringified_json (V1 claims are strings)', 'json');
  }
  const encoded = encodeHasuraClaims(config, claims);
  if (isV1) return { claimsOverrideDetails: { claimsToAddOrOverride: { [config.namespace]: encoded } } };
  return {
    claimsAndScopeOverrideDetails:
      config.tokenUse === 'id'
        ? { idTokenGeneration: { claimsToAddOrOverride: { [config.namespace]: encoded } } }
        : // `aud` = the app client id: the one reserved claim Cognito lets a trigger add (only
          // to access tokens, only with that value).
          { accessTokenGeneration: { claimsToAddOrOverride: { [config.namespace]: encoded, aud: readClientId(event) } } },
  };
}

/**
 * The user's groups: none when Cognito sends none. Anything but an array of strings fails closed:
 * a string would still answer `includes`, matching group names by substring ("xadminx" has "admin").
 */
function readGroups(request: PreTokenGenerationEvent['request']): readonly string[] {
  const groups: unknown = request.groupConfiguration?.groupsToOverride;
  if (groups == null) return [];
  if (!Array.isArray(groups)) throw new UnsupportedEventError('groupsToOverride: an array of strings', typeName(groups));
  for (let i = 0; i < groups.length; i++) {
    if (typeof groups[i] !== 'string')
      throw new UnsupportedEventError('groupsToOverride: an array of strings', `an array with ${typeName(groups[i])} at ${i}`);
  }
  return groups;
}

/** The user's attributes: none when Cognito sends none; anything but a plain object fails closed. */
function readUserAttributes(request: PreTokenGenerationEvent['request']): Readonly<Record<string, unknown>> {
  const attributes: unknown = request.userAttributes;
  if (attributes == null) return {};
  if (typeof attributes !== 'object' || Array.isArray(attributes))
    throw new UnsupportedEventError('userAttributes: an object', typeName(attributes));
  return attributes as Readonly<Record<string, unknown>>;
}

/** The type of a value, never the value: `found` is logged, and event values are user data. */
function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function readClientId(event: PreTokenGenerationEvent): string {
  const clientId = event.callerContext?.clientId;
  if (typeof clientId !== 'string' || clientId.length === 0) throw new UnsupportedEventError('callerContext.clientId', String(clientId));
  return clientId;
}

// Validated once per cold start: an invalid config stops the function at load, naming the field.
export const handler: PreTokenGenerationHandler = createPreTokenGenerationHandler(parseClaimsConfigJson(process.env[CLAIMS_CONFIG_ENV]));
