/**
 * Every failure of a Cognito request as one CognitoServiceError naming the operation, the error's
 * name and its message: the service's refusals, the SDK's own errors (no credentials, no region)
 * and the network's. One middleware on the client does it for every command it sends.
 */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoServiceError } from '../lambda/errors';

/** Any error of `operation` as one CognitoServiceError, its message on one line. */
export function cognitoServiceError(operation: string, error: unknown): CognitoServiceError {
  if (error instanceof CognitoServiceError) return error;
  if (error instanceof Error) {
    const reason = error.message.replace(/\s+/g, ' ').trim();
    return new CognitoServiceError(operation, error.name || 'Error', reason === '' ? 'no message' : reason);
  }
  return new CognitoServiceError(operation, 'Error', String(error));
}

/** Adds the middleware to `client` (first of all, so it sees the errors of every later step) and returns it. */
export function withServiceErrors(client: CognitoIdentityProviderClient): CognitoIdentityProviderClient {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw cognitoServiceError(String(context.commandName ?? 'request').replace(/Command$/, ''), error);
      }
    },
    { step: 'initialize', priority: 'high', name: 'hasuraCognitoServiceErrors' },
  );
  return client;
}
