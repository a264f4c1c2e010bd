/**
 * What `npm start` prints besides the tools' own output: its usage, what the local flow is (its
 * tokens are forgeable), and how to point a Hasura at it without exposing that Hasura. Values
 * from cdk.json and file names go through `printable`, so none can paint a line of their own.
 */
import { printable } from '../../hasura-config/terminal-text';

export const USAGE = `Usage: npm start -- [--once] [--reset] [--port N] [--lambda-port N] [--cdk-json FILE] [--out FILE] [--force] [--state-dir DIR]
Runs the flow on this machine with the Cognito emulator cognito-local, whose tokens anyone can forge:
for development only. The pool, its app client, users and groups are kept in a git-ignored folder
(.local-stack) and reused by the next start, so hasura-config/local.env stays valid. Serves until Ctrl-C.
  --once            stop after the summary (the pool stays for the next npm start)
  --reset           delete the kept state and start over: a new pool, app client and demo users, whose new
                    passwords are shown (refused while another npm start serves that state)
  --port N          cognito-local's port for a new pool (default 9229; a taken default moves to a free port);
                    the state keeps it, since every token's issuer names it: taken later, npm start stops
  --lambda-port N   the local Lambda host's port (default 9230; a taken default moves to a free port)
  --cdk-json FILE   the cdk.json whose hasuraCognito block configures the pool (default: the repository's);
                    a kept pool gets the groups, custom attributes and client attributes it adds
  --out FILE        the Hasura env file to write (default hasura-config/local.env)
  --force           replace --out even if npm start did not write it
  --state-dir DIR   the folder that keeps the state (default .local-stack in the repository)
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

/**
 * A demo user's line: email, its generated password when it was just created (never again after),
 * and groups (names from cdk.json).
 */
export function userLine(email: string, password: string | undefined, groups: readonly string[]): string {
  const shown = password === undefined ? '' : `  password ${password}`;
  return `${printable(email)}${shown}${groups.length ? `  groups ${groups.map(printable).join(', ')}` : '  no group'}`;
}

/** Where the state is and whether it was made now or reused; `reconciled` lists what the current cdk.json changed. */
export function stateLines(stateDir: string, reused: boolean, reconciled: readonly string[]): string[] {
  if (!reused) return [`State              ${printable(stateDir)} (new: the next npm start reuses this pool; --reset starts over)`];
  return [
    `State              ${printable(stateDir)} (reused: the pool, app client, users and groups of an earlier start)`,
    ...reconciled.map((change) => `  from cdk.json:   ${change}`),
  ];
}

/** Said before the demo users whose passwords were shown when they were created. */
export function keptPasswordsNote(passwordsFile: string): string {
  return `Demo users (passwords were shown when they were created, and are kept in ${printable(passwordsFile)}; npm start -- --reset makes new ones):`;
}

/** What `--once` leaves for the next start. */
export function onceNote(stateDir: string): string {
  return `The pool stays in ${printable(stateDir)} for the next npm start (npm start -- --reset starts over).`;
}

/** The heading of check-token's answer, with the role (from cdk.json) requested by header. */
export function hasuraHeading(requestedRole: string | undefined): string {
  return `  Hasura${requestedRole === undefined ? '' : ` with x-hasura-role: ${printable(requestedRole)}`}:`;
}
