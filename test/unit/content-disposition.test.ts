import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attachmentDisposition, safeDisplayName } from '../../core/content-disposition';

/** Splits the header into its two filename parameters; fails the test if the shape is not the documented one. */
const parse = (header: string) => {
  const match = /^attachment; filename="([^"]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]*)$/.exec(header);
  expect(match, header).not.toBeNull();
  const [, fallback, encoded] = match as unknown as [string, string, string];
  return { fallback, encoded, decoded: decodeURIComponent(encoded) };
};

const expectSafeHeader = (header: string) => {
  expect(header).not.toMatch(/[\r\n]/);
  expect(header).toMatch(/^[\x20-\x7e]+$/);
  const { fallback } = parse(header);
  expect(fallback).toMatch(/^[\x20-\x7e]+$/);
  expect(fallback).not.toMatch(/["\\;,%]/);
};

describe('attachmentDisposition', () => {
  it('names a plain ASCII file in both parameters', () => {
    // Act
    const header = attachmentDisposition('ebook.pdf');

    // Assess
    expect(header).toBe(`attachment; filename="ebook.pdf"; filename*=UTF-8''ebook.pdf`);
  });

  it.each([
    ['quotes', 'The "Best" Book.pdf'],
    ['commas', 'Smith, John - Notes.pdf'],
    ['semicolons', 'a; filename=evil.exe.pdf'],
    ['backslashes', 'a\\b.pdf'],
    ['percent signs', '100% pure.pdf'],
    ['apostrophes and parentheses', "Tom's (draft) *final*!.pdf"],
  ])('keeps %s from breaking the header and carries the exact name in filename*', (_, name) => {
    // Act
    const header = attachmentDisposition(name);

    // Assess
    expectSafeHeader(header);
    expect(parse(header).decoded).toBe(safeDisplayName(name));
  });

  it('keeps quotes and commas in the exact name (only the ASCII fallback replaces them)', () => {
    // Act
    const { fallback, decoded } = parse(attachmentDisposition('Smith, "J".pdf'));

    // Assess
    expect(decoded).toBe('Smith, "J".pdf');
    expect(fallback).toBe('Smith_ _J_.pdf');
  });

  it('drops CR and LF so that no header can be injected', () => {
    // Act
    const header = attachmentDisposition('report\r\nSet-Cookie: a=b\r\n.pdf');

    // Assess
    expectSafeHeader(header);
    expect(parse(header).decoded).toBe('reportSet-Cookie: a=b.pdf');
  });

  it('replaces path separators (/ and \\) in the name', () => {
    // Act
    const slash = parse(attachmentDisposition('../../etc/passwd'));
    const backslash = parse(attachmentDisposition('..\\..\\windows\\win.ini'));

    // Assess
    expect(slash.decoded).toBe('_.._etc_passwd');
    expect(slash.fallback).not.toMatch(/[/\\]/);
    expect(backslash.decoded).toBe('_.._windows_win.ini');
    expect(backslash.fallback).not.toMatch(/[/\\]/);
  });

  it.each([
    ['é', 'résumé.pdf', 'resume.pdf'],
    ['Japanese', '日本語.pdf', '___.pdf'],
    ['emoji', '🎵 song.mp3', '__ song.mp3'],
  ])('keeps a %s name exact in filename* with an ASCII fallback', (_, name, fallback) => {
    // Act
    const header = attachmentDisposition(name);

    // Assess
    expectSafeHeader(header);
    expect(parse(header).decoded).toBe(name);
    expect(parse(header).fallback).toBe(fallback);
  });

  it('encodes the exact name as UTF-8 percent-escapes', () => {
    // Act
    const { encoded } = parse(attachmentDisposition('é.pdf'));

    // Assess
    expect(encoded).toBe('%C3%A9.pdf');
  });

  it('normalizes a decomposed name to NFC', () => {
    // Act
    const { decoded } = parse(attachmentDisposition('re\u0301sume\u0301.pdf'));

    // Assess
    expect(decoded).toBe('résumé.pdf');
  });

  it.each([[''], ['   '], ['...'], ['\r\n'], ['\u0000\u0001']])('names an empty or invisible name %j "download"', (name) => {
    // Act
    const header = attachmentDisposition(name);

    // Assess
    expect(header).toBe(`attachment; filename="download"; filename*=UTF-8''download`);
  });

  it('strips leading dots so that the name cannot be a hidden file', () => {
    // Act
    const { decoded, fallback } = parse(attachmentDisposition('.bashrc'));

    // Assess
    expect(decoded).toBe('bashrc');
    expect(fallback).toBe('bashrc');
  });

  it('gives a single-line, parseable header for any string, long ones included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (name) => {
        // Act
        const header = attachmentDisposition(name);

        // Assess
        expectSafeHeader(header);
        expect(parse(header).decoded).toBe(safeDisplayName(name));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives a single-line, parseable header for any name made of ASCII and header-breaking characters', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '"', ',', ';', '\\', '/', '\r', '\n', '%', ' ', '.', "'", '=', '*', 'é'), maxLength: 400 }),
        (name) => {
          // Act
          const header = attachmentDisposition(name);

          // Assess
          expectSafeHeader(header);
          expect(parse(header).decoded).toBe(safeDisplayName(name));
        },
      ),
      { numRuns: 1000 },
    );
  });

  // BUG core/content-disposition.ts:20 — slice(0, 255) counts UTF-16 units and can cut an
  // emoji in half; encodeURIComponent then throws URIError, and the file can never be downloaded.
  it('survives a long name whose 255th UTF-16 unit is the first half of an emoji', () => {
    // Prepare
    const name = `${'a'.repeat(254)}🎵.mp3`;

    // Act
    const header = attachmentDisposition(name);

    // Assess
    expectSafeHeader(header);
  });

  // BUG core/content-disposition.ts:12-20 — a lone surrogate (valid in JSON: "\ud800") passes
  // safeDisplayName untouched and makes encodeURIComponent throw URIError.
  it('survives a name that carries a lone UTF-16 surrogate', () => {
    // Act
    const header = attachmentDisposition('\ud800.pdf');

    // Assess
    expectSafeHeader(header);
  });

  // BUG core/content-disposition.ts:25-28 — NFKD turns FULLWIDTH SOLIDUS (U+FF0F) into "/",
  // and the fallback does not replace "/" afterwards: the ASCII name gets a path separator back.
  it('keeps path separators out of the ASCII fallback, even those NFKD produces from fullwidth forms', () => {
    // Act
    const { fallback } = parse(attachmentDisposition('a／b.pdf'));

    // Assess
    expect(fallback).not.toMatch(/[/\\]/);
  });
});

