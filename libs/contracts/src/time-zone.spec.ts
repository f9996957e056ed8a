import { timeZoneOfRegion, toZonedIso } from './time-zone';

describe(timeZoneOfRegion.name, () => {
  const cases: [string | null, string][] = [
    ['32.73', 'WIB'], // Kota Bandung
    ['61.71', 'WIB'], // Kota Pontianak (West Kalimantan is WIB)
    ['51.71', 'WITA'], // Kota Denpasar
    ['73.71', 'WITA'], // Kota Makassar
    ['64', 'WITA'], // Kalimantan Timur
    ['81.71', 'WIT'], // Kota Ambon
    ['91.71', 'WIT'], // Kota Jayapura
    ['96', 'WIT'], // Papua Barat Daya (current edition)
    ['kementerian-kesehatan', 'WIB'], // national agencies work from Jakarta
    [null, 'WIB'], // triage
  ];
  it.each(cases)('should put %s in %s', (code, zone) => {
    expect(timeZoneOfRegion(code).abbreviation).toBe(zone);
  });

  it('should write the same instant with the zone offset', () => {
    const at = '2026-03-02T01:15:00.000Z';
    expect(toZonedIso(at, timeZoneOfRegion('73.71'))).toBe('2026-03-02T09:15:00.000+08:00');
    expect(new Date(toZonedIso(at, timeZoneOfRegion('91.71'))).toISOString()).toBe(at);
  });
});
