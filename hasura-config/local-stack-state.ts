/**
 * The local stack's state: what `npm start` provisioned on the emulator, kept in a git-ignored
 * folder of the project so that the pool, its client, users and groups (and so
 * hasura-config/local.env) survive a restart. npm start writes it; the `--local` commands read it
 * to find the stack it serves.
 *
 * The folder holds the emulator's working directory (its data) and `stack.json`. The file is read
 * as hostile input: every field is checked as the CLIs check the same value given as an argument.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError } from '../lambda/errors';
import { writeFileAtomic } from './atomic-write';
import { checkClientId, checkEndpoint } from './cli-args';
import { checkUserPoolId } from './pool-target';
import { quoted } from './terminal-text';

/** The state folder's name, at the project's root (git-ignored). */
export const LOCAL_STATE_DIR_NAME = '.local-stack';
/** The emulator's working directory inside the state folder (it keeps `.cognito/db/` there). */
export const EMULATOR_DIR_NAME = 'cognito-local';
export const LOCAL_STATE_FILE_NAME = 'stack.json';
/** Bumped when the file's shape changes; a file of another version is refused (start over with `--reset`). */
export const LOCAL_STATE_VERSION = 1;

/** What npm start provisioned, kept across restarts. */
export interface LocalStackState {
  readonly version: typeof LOCAL_STATE_VERSION;
  /** The emulator's base URL; its port is in every token's issuer, so the state keeps it. */
  readonly endpoint: string;
  readonly userPoolId: string;
  /** The public app client users sign in with. */
  readonly clientId: string;
}

export function localStateDir(projectRoot: string): string {
  return join(projectRoot, LOCAL_STATE_DIR_NAME);
}

export function localStateFile(stateDir: string): string {
  return join(stateDir, LOCAL_STATE_FILE_NAME);
}

/** The emulator's port, from the state's endpoint. */
export function localStatePort(state: LocalStackState): number {
  return Number(new URL(state.endpoint).port);
}

/** Reads and checks `stack.json` in `stateDir`; `undefined` when there is none (nothing provisioned yet). */
export function readLocalStackState(stateDir: string): LocalStackState | undefined {
  const file = localStateFile(stateDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InvalidInputError(
      file,
      'a readable local stack state file',
      `an unreadable file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return parseLocalStackState(text, file);
}

/** Checks the text of a state file, naming `file` and the field at fault. */
export function parseLocalStackState(text: string, file: string): LocalStackState {
  const remedy = ' (npm start -- --reset starts over)';
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new InvalidInputError(file, `the JSON npm start writes${remedy}`, 'text that is not JSON');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new InvalidInputError(file, `a JSON object${remedy}`, Array.isArray(document) ? 'an array' : String(document));
  }
  const fields = document as Record<string, unknown>;
  if (fields.version !== LOCAL_STATE_VERSION) {
    throw new InvalidInputError(`${file} version`, `${LOCAL_STATE_VERSION}${remedy}`, quotedValue(fields.version));
  }
  const read = (name: keyof LocalStackState): string => {
    const value = fields[name];
    if (typeof value !== 'string') throw new InvalidInputError(`${file} ${name}`, `a string${remedy}`, quotedValue(value));
    return value;
  };
  const endpoint = checkLoopbackEndpoint(read('endpoint'), `${file} endpoint`);
  return {
    version: LOCAL_STATE_VERSION,
    endpoint,
    userPoolId: checkUserPoolId(read('userPoolId'), 'local', endpoint, `${file} userPoolId`),
    clientId: checkClientId(read('clientId'), `${file} clientId`),
  };
}

/** Writes `stack.json` atomically (readers see the old or the whole new file), replacing the previous state. */
export function writeLocalStackState(stateDir: string, state: LocalStackState): void {
  writeFileAtomic(localStateFile(stateDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600, force: true });
}

/** The emulator always runs on this machine: an endpoint anywhere else is not the local stack's. */
function checkLoopbackEndpoint(endpoint: string, subject: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InvalidInputError(subject, 'http://127.0.0.1:<port>', quoted(endpoint));
  }
  if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1' || url.port === '' || url.pathname !== '/' || url.search !== '') {
    throw new InvalidInputError(subject, 'http://127.0.0.1:<port>', quoted(endpoint));
  }
  return checkEndpoint(endpoint);
}

function quotedValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  return typeof value === 'string' ? quoted(value) : quoted(JSON.stringify(value) ?? String(value));
}
