import type { SubmissionTypeDecision, SubmissionType } from '@lapor/contracts';
import { tokenize } from './text';

/**
 * Submission type as SP4N-LAPOR! classifies it (Pengaduan / Permintaan Informasi / Aspirasi), proposed from
 * keyword cues; officers correct it with the `classify` action. Why keyword rules and not a model: there is
 * no labelled set of submission types (the Surabaya data has none), the three types are signalled by a
 * small, stable vocabulary ("bagaimana cara…", "mohon informasi…", "usul…", "saran…"), and every decision
 * must be explainable to an officer. Definitions: Permenpan RB 62/2018 (pedoman SP4N-LAPOR!) — pengaduan is
 * a report of a problem with a public service, permintaan informasi a request for public information
 * (UU 14/2008 KIP), aspirasi a suggestion or wish for a service that is not (yet) a failure.
 *
 * A cue is a phrase on normalised tokens (see `text.ts`); each carries a weight. The type with the highest
 * score wins; complaint cues count against the other two because a question inside a complaint ("kapan
 * jalan ini diperbaiki?") is still a complaint. With no cue at all the answer is a complaint at low
 * confidence, as that is what most submissions are.
 */
type Cue = [phrase: string, weight: number];

const INFORMATION: Cue[] = [
  ['mohon informasi', 2], ['minta informasi', 2], ['mohon info', 2], ['minta info', 2], ['info dong', 2], ['informasinya', 1],
  ['bagaimana cara', 2], ['gimana cara', 2], ['bagaimana caranya', 2], ['gimana caranya', 2], ['bagaimana prosedur', 2],
  ['prosedurnya', 1.5], ['apa saja syarat', 2], ['apa syarat', 2], ['syaratnya apa', 2], ['persyaratannya', 1.5], ['persyaratan', 1],
  ['ingin bertanya', 2], ['ingin menanyakan', 2], ['mau tanya', 2], ['mau nanya', 2], ['numpang tanya', 2], ['izin bertanya', 2],
  ['ijin bertanya', 2], ['bertanya', 1], ['menanyakan', 1], ['mohon penjelasan', 1.5], ['mohon dijelaskan', 1.5],
  ['berapa biaya', 1.5], ['berapa lama', 1], ['apakah bisa', 1], ['apakah boleh', 1], ['bisakah', 1], ['dimana saya bisa', 1.5],
  ['di mana saya bisa', 1.5], ['kemana saya harus', 1.5], ['ke mana saya harus', 1.5], ['jadwal', 0.5], ['kapan dibuka', 1.5],
  ['how do i', 2], ['how can i', 2], ['how to', 1.5], ['where can i', 2], ['what are the requirements', 2], ['i would like to ask', 2],
  ['could you tell me', 2], ['is it possible', 1], ['information about', 1.5], ['requirements', 1],
];

const ASPIRATION: Cue[] = [
  ['usul', 2], ['usulan', 2], ['mengusulkan', 2], ['usulkan', 2], ['saran', 2], ['menyarankan', 2], ['sarankan', 2], ['aspirasi', 2],
  ['alangkah baiknya', 2], ['sebaiknya', 1.5], ['ada baiknya', 1.5], ['akan lebih baik', 1.5], ['lebih baik jika', 1.5],
  ['berharap agar', 1], ['harapan kami', 1], ['mohon dibangun', 1.5], ['mohon dibuatkan', 1.5], ['mohon diadakan', 1.5],
  ['perlu dibangun', 1.5], ['perlu diadakan', 1.5], ['bagaimana kalau', 1.5], ['gimana kalau', 1.5], ['semoga ke depan', 1],
  ['ke depannya', 0.5], ['ide', 1], ['gagasan', 2], ['masukan', 1.5], ['apresiasi', 1],
  ['suggest', 2], ['suggestion', 2], ['propose', 2], ['proposal', 1], ['would be great', 2], ['it would be nice', 2], ['please consider', 1.5],
];

