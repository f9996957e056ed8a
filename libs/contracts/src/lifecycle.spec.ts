import { Actor, availableActions, checkTransition, ComplaintActionName, ComplaintStatus, isTerminal, TRANSITIONS } from './lifecycle';

const admin: Actor = { kind: 'officer', officerId: 'a1', role: 'national-admin' };
const liaison: Actor = { kind: 'officer', officerId: 'l1', role: 'liaison', bodyCode: '32.73' };
const officer: Actor = { kind: 'officer', officerId: 'o1', role: 'officer', bodyCode: '32.73', unit: 'Dinas PU' };
const reporter: Actor = { kind: 'reporter' };
const system: Actor = { kind: 'system', reason: 'objection window ended' };
const ALL_STATUSES = ComplaintStatus.options;

describe('complaint lifecycle', () => {
  // [action, actor, from, expected target or false]
  const cases: [ComplaintActionName, Actor, ComplaintStatus, ComplaintStatus | null | 'route' | false][] = [
    ['assign', admin, 'triage', 'assigned'],
    ['assign', liaison, 'triage', false],
    ['assign', admin, 'assigned', 'assigned'],
    ['assign', admin, 'accepted', false],
    ['accept', liaison, 'assigned', 'accepted'],
    ['accept', officer, 'assigned', false],
    ['accept', liaison, 'accepted', false],
    ['return', liaison, 'assigned', 'route'],
    ['return', liaison, 'disposed', false],
    ['dispose', liaison, 'accepted', 'disposed'],
    ['dispose', liaison, 'assigned', false],
    ['start', officer, 'disposed', 'in_progress'],
    ['request-info', officer, 'in_progress', 'waiting_info'],
    ['request-info', officer, 'waiting_info', false],
    ['provide-info', reporter, 'waiting_info', 'in_progress'],
    ['provide-info', officer, 'waiting_info', false],
    ['respond', officer, 'in_progress', 'responded'],
    ['respond', officer, 'waiting_info', false],
    ['object', reporter, 'responded', 'reopened'],
    ['object', reporter, 'closed', false],
    ['respond', liaison, 'reopened', 'responded'],
    ['close', reporter, 'responded', 'closed'],
    ['close', reporter, 'in_progress', false],
    ['close', system, 'responded', 'closed'],
    ['close', system, 'assigned', false],
    ['close', admin, 'assigned', 'closed'],
    ['close', officer, 'responded', false],
    ['archive', admin, 'triage', 'archived'],
    ['archive', admin, 'archived', false],
    ['merge', liaison, 'accepted', 'merged'],
    ['classify', officer, 'in_progress', null],
    ['classify', officer, 'closed', false],
  ];
  it.each(cases)('should decide %s by %o from %s', (action, actor, from, expected) => {
    const check = checkTransition(action, from, actor);
    if (expected === false) {
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.reason).toMatch(/Tindakan|ditutup/);
    } else {
      expect(check).toEqual({ ok: true, to: expected });
    }
  });

  it('should give officers their refusal reasons in Bahasa Indonesia, naming the action and the role', () => {
    expect(checkTransition('accept', 'assigned', officer)).toEqual({ ok: false, reason: 'Tindakan "Terima" tidak boleh dilakukan oleh Petugas unit kerja' });
    expect(checkTransition('respond', 'waiting_info', officer)).toEqual({ ok: false, reason: 'Tindakan "Beri tanggapan (tindak lanjut)" tidak dapat dilakukan pada laporan berstatus "Menunggu kelengkapan informasi dari pelapor"' });
  });

  it('should allow nothing out of a terminal status, except the reporter forwarding a closed complaint to Ombudsman RI (the status stays)', () => {
    for (const from of ALL_STATUSES.filter(isTerminal)) {
      for (const actor of [admin, liaison, officer, reporter, system]) {
        const expected = from === 'closed' && actor === reporter ? ['forward-ombudsman'] : [];
        expect(availableActions(from, actor)).toEqual(expected);
      }
    }
    expect(TRANSITIONS['forward-ombudsman'].to).toBeNull();
  });

  it('should only lead to statuses the lifecycle defines', () => {
    for (const rule of Object.values(TRANSITIONS)) {
      if (typeof rule.to === 'string' && rule.to !== 'route') expect(ALL_STATUSES).toContain(rule.to);
      if (Array.isArray(rule.from)) for (const s of rule.from) expect(ALL_STATUSES).toContain(s);
    }
  });
});
