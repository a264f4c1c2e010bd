import {
  assertFields,
  assertObject,
  assertOneOf,
  assertString,
  describeValue,
  fieldPath,
  readMap,
  readOneOf,
  readString,
  type StringRule,
} from '../../../lambda/assert';
import { InvalidInputError } from '../../../lambda/errors';

const WORD: StringRule = { pattern: /^[a-z]+$/i, expected: 'a word', reserved: ['admin'] };

/** The InvalidInputError that `check` throws. */
function failure(check: () => unknown): InvalidInputError {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('the check passed');
}

describe('fieldPath', () => {
  it('appends identifiers with a dot and anything else as a quoted index', () => {
    expect(fieldPath('cfg', 'groupRoles')).toBe('cfg.groupRoles');
    expect(fieldPath('cfg', 'my admins')).toBe('cfg["my admins"]');
    expect(fieldPath('cfg', 'x-hasura-org-id')).toBe('cfg["x-hasura-org-id"]');
    expect(fieldPath('cfg', 'a"b')).toBe('cfg["a\\"b"]');
  });
});

describe('describeValue', () => {
  it('shows JSON, "nothing" for undefined, and cuts long values to 64 characters', () => {
    expect(describeValue('refresh')).toBe('"refresh"');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(['a'])).toBe('["a"]');
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue('x'.repeat(200))).toBe(`"${'x'.repeat(60)}...`);
  });
});

describe('assertObject', () => {
  it('passes a plain object and refuses null, arrays and other types, naming the path', () => {
    expect(() => assertObject({}, 'cfg')).not.toThrow();
    for (const value of [null, [], 'x', 1, undefined]) {
      expect(failure(() => assertObject(value, 'cfg.groupRoles'))).toMatchObject({
        field: 'cfg.groupRoles',
        expected: 'an object',
        found: describeValue(value),
      });
    }
  });
});

describe('assertString', () => {
  it('passes a string that matches the pattern', () => {
    expect(() => assertString('editor', 'cfg.role', WORD)).not.toThrow();
  });

  it('refuses a string off the pattern, a reserved name in any case, and a non-string', () => {
    expect(() => assertString('Editor', 'cfg.role', WORD)).not.toThrow();
    for (const value of ['two words', '', 'admin', 'ADMIN', 'Admin', 7, null, undefined]) {
      const error = failure(() => assertString(value, 'cfg.role', WORD));
      expect(error.message).toBe(`cfg.role: expected a word, found ${describeValue(value)}`);
    }
  });
});

describe('assertOneOf', () => {
  it('passes one of the options and names all of them otherwise', () => {
    expect(() => assertOneOf('id', 'cfg.tokenUse', ['access', 'id'])).not.toThrow();
    expect(failure(() => assertOneOf('ID', 'cfg.tokenUse', ['access', 'id']))).toMatchObject({
      field: 'cfg.tokenUse',
      expected: '"access" or "id"',
      found: '"ID"',
    });
  });
});

describe('readString and readOneOf', () => {
  it('give the fallback for an absent value only: null is a value', () => {
    expect(readString(undefined, 'cfg.role', WORD, 'user')).toBe('user');
    expect(readOneOf(undefined, 'cfg.tokenUse', ['access', 'id'], 'access')).toBe('access');
    expect(failure(() => readString(null, 'cfg.role', WORD, 'user')).found).toBe('null');
    expect(failure(() => readOneOf(null, 'cfg.tokenUse', ['access', 'id'], 'access')).found).toBe('null');
  });

  it('refuses an absent value when there is no fallback', () => {
    expect(failure(() => readString(undefined, 'cfg.role', WORD)).found).toBe('nothing');
  });

  it('check a present value against the rule, whatever the fallback', () => {
    expect(readString('editor', 'cfg.role', WORD, 'user')).toBe('editor');
    expect(failure(() => readString('admin', 'cfg.role', WORD, 'user')).field).toBe('cfg.role');
  });
});

describe('assertFields', () => {
  it('passes an object with some or all of the fields', () => {
    expect(() => assertFields({}, 'cfg', ['role', 'sessionVariables'])).not.toThrow();
    expect(() => assertFields({ role: 1, sessionVariables: 2 }, 'cfg', ['role', 'sessionVariables'])).not.toThrow();
  });

  it('refuses an unknown field, naming it and the fields there are', () => {
    expect(failure(() => assertFields({ role: 'a', roles: [] }, 'cfg.client', ['role', 'sessionVariables']))).toMatchObject({
      field: 'cfg.client.roles',
      expected: 'one of role, sessionVariables',
      found: 'an unknown field',
    });
  });

  it('refuses what is not an object', () => {
    expect(failure(() => assertFields(['role'], 'cfg', ['role'])).expected).toBe('an object');
  });
});

describe('readMap', () => {
  const readWord = (value: unknown, path: string) => readString(value, path, WORD);

  it('reads an absent map as one shared, frozen empty map', () => {
    const empty = readMap(undefined, 'cfg.groupRoles', WORD, readWord);
    expect(empty).toEqual({});
    expect(Object.isFrozen(empty)).toBe(true);
    expect(readMap(undefined, 'cfg.other', WORD, readWord)).toBe(empty);
  });

  it('returns a frozen copy with every value as the value reader returns it', () => {
    const input = { editors: 'editor', viewers: 'viewer' };
    const map = readMap(input, 'cfg.groupRoles', WORD, (value, path) => `${readWord(value, path)}@${path}`);
    expect(map).toEqual({ editors: 'editor@cfg.groupRoles.editors', viewers: 'viewer@cfg.groupRoles.viewers' });
    expect(map).not.toBe(input);
    expect(Object.isFrozen(map)).toBe(true);
  });

  it('checks keys with the key rule and values with the value reader, naming the entry', () => {
    expect(failure(() => readMap({ 'my editors': 'editor' }, 'cfg.groupRoles', WORD, readWord))).toMatchObject({
      field: 'cfg.groupRoles["my editors"]',
      expected: 'a word',
      found: '"my editors"',
    });
    expect(failure(() => readMap({ editors: 'Admin' }, 'cfg.groupRoles', WORD, readWord))).toMatchObject({
      field: 'cfg.groupRoles.editors',
      found: '"Admin"',
    });
  });

  it('refuses prototype names as keys, even where the key rule would pass them', () => {
    const anyKey: StringRule = { pattern: /^.+$/, expected: 'a key' };
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      // JSON.parse keeps "__proto__" as an own key, as a config read from JSON has it.
      const input: unknown = JSON.parse(`{"${key}":"editor"}`);
      expect(failure(() => readMap(input, 'cfg.groupRoles', anyKey, readWord))).toMatchObject({
        field: `cfg.groupRoles.${key}`,
        expected: 'a key, not "__proto__", "constructor" or "prototype"',
        found: JSON.stringify(key),
      });
    }
  });

  it('refuses what is not an object', () => {
    expect(failure(() => readMap(['editor'], 'cfg.groupRoles', WORD, readWord)).expected).toBe('an object');
  });
});