const COMPLAINT: Cue[] = [
  ['rusak', 1.5], ['berlubang', 1.5], ['mati', 1], ['padam', 1], ['macet', 1], ['bocor', 1], ['banjir', 1], ['menumpuk', 1],
  ['tidak berfungsi', 1.5], ['tidak jalan', 1], ['tidak ada tanggapan', 1.5], ['tidak ditanggapi', 1.5], ['belum ditanggapi', 1.5],
  ['belum diperbaiki', 1.5], ['tidak diperbaiki', 1.5], ['belum cair', 1.5], ['belum keluar', 1], ['belum jadi', 1], ['belum terbit', 1],
  ['tidak keluar', 1], ['tidak cair', 1.5], ['tidak sesuai', 1], ['lambat', 1], ['lama sekali', 1], ['berbulan bulan', 1],
  ['dipersulit', 2], ['pungli', 2], ['pungutan liar', 2], ['diminta bayar', 2], ['dimintai uang', 2], ['uang pelicin', 2], ['calo', 1.5],
  ['kecewa', 1.5], ['mengeluh', 1.5], ['keluhan', 1.5], ['mengadu', 1.5], ['pengaduan', 1], ['melaporkan', 1], ['komplain', 1.5],
  ['ditolak', 1], ['dibentak', 1.5], ['kasar', 1], ['tidak ramah', 1.5], ['diabaikan', 1.5], ['terlantar', 1], ['bau', 1], ['kotor', 1],
  ['penipuan', 1.5], ['ditipu', 1.5], ['hilang', 1], ['salah', 0.5], ['gagal', 1], ['error', 1], ['tolong ditindak', 2], ['mohon ditindak', 2],
  ['mohon diperbaiki', 1.5], ['segera diperbaiki', 1.5], ['mohon ditindaklanjuti', 1], ['tidak layak', 1],
  ['broken', 1.5], ['complain', 1.5], ['complaint', 1.5], ['still not', 1], ['no response', 1.5], ['was charged', 1.5], ['bribe', 2], ['delayed', 1],
];

type Compiled = { words: string[]; weight: number; phrase: string };
const compile = (cues: Cue[]): Compiled[] => cues.map(([phrase, weight]) => ({ phrase, weight, words: tokenize(phrase) }));
const TABLE: [SubmissionType, Compiled[]][] = [
  ['complaint', compile(COMPLAINT)],
  ['information_request', compile(INFORMATION)],
  ['aspiration', compile(ASPIRATION)],
];

function contains(tokens: string[], words: string[]): boolean {
  outer: for (let i = 0; i + words.length <= tokens.length; i++) {
    for (let k = 0; k < words.length; k++) if (tokens[i + k] !== words[k]) continue outer;
    return true;
  }
  return false;
}

/** The proposed submission type, its confidence in [0, 1] and the cues that decided it. */
export function classifySubmissionType(text: string): SubmissionTypeDecision {
  const tokens = tokenize(text);
  const scores = new Map<SubmissionType, { score: number; cues: string[] }>();
  for (const [type, cues] of TABLE) {
    const hit = cues.filter((c) => contains(tokens, c.words));
    scores.set(type, { score: hit.reduce((a, c) => a + c.weight, 0), cues: hit.map((c) => c.phrase) });
  }
  // A question mark is weak evidence of a request for information.
  if (/\?/.test(text)) scores.get('information_request')!.score += 0.5;
  const ranked = [...scores.entries()].sort((a, b) => b[1].score - a[1].score);
  const [bestType, best] = ranked[0]!;
  const second = ranked[1]![1].score;
  const complaint = scores.get('complaint')!;
  // Nothing but a question mark or nothing at all, or a tie with the complaint: a complaint (the common case).
  if (best.score < 1 || (bestType !== 'complaint' && best.score <= complaint.score)) {
    const confidence = complaint.score > 0 ? Math.min(0.95, 0.6 + 0.1 * complaint.score) : 0.5;
    return { type: 'complaint', confidence: round(confidence), cues: complaint.cues };
  }
  // Margin over the runner-up, squashed into (0.5, 0.95].
  const margin = best.score - second;
  const confidence = Math.min(0.95, 0.5 + (0.45 * margin) / (margin + 1.5));
  return { type: bestType, confidence: round(Math.max(0.5, confidence)), cues: best.cues };
}

const round = (x: number) => Math.round(x * 100) / 100;
