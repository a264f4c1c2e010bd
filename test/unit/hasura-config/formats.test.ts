/**
 * formats.ts: the env file's quoting, and the JSON Pointer of the DDN format. (The formats' bytes
 * are held by golden files in generate.test.ts.)
 *
 * The env file must give back the exact JSON to both readers:
 * - POSIX sh (`. ./hasura.env`): nothing inside '...' is special.
 * - docker compose (`env_file:` / `--env-file`), parsed by compose-go's dotenv parser
 *   (dotenv/parser.go, extractVarValue): a value starting with ' runs to the next unescaped ';
 *   no interpolation and no escape processing happen for single quotes, except that a backslash
 *   before the quote character keeps the quote (and is dropped). A backslash before any other
 *   character is kept together with that character. Lines starting with # are comments.
 * `parseComposeEnvFile` below ports exactly those rules, so the test fails if the generator ever
 * emits a value those rules would change.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonPointer } from '../../../hasura-config/formats';
import { main } from '../../../hasura-config/generate';
import { EXPLICIT_POOL_ARGS, makeTempDir, runMain } from './helpers';

/** Port of compose-go dotenv's statement loop for the constructs we emit (comments, KEY='value'). */
function parseComposeEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let rest = text;
  for (;;) {
    rest = rest.replace(/^\s+/, '');
    if (rest === '') return out;
    if (rest.startsWith('#')) {
      const newline = rest.indexOf('\n');
      rest = newline === -1 ? '' : rest.slice(newline);
      continue;
    }
    const key = /^([A-Za-z0-9_.\-[\]]+)\s*[=:]\s*/.exec(rest);
    if (key === null) throw new Error(`unexpected statement: ${rest.split('\n')[0]}`);
    rest = rest.slice(key[0].length);
    const quote = rest[0];
    if (quote !== "'" && quote !== '"') throw new Error(`${key[1]} is not quoted`);
    let value = '';
    let escaped = false;
    let end = -1;
    for (let i = 1; i < rest.length; i++) {
      const char = rest[i];
      if (char !== quote) {
        if (!escaped && char === '\\') {
          escaped = true;
          continue;
        }
        if (escaped) {
          escaped = false;
          value += '\\';
        }
        value += char;
        continue;
      }
      if (escaped) {
        escaped = false;
        value += char;
        continue;
      }
      end = i;
      break;
    }
    if (end === -1) throw new Error(`unterminated quoted value for ${key[1]}`);
    if (quote === '"') throw new Error('double quotes expand escapes and variables: not used by the generator');
    out[key[1]] = value;
    rest = rest.slice(end + 1);
  }
}

/** What `sh` sees after sourcing the file. */
function sourceWithSh(file: string, name: string): string {
  return execFileSync('/bin/sh', ['-c', `. "$1" && printf '%s' "$${name}"`, 'sh', file], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
}

describe('the env file reads back unchanged', () => {
  // Characters that break naive quoting: $ (expansion), " and \ (JSON escapes), `, spaces, #, !
  const namespaces = ['https://hasura.io/jwt/claims', 'https://example.com/$HOME/`id`/"quoted" \\back\\slash\\ #not-a-comment!'];

  it.each(namespaces)('namespace %s, through sh and through compose rules', async (namespace) => {
    const temp = makeTempDir();
    try {
      const argv = [...EXPLICIT_POOL_ARGS, '--namespace', namespace, '--unauthorized-role', 'anon $USER'];
      const json = (await runMain(main, [...argv.slice(0, -2), '--format', 'json'])).stdout.trimEnd();
      expect(JSON.parse(json).claims_namespace).toBe(namespace);

      const file = join(temp.dir, 'hasura.env');
      expect((await runMain(main, [...argv, '--out', file])).code).toBe(0);

      expect(sourceWithSh(file, 'HASURA_GRAPHQL_JWT_SECRET')).toBe(json);
      expect(sourceWithSh(file, 'HASURA_GRAPHQL_UNAUTHORIZED_ROLE')).toBe('anon $USER');
      expect(parseComposeEnvFile(readFileSync(file, 'utf8'))).toEqual({
        HASURA_GRAPHQL_JWT_SECRET: json,
        HASURA_GRAPHQL_UNAUTHORIZED_ROLE: 'anon $USER',
      });
    } finally {
      temp.cleanup();
    }
  });

  it('the compose-rules port is not a no-op: it changes what naive quoting would emit', () => {
    expect(parseComposeEnvFile("A='it\\'s'\n")).toEqual({ A: "it's" });
    expect(() => parseComposeEnvFile('A=unquoted\n')).toThrow('not quoted');
  });

  it('a single quote in a value is refused rather than escaped', async () => {
    const temp = makeTempDir();
    try {
      const file = join(temp.dir, 'hasura.env');
      writeFileSync(file, 'old\n');
      const result = await runMain(main, [...EXPLICIT_POOL_ARGS, '--unauthorized-role', "o'brien", '--out', file, '--force']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'hasura-config: --unauthorized-role: expected a value without single quotes or control characters (env files single-quote values), found one\n',
      );
      expect(readFileSync(file, 'utf8')).toBe('old\n');
    } finally {
      temp.cleanup();
    }
  });
});

describe('jsonPointer (RFC 6901)', () => {
  it.each([
    ['https://hasura.io/jwt/claims', '/https:~1~1hasura.io~1jwt~1claims'],
    ['claims.jwt.hasura.io', '/claims.jwt.hasura.io'],
    ['a~/b', '/a~0~1b'],
    ['~1', '/~01'],
  ])('%s -> %s', (key, pointer) => {
    expect(jsonPointer(key)).toBe(pointer);
  });
});
