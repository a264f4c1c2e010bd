/**
 * Reads one variable from a dotenv file: the single-quoted lines this project writes (formats.ts
 * renderEnv), and the double-quoted and unquoted values docker compose's dotenv also reads. Small
 * and strict: what compose would read differently (a `$` it would interpolate, an inline comment,
 * a multi-line value) is refused rather than guessed, as is a line that is not `NAME=value`.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { InvalidInputError } from '../lambda/errors';

/** More than any env file this project writes; a larger file is not read to the end. */
export const MAX_ENV_FILE_BYTES = 64 * 1024;

export interface EnvVariable {
  readonly value: string;
  /** 1-based, for messages. */
  readonly line: number;
}

/** `name`'s value in the file at `path`; throws InvalidInputError naming `--env-file <path>` and the line. */
export function readEnvVariable(path: string, name: string): EnvVariable {
  return findEnvVariable(readEnvFile(path), name, `--env-file ${path}`);
}

function readEnvFile(path: string): string {
  const subject = `--env-file ${path}`;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidInputError(
      subject,
      'a readable env file',
      code === 'ENOENT' ? 'no such file' : `an unreadable file (${code ?? 'error'})`,
    );
  }
  try {
    const buffer = Buffer.alloc(MAX_ENV_FILE_BYTES + 1);
    let bytes = 0;
    for (;;) {
      const read = readSync(fd, buffer, bytes, buffer.length - bytes, null);
      if (read === 0) break;
      bytes += read;
      if (bytes > MAX_ENV_FILE_BYTES) throw new InvalidInputError(subject, `an env file of at most ${MAX_ENV_FILE_BYTES} bytes`, 'more');
    }
    return buffer.subarray(0, bytes).toString('utf8');
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidInputError(
      subject,
      'a readable env file',
      code === 'EISDIR' ? 'a directory' : `an unreadable file (${code ?? 'error'})`,
    );
  } finally {
    closeSync(fd);
  }
}

const ASSIGNMENT = /^(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/** The one assignment of `name` in `text`; every line must be blank, a comment or an assignment. */
export function findEnvVariable(text: string, name: string, subject: string): EnvVariable {
  let found: EnvVariable | undefined;
  const lines = text.split('\n');
  for (const [index, rawLine] of lines.entries()) {
    const lineNumber = index + 1;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const assignment = ASSIGNMENT.exec(trimmed);
    const at = `${subject} line ${lineNumber}`;
    if (assignment === null) throw new InvalidInputError(at, 'NAME=value, a comment or a blank line', 'another line');
    const value = unquote(assignment[2], `${at} ${assignment[1]}`);
    if (assignment[1] !== name) continue;
    if (found !== undefined) throw new InvalidInputError(at, `${name} once`, `it again (first on line ${found.line})`);
    found = { value, line: lineNumber };
  }
  if (found === undefined) throw new InvalidInputError(subject, `a ${name}=... line`, 'none');
  return found;
}

/** A value as compose reads it, when it reads it exactly as written here. */
function unquote(raw: string, subject: string): string {
  const text = raw.trimEnd();
  if (text.startsWith("'")) {
    // Single quotes: literal, as compose and sh read them.
    if (text.length < 2 || !text.endsWith("'") || text.slice(1, -1).includes("'")) {
      throw new InvalidInputError(subject, 'a value closed by its single quote on the same line, nothing after it', 'another value');
    }
    return text.slice(1, -1);
  }
  if (text.startsWith('"')) {
    // Double quotes: \" and \\ are the escapes read alike everywhere; compose would interpolate a $.
    const expected = 'a value closed by its double quote on the same line, without $ or escapes other than \\" and \\\\';
    if (text.length < 2 || !text.endsWith('"')) throw new InvalidInputError(subject, expected, 'another value');
    let value = '';
    const inner = text.slice(1, -1);
    for (let i = 0; i < inner.length; i++) {
      let char = inner[i];
      if (char === '\\') {
        i++;
        char = inner[i];
        if (char !== '"' && char !== '\\') throw new InvalidInputError(subject, expected, 'another escape');
      } else if (char === '"' || char === '$') {
        throw new InvalidInputError(subject, expected, 'another value');
      }
      value += char;
    }
    return value;
  }
  if (text.includes('$') || /\s#/.test(text)) {
    throw new InvalidInputError(subject, 'an unquoted value without $ or an inline comment (single-quote it)', 'one');
  }
  return text.trim();
}
