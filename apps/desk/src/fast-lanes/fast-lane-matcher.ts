import type { FastLaneRules, RoutingDecision } from '@lapor/contracts';
import type { DeskComplaintEntity } from '../entities';

/** What a lane's rules are checked against: never the reporter's identity. */
export interface ComplaintFacts {
  text: string;
  /** Region codes the complaint is about (the routed region body, the place named, the form's region). */
  regionCodes: string[];
  /** Level-2 labels: the unit routing chose or suggested, the unit it was disposed to. */
  labels: string[];
  /** When the citizen sent it: the lane's date window is about complaints, not about when the desk saw them. */
  receivedAt: Date;
}

const REGION_CODE = /^\d{2}(\.\d{2}){0,3}$/;
const REGION_KINDS = new Set(['province', 'kota', 'kabupaten']);

/**
 * Lowercase, without accents, letters and digits only, single spaces: "Banjir!! di Semarang"
 * and "banjir di semarang" compare equal.
 */
export function normalizeForMatching(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * A keyword (or phrase) matches text containing it, so Indonesian affixes do not hide it
 * ("banjir" catches "kebanjiran" and "banjirnya"); a keyword of three letters or fewer
 * ("dbd") must be a whole word, or it would catch parts of unrelated words.
 */
export function keywordMatches(normalizedText: string, keyword: string): boolean {
  const k = normalizeForMatching(keyword);
  if (!k) return false;
  return k.length <= 3 ? ` ${normalizedText} `.includes(` ${k} `) : normalizedText.includes(k);
}

function inRegion(code: string, prefix: string): boolean {
  return code === prefix || code.startsWith(`${prefix}.`);
}

/** Every given criterion holds (AND); inside one, any entry (OR). */
export function laneMatches(rules: FastLaneRules, facts: ComplaintFacts): boolean {
  if (rules.from && facts.receivedAt < new Date(rules.from)) return false;
  if (rules.until && facts.receivedAt >= new Date(rules.until)) return false;
  if (rules.regions.length && !facts.regionCodes.some((c) => rules.regions.some((r) => inRegion(c, r)))) return false;
  if (rules.keywords.length) {
    const text = normalizeForMatching(facts.text);
    if (!rules.keywords.some((k) => keywordMatches(text, k))) return false;
  }
  if (rules.labels.length) {
    const labels = facts.labels.map(normalizeForMatching);
    if (!rules.labels.some((l) => labels.includes(normalizeForMatching(l)))) return false;
  }
  return true;
}

/** The region codes a routing decision names (the region body, the place inside it, the form's or the text's region). */
export function regionCodesOf(d: RoutingDecision): string[] {
  const codes = [
    d.place?.villageCode,
    d.place?.districtCode,
    REGION_KINDS.has(d.kind) ? d.code : undefined,
    ...d.evidence.filter((e) => e.type === 'form_region' || e.type === 'gps' || e.type === 'place_name').map((e) => e.ref),
  ];
  return [...new Set(codes.filter((c): c is string => !!c && REGION_CODE.test(c)))];
}

/** The facts the desk's read model holds (for re-matching after a re-assignment), plus what the event adds. */
export function factsOfRow(row: DeskComplaintEntity, text?: string): ComplaintFacts {
  const regionCodes = [
    ...(row.bodyCode && row.bodyKind && REGION_KINDS.has(row.bodyKind) ? [row.bodyCode] : []),
    ...(row.routing?.regionCode ? [row.routing.regionCode] : []),
  ];
  const labels = [row.unit, row.routing?.unitSuggestion?.unit].filter((l): l is string => !!l);
  return { text: text ?? row.excerpt ?? '', regionCodes, labels, receivedAt: row.receivedAt ?? row.registeredAt ?? new Date() };
}
