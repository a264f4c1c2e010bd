/**
 * The local Lambda host, run as its own process: loads the deployment bundle given by
 * LAMBDA_BUNDLE (whose module load validates HASURA_CLAIMS_CONFIG, as in Lambda), bridges the
 * emulator's group gap, and serves the Invoke API on HOST:PORT. Prints `ready <port>` when
 * listening; on a start-up error prints one line to stderr and exits 1.
 */

import { withEmulatorGroups } from './emulator-groups';
import { type LambdaHandler, startLambdaInvokeServer } from './lambda-invoke-server';

export const PRE_TOKEN_FUNCTION_NAME = 'pre-token-generation';

async function main(): Promise<void> {
  const { LAMBDA_BUNDLE, HOST = '127.0.0.1', PORT, COGNITO_ENDPOINT } = process.env;
  if (!LAMBDA_BUNDLE || !PORT || !COGNITO_ENDPOINT) throw new Error('LAMBDA_BUNDLE, PORT and COGNITO_ENDPOINT must be set');
  const handler = (require(LAMBDA_BUNDLE) as { handler: LambdaHandler }).handler;
  const server = await startLambdaInvokeServer(
    { [PRE_TOKEN_FUNCTION_NAME]: withEmulatorGroups(handler, COGNITO_ENDPOINT) },
    Number(PORT),
    HOST,
  );
  process.stdout.write(`ready ${server.port}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
