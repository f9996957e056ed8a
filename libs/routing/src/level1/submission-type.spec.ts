import { RoutingDecision, SubmissionTypeDecision } from '@lapor/contracts';
import { BodyRouter } from './body-router';
import { classifySubmissionType } from './submission-type';

// Hand-written submissions (not real complaints), one per row: text → expected type.
const CASES: [string, SubmissionTypeDecision['type']][] = [
  ['Jalan di depan rumah saya rusak parah dan berlubang sudah 3 bulan, mohon segera diperbaiki', 'complaint'],
  ['Sudah 2 bulan e-KTP saya belum jadi, petugas bilang blangko habis tapi diminta bayar 100 ribu', 'complaint'],
  ['Lampu jalan di gang kami mati sejak minggu lalu', 'complaint'],
  ['Kapan jalan ini diperbaiki? Sudah rusak sejak tahun lalu dan banyak yang jatuh', 'complaint'],
  ['Petugas puskesmas kasar dan tidak ramah kepada pasien lansia', 'complaint'],
  ['My passport renewal has been delayed for two months and there is no response from the office', 'complaint'],
  ['Mohon informasi bagaimana cara mengurus akta kelahiran untuk anak yang lahir di luar negeri?', 'information_request'],
  ['Apa saja syarat membuat paspor baru untuk anak di bawah umur?', 'information_request'],
  ['Izin bertanya, kapan dibuka pendaftaran PPDB SMA negeri tahun ini?', 'information_request'],
  ['Mau tanya min, berapa biaya perpanjang SIM C sekarang?', 'information_request'],
  ['How do I apply for a work permit (KITAS) extension, and where can I submit the documents?', 'information_request'],
  ['Kami mengusulkan agar dibangun taman bermain anak di lahan kosong dekat kantor kelurahan', 'aspiration'],
  ['Saran saya sebaiknya jam layanan Samsat diperpanjang sampai sore agar pekerja bisa datang', 'aspiration'],
  ['Alangkah baiknya jika bus Trans Semarang menambah rute ke kawasan industri', 'aspiration'],
  ['I would suggest adding English signs at the immigration office, it would be great for foreigners', 'aspiration'],
  ['', 'complaint'],
];

describe('classifySubmissionType', () => {
  it.each(CASES)('%s → %s', (text, expected) => {
    const d = classifySubmissionType(text);
    expect(d.type).toBe(expected);
    expect(d.confidence).toBeGreaterThanOrEqual(0.5);
    expect(d.confidence).toBeLessThanOrEqual(0.95);
  });

  it('names the cues that decided a non-default type', () => {
    expect(classifySubmissionType('Mohon informasi persyaratan beasiswa').cues).toEqual(expect.arrayContaining(['mohon informasi', 'persyaratan']));
  });

  it('is less sure when complaint and request cues compete than when only one kind is present', () => {
    const clean = classifySubmissionType('Bagaimana cara mendaftar BPJS Kesehatan mandiri?');
    const mixed = classifySubmissionType('Bagaimana cara mendaftar BPJS Kesehatan mandiri? Sudah ditolak dua kali dan dipersulit');
    expect(clean.type).toBe('information_request');
    expect(mixed.type).toBe('complaint');
    expect(classifySubmissionType('Bagaimana cara mendaftar BPJS Kesehatan mandiri? ditolak').confidence).toBeLessThan(clean.confidence);
  });
});

describe('BodyRouter carries the submission type on every decision', () => {
  let router: BodyRouter;
  beforeAll(async () => {
    router = await BodyRouter.load();
  }, 60_000);

  it.each([
    ['Apa syarat membuat paspor? Terima kasih', 'information_request'],
    ['Usul: tambah halte di Jalan Pemuda Kota Semarang', 'aspiration'],
    ['Tolong, saya bingung', 'complaint'], // triage, still typed
  ] as const)('%s → %s', (text, type) => {
    const d = router.route({ text });
    expect(RoutingDecision.parse(d).submissionType?.type).toBe(type);
  });
});
