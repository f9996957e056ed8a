import { ALL_CATALOGUES, fill, LOCALES, negotiateLocale, placeholders, toLocale, translate } from './index';

describe('message catalogues', () => {
  const entries = Object.entries(ALL_CATALOGUES).flatMap(([area, catalogue]) => Object.entries(catalogue).map(([key, message]) => ({ area, key, message })));

  it.each(entries.map((e) => [`${e.area}:${e.key}`, e] as const))('%s has both languages with the same placeholders', (_name, { message }) => {
    for (const locale of LOCALES) expect(message[locale]).toBeTruthy();
    if (typeof message.id === 'string' && typeof message.en === 'string') {
      expect(placeholders(message.en)).toEqual(placeholders(message.id));
      // One language at a time: no "(in English)" glosses inside the Indonesian text.
      expect(message.id).not.toMatch(/\((?:[A-Za-z]+ ){1,}[A-Za-z]+\)$/);
    } else {
      expect(typeof message.id).toBe('function');
      expect(typeof message.en).toBe('function');
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fill('Laporan {id} diterima', { id: 'ABC' })).toBe('Laporan ABC diterima');
    expect(fill('Laporan {id}', {})).toBe('Laporan {id}');
    expect(translate(ALL_CATALOGUES.common, 'language.name', 'en')).toBe('English');
  });
});

describe('negotiateLocale', () => {
  it.each([
    [undefined, undefined, 'id'],
    ['en-US,en;q=0.9', undefined, 'en'],
    ['id-ID,id;q=0.9,en;q=0.8', undefined, 'id'],
    ['fr-FR,en;q=0.5', undefined, 'en'],
    ['fr-FR,de;q=0.5', undefined, 'id'],
    ['en;q=0.2,id;q=0.8', undefined, 'id'],
    ['ms-MY', undefined, 'id'],
    ['en', 'id', 'id'],
    ['id', 'en', 'en'],
    ['id', 'xx', 'id'],
    ['en;q=0', undefined, 'id'],
    ['*', undefined, 'id'],
  ])('Accept-Language %p, explicit %p → %s', (header, explicit, expected) => {
    expect(negotiateLocale(header, explicit)).toBe(expected);
  });

  it.each([['id', 'id'], ['en', 'en'], ['en-GB', 'en'], ['EN', 'en'], ['', 'id'], [undefined, 'id'], ['xx', 'id']])('toLocale(%p) = %s', (value, expected) => {
    expect(toLocale(value)).toBe(expected);
  });
});
