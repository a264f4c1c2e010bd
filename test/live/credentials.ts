/**
 * Resolves the default AWS credential provider chain (environment, SSO, web identity, shared
 * config and credentials files, credential_process, container credentials) the way the SDK and
 * the CDK CLI do, without asking the EC2 instance metadata service unless the user opted in, and
 * with a time limit, so "no credentials" is answered at once.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { type CredentialCheck, detectionEnvOverrides } from './plan';

export const CREDENTIAL_LOOKUP_TIMEOUT_MS = 10_000;

/**
 * The overrides from `detectionEnvOverrides` apply to `process.env` for the lookup only (the SDK
 * reads `process.env` when the chain runs) and are undone afterwards, so the CDK CLI the suite
 * starts later sees the user's environment unchanged.
 */
export async function detectCredentials(timeoutMs: number = CREDENTIAL_LOOKUP_TIMEOUT_MS): Promise<CredentialCheck> {
  const overrides = detectionEnvOverrides(process.env);
  const previous = Object.fromEntries(Object.keys(overrides).map((key) => [key, process.env[key]]));
  Object.assign(process.env, overrides);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<CredentialCheck>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout', afterMs: timeoutMs }), timeoutMs);
      timer.unref();
    });
    const lookup = defaultProvider()().then(
      (credentials): CredentialCheck =>
        credentials.accessKeyId && credentials.secretAccessKey
          ? { kind: 'found', ...(credentials.expiration ? { expiration: credentials.expiration } : {}) }
          : { kind: 'none', message: 'the provider chain returned an empty key' },
      (error: unknown): CredentialCheck => ({ kind: 'none', message: error instanceof Error ? error.message : String(error) }),
    );
    return await Promise.race([lookup, timeout]);
  } finally {
    clearTimeout(timer);
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
