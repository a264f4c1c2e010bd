/**
 * What `npm start` prints besides the tools' own output: its usage, what the local flow is (its
 * tokens are forgeable), and how to point a Hasura at it without exposing that Hasura. Values
 * from cdk.json and file names go through `printable`, so none can paint a line of their own.
 */
import { printable } from '../../hasura-config/terminal-text';

export const USAGE = `Usage: npm start -- [--once] [--port N] [--lambda-port N] [--cdk-json FILE] [--out FILE] [--force]
Runs the flow on this machine with the Cognito emulator cognito-local, whose tokens anyone can forge:
for development only. Serves until Ctrl-C.
  --once            stop after the summary
  --port N          cognito-local's port (default 9229; a taken default moves to a free port)
  --lambda-port N   the local Lambda host's port (default 9230; likewise)
  --cdk-json FILE   the cdk.json whose hasuraCognito block configures the pool (default: the repository's)
  --out FILE        the Hasura env file to write (default hasura-config/local.env)
  --force           replace --out even if npm start did not write it
  -h, --help        print this and exit
`;

/** Says what the local flow is, first thing in its output. */
export const FORGEABLE_NOTICE = [
  'Local tokens are forgeable by anyone: cognito-local signs with a private key published in its npm package,',
  'and Hasura skips the iss, aud and exp checks when a token leaves those claims out. For development only.',
].join('\n');

/** How to run Hasura against the local pool, listening on 127.0.0.1 only. */
export function hasuraHint(envFile: string): string {
  return [
    'Point a Hasura container at it (Linux, host network; the JWKS is served on 127.0.0.1). Hasura listens on',
    '127.0.0.1 only (HASURA_GRAPHQL_SERVER_HOST; its default is every interface): anyone who can reach it can forge a token.',
    `  set -a; . ${printable(envFile)}; set +a`,
    '  docker run --network host -e HASURA_GRAPHQL_SERVER_HOST=127.0.0.1 -e HASURA_GRAPHQL_JWT_SECRET \\',
    '    -e HASURA_GRAPHQL_ADMIN_SECRET=<choose one> -e HASURA_GRAPHQL_DATABASE_URL=<postgres url> hasura/graphql-engine:v2.48.5',
    'With Docker Desktop: replace --network host and HASURA_GRAPHQL_SERVER_HOST with -p 127.0.0.1:8080:8080, and change',
    '127.0.0.1 to host.docker.internal in jwk_url only: issuer must stay as the tokens carry it.',
    'Send the ID token: Authorization: Bearer <ID token>.',
  ].join('\n');
}

/** A demo user's line: email, generated password and groups (names from cdk.json). */
export function userLine(email: string, password: string, groups: readonly string[]): string {
  return `${email}  password ${password}${groups.length ? `  groups ${groups.map(printable).join(', ')}` : '  no group'}`;
}

/** The heading of check-token's answer, with the role (from cdk.json) requested by header. */
export function hasuraHeading(requestedRole: string | undefined): string {
  return `  Hasura${requestedRole === undefined ? '' : ` with x-hasura-role: ${printable(requestedRole)}`}:`;
}
