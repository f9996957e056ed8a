import { toExamples } from './data';

describe('toExamples', () => {
  it.each([
    ['text', 'Jalan rusak'],
    ['text,alamat', 'Jalan rusak\nJl. Kenjeran 12'],
    ['judul,text,alamat', 'Jalan rusak\nJl. Kenjeran 12'], // an empty column adds nothing
  ])('reads the text from the column(s) %s', (columns, expected) => {
    const [ex] = toExamples([{ text: 'Jalan rusak', alamat: 'Jl. Kenjeran 12', judul: ' ', unit: 'DSDABM' }], columns, 'unit', []);
    expect(ex).toEqual({ text: expected, label: 'DSDABM' });
  });
});
