/**
 * The folder npm start keeps the local stack's state in (hasura-config/local-stack-state.ts says
 * what is in it). npm start creates, reuses and deletes only a folder it made: one holding nothing
 * but the entries it writes there, so `--state-dir` pointing at a folder of the user's is refused
 * before anything in it is touched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  EMULATOR_DIR_NAME,
  LOCAL_STATE_FILE_NAME,
  type LocalStackState,
  localStateFile,
  localStatePort,
  readLocalStackState,
} from '../../hasura-config/local-stack-state';
import { InvalidInputError } from '../../lambda/errors';
import { shownPath } from './local-env-file';

/** The demo users' passwords, kept next to the state so that a restart can still sign them in. */
export const DEMO_USERS_FILE_NAME = 'demo-users.json';
const OWN_ENTRIES = new Set([LOCAL_STATE_FILE_NAME, EMULATOR_DIR_NAME, DEMO_USERS_FILE_NAME]);
/** writeFileAtomic's temporary file, left by a write that was killed half-way. */
const ATOMIC_TEMP = /^\.(?:stack|demo-users)\.json\.\d+\.[0-9a-f]+\.tmp$/;
/** Said wherever the state cannot be used as it is. */
export const RESET_REMEDY = 'npm start -- --reset starts over';

/** Where the emulator keeps its data: cognito-local's working directory holds `.cognito/`. */
export function emulatorDir(stateDir: string): string {
  return path.join(stateDir, EMULATOR_DIR_NAME);
}

/** Throws InvalidInputError for `--state-dir` unless `stateDir` does not exist or holds only what npm start writes there. */
export function checkStateFolder(stateDir: string): void {
  const field = `--state-dir ${shownPath(stateDir)}`;
  let entries: string[];
  try {
    entries = fs.readdirSync(stateDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') return;
    throw new InvalidInputError(
      field,
      'a folder npm start made for its state, or none',
      code === 'ENOTDIR' ? 'a file' : `an error (${code})`,
    );
  }
  const foreign = entries.filter((name) => !OWN_ENTRIES.has(name) && !ATOMIC_TEMP.test(name));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).map((name) => shownPath(name));
    throw new InvalidInputError(
      field,
      `a folder npm start made for its state (only ${[...OWN_ENTRIES].join(', ')}), or none`,
      `other entries: ${shown.join(', ')}${foreign.length > 3 ? ', …' : ''}`,
    );
  }
}

/** An empty state folder, private (it holds the demo users' passwords): what an earlier start left in it is removed. */
export function startEmptyStateFolder(stateDir: string): void {
  // Only a folder without a state: one with a state is reused, or deleted by --reset first.
  if (fs.existsSync(localStateFile(stateDir))) {
    throw new InvalidInputError(
      `--state-dir ${shownPath(stateDir)}`,
      `a folder without a state to provision anew (${RESET_REMEDY})`,
      `${LOCAL_STATE_FILE_NAME} in it`,
    );
  }
  removeStateFolder(stateDir);
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
}

/** Deletes the folder, if it is npm start's (checked again here, right before). */
export function removeStateFolder(stateDir: string): void {
  checkStateFolder(stateDir);
  fs.rmSync(stateDir, { recursive: true, force: true });
}

/** Who answers on a state's port: an emulator holding its pool, nothing or another program, or nothing in time to tell. */
export type StatePortHolder = 'this stack' | 'not this stack' | 'no answer';
/** Long enough for an emulator on a loaded machine; a program that says nothing in that time could still be one. */
const HOLDER_ANSWER_MS = 5000;

/** Asks the emulator's DescribeUserPool on `state`'s endpoint for its pool: another npm start serving the same state answers with it. */
export async function statePortHolder(state: LocalStackState): Promise<StatePortHolder> {
  // A timer of its own, not AbortSignal.timeout: that one is unref'd, and a request left hanging
  // by whatever holds the port would then let this process exit with nothing said.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), HOLDER_ANSWER_MS);
  try {
    const response = await fetch(state.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.DescribeUserPool' },
      body: JSON.stringify({ UserPoolId: state.userPoolId }),
      signal: abort.signal,
    });
    const answer = (await response.json()) as { UserPool?: { Id?: unknown } };
    return response.ok && answer.UserPool?.Id === state.userPoolId ? 'this stack' : 'not this stack';
  } catch {
    return abort.signal.aborted ? 'no answer' : 'not this stack';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `--reset`: deletes the folder, unless an npm start may be serving its state right now (it would
 * go on serving a pool whose data is gone). A state file that cannot be read is deleted all the same.
 */
export async function resetStateFolder(stateDir: string): Promise<LocalStackState | undefined> {
  checkStateFolder(stateDir);
  let state: LocalStackState | undefined;
  try {
    state = readLocalStackState(stateDir);
  } catch {
    state = undefined;
  }
  // Deleted only when no npm start can be serving it: its port free, or held by a program that is not the emulator.
  const holder = state === undefined ? 'not this stack' : await statePortHolder(state);
  if (state !== undefined && holder !== 'not this stack') {
    const port = localStatePort(state);
    throw new InvalidInputError(
      '--reset',
      `the local stack in ${shownPath(stateDir)} stopped first`,
      holder === 'this stack' ? `an npm start serving it on port ${port}` : `port ${port} held by a process that did not answer`,
    );
  }
  removeStateFolder(stateDir);
  return state;
}

/**
 * Checks, before the emulator starts, that the data `state` points at is there and readable:
 * cognito-local reads every file of its data directory at start-up and exits on one that is not
 * JSON, and a pool whose file is gone is gone. The remedy is the same for both: start over.
 */
export function checkEmulatorData(stateDir: string, state: LocalStackState): void {
  const dataDir = path.join(emulatorDir(stateDir), '.cognito', 'db');
  const poolFile = path.join(dataDir, `${state.userPoolId}.json`);
  const expected = `the emulator's data for the pool ${shownPath(localStateFile(stateDir))} names (${RESET_REMEDY})`;
  let names: string[];
  try {
    names = fs.readdirSync(dataDir).filter((name) => name.endsWith('.json'));
  } catch {
    throw new InvalidInputError(shownPath(dataDir), expected, 'no such folder');
  }
  for (const required of ['clients.json', path.basename(poolFile)]) {
    if (!names.includes(required)) throw new InvalidInputError(shownPath(path.join(dataDir, required)), expected, 'no such file');
  }
  for (const name of names) {
    const file = path.join(dataDir, name);
    try {
      JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      throw new InvalidInputError(shownPath(file), expected, 'a file that is not JSON');
    }
  }
}
