import { isSafeToPrint, printable, quoted, quotedJson } from '../../../hasura-config/terminal-text';

describe('printable', () => {
  it('leaves plain text, including non-ASCII letters, unchanged', () => {
    expect(printable('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC')).toBe(
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC',
    );
    expect(printable('Zoë 日本')).toBe('Zoë 日本');
  });

  it.each([
    ['ESC and OSC', 'x\u001b]8;;https://evil\u0007y'],
    ['a newline that would paint a forged line', 'https://a\nrole: admin'],
    ['a carriage return', 'ok\rHasura accepts this token.'],
    ['a C1 control (CSI)', 'a\u009b31mb'],
    ['DEL', 'a\u007fb'],
    ['a bidi override', 'admin\u202enimda'],
    ['a line separator', 'a\u2028b'],
    ['a zero-width space', 'ad\u200bmin'],
  ])('quotes and escapes %s', (_, text) => {
    const shown = printable(text);
    expect(shown.startsWith('"')).toBe(true);
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b\u2028\u202e]/);
    expect(JSON.parse(shown)).toBe(text);
  });
});

describe('quoted', () => {
  it('always quotes, and round-trips through JSON.parse', () => {
    expect(quoted('org-1')).toBe('"org-1"');
    expect(JSON.parse(quoted('a"\\\u0085'))).toBe('a"\\\u0085');
  });
});

describe('quotedJson', () => {
  it('is JSON.stringify for safe values, and escapes unsafe characters inside strings only', () => {
    const value = { a: ['x', 1, null], 'k\u0085': 'v\u202e\n' };
    expect(quotedJson({ a: ['x', 1, null] })).toBe(JSON.stringify({ a: ['x', 1, null] }));
    expect(quotedJson(value)).toBe('{"a":["x",1,null],"k\\u0085":"v\\u202e\\n"}');
    expect(JSON.parse(quotedJson(value)!)).toEqual(value);
    expect(quotedJson(undefined)).toBeUndefined();
  });
});

describe('isSafeToPrint', () => {
  it('is true exactly when printable leaves the text unchanged', () => {
    for (const text of ['plain', 'Zoë', 'a\tb', 'a\u0085b', 'a\u2066b', '']) expect(isSafeToPrint(text)).toBe(printable(text) === text);
  });
});
