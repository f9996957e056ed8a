/**
 * Indonesia's three time zones, none with daylight saving: WIB (UTC+7, Sumatra, Java,
 * West and Central Kalimantan), WITA (UTC+8, Bali, Nusa Tenggara, South/East/North
 * Kalimantan, Sulawesi) and WIT (UTC+9, Maluku and Papua). Times shown to a citizen are
 * in the zone of the body handling their complaint; national agencies and the triage
 * queue work from Jakarta (WIB).
 */
export const TIME_ZONES = {
  WIB: { name: 'Asia/Jakarta', abbreviation: 'WIB', offsetHours: 7 },
  WITA: { name: 'Asia/Makassar', abbreviation: 'WITA', offsetHours: 8 },
  WIT: { name: 'Asia/Jayapura', abbreviation: 'WIT', offsetHours: 9 },
} as const;
export type IndonesianTimeZone = (typeof TIME_ZONES)[keyof typeof TIME_ZONES];

/** Province codes (both map editions) east of the WIB line. */
const WITA_PROVINCES = new Set(['51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76']);
const WIT_PROVINCES = new Set(['81', '82', '91', '92', '93', '94', '95', '96', '97']);

/** The zone of a Kemendagri region code (its province prefix); anything else (agency slug, none) is WIB. */
export function timeZoneOfRegion(code: string | null | undefined): IndonesianTimeZone {
  const province = /^(\d{2})(?:\.|$)/.exec(code ?? '')?.[1];
  if (province && WIT_PROVINCES.has(province)) return TIME_ZONES.WIT;
  if (province && WITA_PROVINCES.has(province)) return TIME_ZONES.WITA;
  return TIME_ZONES.WIB;
}

/** ISO 8601 with the zone's offset, e.g. 2026-03-02T09:15:00.000+08:00 (the same instant as the UTC form). */
export function toZonedIso(at: Date | string, zone: IndonesianTimeZone): string {
  const local = new Date(new Date(at).getTime() + zone.offsetHours * 3_600_000);
  return `${local.toISOString().slice(0, -1)}+${String(zone.offsetHours).padStart(2, '0')}:00`;
}
