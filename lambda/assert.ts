/**
 * The checks the claims config parser is written with. An `assert…` narrows the value's type and a
 * `read…` returns the value read; either throws `InvalidInputError` with the value's path, what was
 * expected and what was found.
 *
 * A path names the config and the keys down to a value, e.g. `HASURA_CLAIMS_CONFIG.groupRoles.admins`
 * (see `fieldPath`). Like the parser, this module is bundled into the Lambda: no dependencies.
 */
import { InvalidInputError } from './errors';

/** What a string must be: the pattern it matches, names it must not be, and how an error says so. */
export interface StringRule {
  readonly pattern: RegExp;
  /** What an error message says was expected. */
  readonly expected: string;
  /** Names refused in any case, written in lower case. */
  readonly reserved?: readonly string[];
}

/**
 * Keys no map may have. Written into a plain object, "__proto__" sets its prototype instead of an
 * entry, and "constructor" or "prototype" read back inherited values where an entry is missing:
 * whatever later handles the config by key (the construct, a user's code) would lose or confuse them.
 */
export const PROTOTYPE_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** The value of every absent map: one object shared by every config, so frozen. */
const EMPTY_MAP: Readonly<Record<string, never>> = Object.freeze({});

/** `base.key`, or `base["key"]` when the key is not a plain identifier. */
export function fieldPath(base: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/** Throws `InvalidInputError`: at `path`, `expected` was wanted and `found` was there. */
export function fail(path: string, expected: string, found: unknown): never {
  throw new InvalidInputError(path, expected, describeValue(found));
}

/** How an error message shows a value: as JSON, cut to 64 characters; by its type where JSON cannot show it. */
export function describeValue(found: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(found);
  } catch {
    // A bigint, or an object that contains itself.
  }
  if (json === undefined) return found === undefined ? 'nothing' : typeof found === 'object' ? 'an object' : `a ${typeof found}`;
  return json.length > 64 ? `${json.slice(0, 61)}...` : json;
}

/** A plain object: not null, not an array. */
export function assertObject(value: unknown, path: string): asserts value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
}

/** A string that matches `rule.pattern` and is none of `rule.reserved` in any case. */
export function assertString(value: unknown, path: string, rule: StringRule): asserts value is string {
  if (typeof value !== 'string' || !rule.pattern.test(value) || rule.reserved?.includes(value.toLowerCase())) {
    fail(path, rule.expected, value);
  }
}

/** Exactly one of `options`. */
export function assertOneOf<T extends string>(value: unknown, path: string, options: readonly T[]): asserts value is T {
  if (!options.some((option) => option === value)) fail(path, options.map((option) => JSON.stringify(option)).join(' or '), value);
}

/** `value` checked by `rule`; `fallback` when it is absent and there is one. */
export function readString(value: unknown, path: string, rule: StringRule, fallback?: string): string {
  if (value === undefined && fallback !== undefined) return fallback;
  assertString(value, path, rule);
  return value;
}

/** `value` if it is one of `options`; `fallback` when it is absent. */
export function readOneOf<T extends string>(value: unknown, path: string, options: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  assertOneOf(value, path, options);
  return value;
}

/**
 * An object with no field but `fields`; each of them is still to be checked (`undefined` when absent).
 * An unknown field is refused: a misspelt field would otherwise silently leave its default.
 */
export function assertFields<Field extends string>(
  value: unknown,
  path: string,
  fields: readonly Field[],
): asserts value is { readonly [F in Field]?: unknown } {
  assertObject(value, path);
  const known: readonly string[] = fields;
  for (const name of Object.keys(value)) {
    if (!known.includes(name)) throw new InvalidInputError(fieldPath(path, name), `one of ${fields.join(', ')}`, 'an unknown field');
  }
}

/**
 * A map whose keys pass `keys` and whose values pass `readValue`, as a frozen copy; the shared
 * empty map when it is absent.
 */
export function readMap<T>(
  value: unknown,
  path: string,
  keys: StringRule,
  readValue: (value: unknown, path: string) => T,
): Readonly<Record<string, T>> {
  if (value === undefined) return EMPTY_MAP;
  assertObject(value, path);
  const entries: [string, T][] = [];
  for (const [key, entry] of Object.entries(value)) {
    const at = fieldPath(path, key);
    if (PROTOTYPE_NAMES.includes(key)) fail(at, `${keys.expected}, not "__proto__", "constructor" or "prototype"`, key);
    assertString(key, at, keys);
    entries.push([key, readValue(entry, at)]);
  }
  // Object.fromEntries defines own properties, so a key such as "__proto__" would stay data.
  return Object.freeze(Object.fromEntries(entries));
}
