import { ArchiveReason, ComplaintStatus, ComplaintStatusChangedPayload, StatusReplyPayload, trackingIdFor } from '@lapor/contracts';
import { renderCommandReply, renderNotice, renderStatusReply } from '../../messages/replies.message';
import { isSilent, renderOmbudsmanOffer, renderStatus } from '../../messages/status.message';
import { smsSegments } from './sms-segments';

const ID = trackingIdFor('sms', 'SM-texts');
const LONG = 'Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Kepulauan Siau Tagulandang Biaro';

function status(s: ComplaintStatus, previous: ComplaintStatus | null, name = LONG): ComplaintStatusChangedPayload {
  return {
    trackingId: ID, status: s, previousStatus: previous, sequence: 2, changedAt: new Date().toISOString(), channel: 'sms', senderId: '+628', replyTo: [], locale: 'id',
    assignment: s === 'triage' ? { kind: 'triage', code: '', name: 'Triase nasional' } : { kind: 'kabupaten', code: '71.09', name, unit: 'Bidang Bina Marga dan Jembatan' },
  };
}

/** Every SMS we send fits one GSM-7 segment and carries the tracking id where there is one. */
describe('SMS texts', () => {
  it('should count GSM-7 and UCS-2 segments as carriers do', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSegments('[]'.repeat(40))).toMatchObject({ units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(70) + '').segments).toBe(1);
    expect(smsSegments('😀' + 'a'.repeat(68))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments('ꦥ'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(smsSegments('ꦥ'.repeat(135)).segments).toBe(3);
  });

  it('should fit status messages into one GSM-7 segment with the tracking id, even for long body names', () => {
    const cases = [status('assigned', 'received'), status('triage', 'received'), status('in_progress', 'assigned'), status('responded', 'in_progress'), status('closed', 'responded'), status('assigned', 'received', 'Kota Bandung'), status('assigned', 'received', 'Pemerintah Kabupaten Gunung Mas — Dinas Kesehatan “Puskesmas” Kuala Kurun…')];
    for (const p of cases) {
      const { body } = renderStatus(p, 'sms');
      expect(body).toContain(ID);
      expect(smsSegments(body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    }
  });

  // Every status a reporter hears about, with the longest words an official may write (emoji and all).
  const LONG_TEXT = 'Terima kasih atas laporan Anda 🙏. Tim Bidang Bina Marga sudah meninjau lokasi pada hari Senin dan menjadwalkan penambalan jalan sepanjang 200 meter pada minggu depan; mohon bersabar. ꦥꦼꦢꦺꦴꦩꦤ꧀';
  const everyStatus: [string, ComplaintStatusChangedPayload][] = [
    ['ack, assigned', status('assigned', 'received')],
    ['ack, triage', status('triage', 'received')],
    ['verified by the admin', status('assigned', 'triage')],
    ['re-routed after a return', status('assigned', 'returned')],
    ['back to triage after a return', status('triage', 'returned')],
    ['forwarded', status('assigned', 'accepted')],
    ['accepted', status('accepted', 'assigned')],
    ['disposed', status('disposed', 'accepted')],
    ['in progress', status('in_progress', 'disposed')],
    ['the answer arrived', { ...status('in_progress', 'waiting_info'), actor: { kind: 'reporter' } }],
    ['question', { ...status('waiting_info', 'in_progress'), reporterMessage: LONG_TEXT }],
    ['response', { ...status('responded', 'in_progress'), reporterMessage: LONG_TEXT }],
    ['reopened', { ...status('reopened', 'responded'), actor: { kind: 'reporter' } }],
    ['closed by the reporter', { ...status('closed', 'responded'), closedBy: 'reporter' }],
    ['closed by the system', { ...status('closed', 'responded'), closedBy: 'system' }],
    ['closed by an admin', { ...status('closed', 'in_progress'), closedBy: 'admin' }],
    ...ArchiveReason.options.map((reason): [string, ComplaintStatusChangedPayload] => [`archived: ${reason}`, { ...status('archived', 'assigned'), archiveReason: reason, closedBy: 'admin' }]),
    ['merged', { ...status('merged', 'accepted'), mergedInto: trackingIdFor('sms', 'other') }],
  ];

  it.each(everyStatus)('should fit the %s SMS into one GSM-7 segment with the tracking id', (_name, p) => {
    const { body } = renderStatus(p, 'sms');
    expect({ body, ...smsSegments(body) }).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(body).toContain(ID);
  });

  it('should cover every status a reporter is told about', () => {
    const told = new Set(everyStatus.map(([, p]) => p.status));
    expect(ComplaintStatus.options.filter((s) => !told.has(s))).toEqual(['received', 'returned']);
  });

  it('should say how to answer a question, how to read and object to a response, and keep their start', () => {
    const question = renderStatus({ ...status('waiting_info', 'in_progress'), reporterMessage: 'Di RT berapa tepatnya lubang itu?' }, 'sms').body;
    expect(question).toContain('Di RT berapa tepatnya lubang itu?');
    expect(question).toContain('Balas SMS ini');
    const response = renderStatus({ ...status('responded', 'in_progress'), reporterMessage: LONG_TEXT }, 'sms').body;
    expect(response).toContain('Terima kasih atas laporan Anda');
    expect(response).toContain(`CEK ${ID}`);
    expect(response).toContain(`KEBERATAN ${ID}`);
    const merged = renderStatus({ ...status('merged', 'accepted'), mergedInto: trackingIdFor('sms', 'other') }, 'sms').body;
    expect(merged).toContain(`CEK ${trackingIdFor('sms', 'other')}`);
  });

  it('should fit replies and notices into one GSM-7 segment', () => {
    const reply = (result: StatusReplyPayload['result'], query = ID): StatusReplyPayload => ({ channel: 'sms', senderId: '+628', inReplyTo: 'SM1', locale: 'id', query, command: 'status', result });
    const bodies = [
      ...(['help', 'start', 'report', 'opt_out', 'opt_in'] as const).map((c) => renderCommandReply(c, 'sms').body),
      renderStatusReply(reply({ outcome: 'found', trackingId: ID, status: 'in_progress', assignment: { kind: 'kabupaten', code: '71.09', name: LONG, unit: 'Bidang Bina Marga' }, updatedAt: new Date().toISOString() }), 'sms').body,
      renderStatusReply(reply({ outcome: 'mistyped' }, 'X'.repeat(200)), 'sms').body,
      renderStatusReply(reply({ outcome: 'not_found' }, 'Y'.repeat(200)), 'sms').body,
      renderStatusReply(reply({ outcome: 'missing' }, ''), 'sms').body,
      renderStatusReply(reply({ outcome: 'found', trackingId: ID, status: 'responded', assignment: { kind: 'kabupaten', code: '71.09', name: LONG, unit: null }, updatedAt: new Date().toISOString(), response: LONG_TEXT }), 'sms').body,
      renderStatusReply(reply({ outcome: 'found', trackingId: ID, status: 'waiting_info', assignment: null, updatedAt: new Date().toISOString(), latest: { status: 'waiting_info', label: 'x', at: new Date().toISOString(), message: LONG_TEXT } }), 'sms').body,
      renderStatusReply(reply({ outcome: 'found', trackingId: ID, status: 'archived', assignment: null, updatedAt: new Date().toISOString(), latest: { status: 'archived', label: 'x', at: new Date().toISOString(), archiveReason: 'sara' } }), 'sms').body,
      ...(['object', 'confirm', 'ombudsman'] as const).flatMap((command) => [
        renderStatusReply({ ...reply({ outcome: 'not_allowed', trackingId: ID, status: 'waiting_info' }), command }, 'sms').body,
        renderStatusReply({ ...reply({ outcome: 'not_allowed', trackingId: ID, status: 'closed' }), command }, 'sms').body,
        renderStatusReply({ ...reply({ outcome: 'not_found' }, 'Z'.repeat(200)), command }, 'sms').body,
        renderStatusReply({ ...reply({ outcome: 'missing' }, ''), command }, 'sms').body,
      ]),
      // OMBUDSMAN refused with the router's reason (the longest it gives).
      renderStatusReply({ ...reply({ outcome: 'not_allowed', trackingId: ID, status: 'closed', reason: 'Laporan ditutup tanpa keberatan Anda; penerusan ke Ombudsman RI hanya untuk laporan yang ditutup saat Anda masih keberatan' }), command: 'ombudsman' }, 'sms').body,
      renderNotice({ channel: 'sms', senderId: '+628', inReplyTo: 'SM1', notice: 'body_too_long', onceKey: 'k', limit: 1600, locale: 'id' }, 'sms').body,
      renderNotice({ channel: 'sms', senderId: '+628', inReplyTo: 'SM1', notice: 'rate_limited', onceKey: 'k', trackingId: ID, locale: 'id' }, 'sms').body,
    ];
    for (const body of bodies) expect({ body, ...smsSegments(body) }).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(bodies.at(-1)).toContain(ID);
    expect(bodies[5]).toContain(ID);
  });

  it.each([
    ['an overdue follow-up', { ...status('in_progress', 'in_progress'), escalation: { stage: 'follow-up', dueAt: new Date().toISOString(), escalatedTo: LONG }, ombudsmanOffer: true }, 'belum ditindaklanjuti tepat waktu'],
    ['a close while objecting', { ...status('closed', 'reopened'), closedBy: 'admin', ombudsmanOffer: true }, 'ditutup saat Anda masih keberatan'],
  ] as [string, ComplaintStatusChangedPayload, string][])('should fit the Ombudsman offer after %s into one GSM-7 segment, saying how to answer', (_name, p, why) => {
    const { body } = renderOmbudsmanOffer(p, 'sms');
    expect({ body, ...smsSegments(body) }).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(body).toBe(`Laporan ${ID} ${why}. Balas OMBUDSMAN ${ID} untuk meneruskannya ke Ombudsman RI.`);
  });

  it('should tell the reporter in one segment that it was forwarded, and say nothing about a missed deadline itself', () => {
    const forwarded = renderStatus({ ...status('in_progress', 'in_progress'), event: 'forwarded-ombudsman', actor: { kind: 'reporter' } }, 'sms').body;
    expect({ forwarded, ...smsSegments(forwarded) }).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(forwarded).toContain(ID);
    expect(forwarded).toContain('diteruskan ke Ombudsman RI');
    expect(isSilent({ ...status('in_progress', 'in_progress'), escalation: { stage: 'follow-up', dueAt: new Date().toISOString(), escalatedTo: LONG } })).toBe(true);
    expect(isSilent(status('in_progress', 'disposed'))).toBe(false);
  });
});
