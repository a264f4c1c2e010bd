/** env-file: one variable read from a dotenv file, exactly as docker compose would read it, or refused. */
import { findEnvVariable } from '../../../hasura-config/env-file';
import { InvalidInputError } from '../../../lambda/errors';

const read = (text: string) => findEnvVariable(text, 'V', 'f');

describe('findEnvVariable', () => {
  it.each([
    ['single-quoted, literal', "V='a \\\" $b'\n", 'a \\" $b'],
    ['double-quoted, with \\" and \\\\', 'V="{\\"a\\":\\"b\\\\c\\"}"', '{"a":"b\\c"}'],
    ['unquoted, trimmed', 'V= {"a":1}  ', '{"a":1}'],
    ['with export, CRLF, comments and other variables', '# c\r\n\r\nW=1\r\nexport V=x\r\n  # indented comment\r\n', 'x'],
    ['a # not after a space', 'V=https://x#y', 'https://x#y'],
  ])('%s', (_name, text, value) => {
    expect(read(text).value).toBe(value);
  });

  it('gives the line number', () => {
    expect(read('# a\n\nV=x\n')).toEqual({ value: 'x', line: 3 });
  });

  it.each([
    ['a line that is no assignment', 'V x', /^f line 1: expected NAME=value/],
    ['spaces around =', 'V = x', /^f line 1: expected NAME=value/],
    ['a malformed other variable', "V=x\nW='y", /^f line 2 W: expected a value closed by its single quote/],
    ['text after the closing quote', "V='x' # c", /^f line 1 V: expected a value closed by its single quote/],
    ['a $ compose would interpolate (double quotes)', 'V="$HOME"', /^f line 1 V: expected a value closed by its double quote/],
    ['another escape (double quotes)', 'V="a\\nb"', /^f line 1 V: .*found another escape$/],
    ['an unescaped double quote inside', 'V="a"b"', /^f line 1 V: expected a value closed by its double quote/],
    ['a $ unquoted', 'V=$HOME', /^f line 1 V: expected an unquoted value without \$/],
    ['an inline comment unquoted', 'V=x # c', /^f line 1 V: expected an unquoted value without \$ or an inline comment/],
    ['the variable twice', 'V=1\nV=1', /^f line 2: expected V once, found it again \(first on line 1\)$/],
    ['no such variable', 'W=1', /^f: expected a V=... line, found none$/],
  ])('refuses %s', (_name, text, message) => {
    expect(() => read(text)).toThrow(InvalidInputError);
    expect(() => read(text)).toThrow(message);
  });
});