describe('safeDisplayName', () => {
  it('cuts names to at most 255 characters', () => {
    // Act
    const name = safeDisplayName(`${'a'.repeat(300)}.pdf`);

    // Assess
    expect(name).toHaveLength(255);
  });

  it('drops C0 and C1 control characters', () => {
    // Act
    const name = safeDisplayName('a\u0000b\u0007c\u001fd\u007fe\u0085f\u009fg.pdf');

    // Assess
    expect(name).toBe('abcdefg.pdf');
  });
});

describe('names that only look harmless', () => {
  it('replaces a lone surrogate (valid in JSON) with U+FFFD instead of failing to encode', () => {
    // Act
    const name = safeDisplayName('a\uD800b.pdf');
    const { encoded } = parse(attachmentDisposition('a\uD800b.pdf'));

    // Assess
    expect(name).toBe('a\uFFFDb.pdf');
    expect(encoded).toBe('a%EF%BF%BDb.pdf');
  });

  it('names a file "download" when nothing visible is left of its name', () => {
    // Act
    const invisible = safeDisplayName('\u202E\u200B\u0000');
    const { fallback, decoded } = parse(attachmentDisposition('\u200B'));

    // Assess
    expect(invisible).toBe('download');
    expect([fallback, decoded]).toEqual(['download', 'download']);
  });

  it('cuts a long name at 255 code points without leaving a trailing space', () => {
    // Act
    const name = safeDisplayName(`${'a'.repeat(254)} b.pdf`);

    // Assess
    expect(name).toBe('a'.repeat(254));
  });

  it('cleans the ASCII fallback again after NFKD: full-width dots, spacing marks, and nothing left', () => {
    // Act
    const dots = parse(attachmentDisposition('．．pdf'));
    const spacingMark = parse(attachmentDisposition('notes¨'));
    const onlyADot = parse(attachmentDisposition('．'));

    // Assess: NFKD makes "..pdf", "notes " and "." of them.
    expect([dots.fallback, dots.decoded]).toEqual(['pdf', '．．pdf']);
    expect(spacingMark.fallback).toBe('notes');
    expect([onlyADot.fallback, onlyADot.decoded]).toEqual(['download', '．']);
  });

  it("percent-encodes RFC 8187's reserved marks in upper case", () => {
    // Act
    const { encoded } = parse(attachmentDisposition("a*b'c!.pdf"));

    // Assess
    expect(encoded).toBe('a%2Ab%27c%21.pdf');
  });
});
