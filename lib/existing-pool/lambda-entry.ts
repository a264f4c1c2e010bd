/**
 * The entry `PreTokenTriggerAttachment`'s handler is bundled from (lib/lambda-bundling.ts), with the
 * default Cognito client: the Lambda runtime's AWS SDK, in the function's region. `export =` for the
 * same reason as lambda/index.ts: a plain `module.exports`, without esbuild's ESM interop helpers.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createOnEventHandler } from './handler';

export = { handler: createOnEventHandler(() => new CognitoIdentityProviderClient({})) };
