import { findStringProblem, stringProblem } from './text';

describe('the string rule', () => {
  it('every string refuses a NUL character, naming where it is', () => {
    expect(stringProblem('ab\u0000c', 'text')).toMatch(/NUL character \(U\+0000\) at position 2/);
    expect(stringProblem('ab\u0000c', 'name')).toMatch(/NUL/);
  });

  it('every string refuses an unpaired surrogate, high or low, alone or at the end', () => {
    expect(stringProblem('\ud800', 'text')).toMatch(/unpaired surrogate \(U\+D800\)/);
    expect(stringProblem('x\udfff', 'text')).toMatch(/unpaired surrogate \(U\+DFFF\) at position 1/);
    expect(stringProblem('\ud800x', 'text')).toMatch(/U\+D800/);
    expect(stringProblem('\udc00\ud800', 'name')).toMatch(/U\+DC00/);
  });

  it('a well-formed surrogate pair (a character outside the BMP) is accepted in names and text', () => {
    expect(stringProblem('team-\u{1F680}', 'name')).toBeUndefined();
    expect(stringProblem('\ud83d\ude80', 'text')).toBeUndefined();
  });

  it('free text may hold line breaks, tabs and bidirectional marks; names may not', () => {
    const text = 'line one\nline two\ttab \u202e reversed';
    expect(stringProblem(text, 'text')).toBeUndefined();
    expect(stringProblem('a\nb', 'name')).toMatch(/control character \(U\+000A\)/);
    expect(stringProblem('a\tb', 'name')).toMatch(/control character \(U\+0009\)/);
  });

  it('names refuse C0, DEL and C1 controls', () => {
    expect(stringProblem('a\u0001', 'name')).toMatch(/U\+0001/);
    expect(stringProblem('a\u007f', 'name')).toMatch(/U\+007F/);
    expect(stringProblem('a\u0085', 'name')).toMatch(/U\+0085/);
    expect(stringProblem('a\u009f', 'name')).toMatch(/U\+009F/);
    expect(stringProblem('a\u00a0b', 'name')).toBeUndefined(); // no-break space is printable
  });

  it('names refuse bidirectional overrides, embeddings, isolates and marks', () => {
    for (const code of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]) {
      expect(stringProblem(`id${String.fromCharCode(code)}x`, 'name')).toMatch(/bidirectional formatting character/);
    }
  });

  it('ordinary names, ARNs and non-Latin letters are accepted', () => {
    for (const ok of ['vpce-0c1308d7312217abc', 'arn:aws:iam::444455556666:role/portal', 'Ünïcødé 名前', 'a b=c+d@e/f:g', '']) {
      expect(stringProblem(ok, 'name')).toBeUndefined();
    }
  });

  it('in a parsed body, the first offending string is found with its JSON path', () => {
    expect(
      findStringProblem(
        {
          tags: [
            { key: 'ok', value: 'ok' },
            { key: 'k', value: 'v\u0000' },
          ],
        },
        'text',
      ),
    ).toEqual({
      field: 'tags[1].value',
      problem: expect.stringMatching(/NUL/),
    });
    expect(findStringProblem({ a: { b: ['x', '\ud800'] } }, 'text')?.field).toBe('a.b[1]');
    expect(findStringProblem({ message: 'two\nlines', n: 3, flag: true, none: null }, 'text')).toBeUndefined();
  });

  it('a body nested deeper than any request of the API is refused without walking it all (no stack exhaustion)', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(findStringProblem({ tags: deep }, 'text')).toEqual({
      field: expect.stringMatching(/^tags(\[0\])+$/),
      problem: 'is nested more than 32 levels deep',
    });
    let ok: unknown = 'leaf';
    for (let i = 0; i < 30; i++) ok = [ok];
    expect(findStringProblem({ a: ok }, 'text')).toBeUndefined();
  });

  it('a field name is held to the rule for names, and the error names the object holding it', () => {
    expect(findStringProblem({ outer: { 'bad\u0000key': 1 } }, 'text')).toEqual({
      field: 'outer',
      problem: expect.stringMatching(/^a field name contains a NUL/),
    });
    expect(findStringProblem({ 'tab\tkey': 1 }, 'text')).toEqual({ field: '', problem: expect.stringMatching(/control character/) });
  });
});
