import { extractRaw } from './features';
import { DEFAULT_FEATURE_OPTIONS } from './features';
import { tokenizeStandard } from './normalize';

describe('informal spellings are one feature with the standard word', () => {
  it.each([
    ['jln rusak gk dibenerin', ['jalan', 'rusak', 'tidak', 'diperbaiki']],
    ['sampah numpuk udh seminggu', ['sampah', 'menumpuk', 'sudah', 'seminggu']],
    ['got mampet dkt rmh', ['got', 'tersumbat', 'dekat', 'rumah']],
    ['pemkot blm tanggap', ['pemerintah', 'kota', 'belum', 'tanggap']],
    ['Jalan rusak tidak diperbaiki', ['jalan', 'rusak', 'tidak', 'diperbaiki']],
  ])('%s → %j', (text, tokens) => expect(tokenizeStandard(text)).toEqual(tokens));

  it('is on for new models and off for model files written before the option existed', () => {
    expect(DEFAULT_FEATURE_OPTIONS.slang).toBe(true);
    const [on] = extractRaw('jln bolong', undefined, DEFAULT_FEATURE_OPTIONS);
    const [off] = extractRaw('jln bolong', undefined, { ...DEFAULT_FEATURE_OPTIONS, slang: false });
    expect([...on.keys()]).toEqual(['jalan', 'berlubang', 'jalan berlubang']);
    expect([...off.keys()]).toEqual(['jln', 'bolong', 'jln bolong']);
  });
});
