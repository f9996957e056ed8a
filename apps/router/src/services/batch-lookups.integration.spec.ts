import { INBOUND_CHANNEL_IDS } from '@lapor/contracts';
import { RouterHarness } from '../../../../test/support/router-harness';
import { LATEST_MESSAGE_OF_SENDERS } from './complaint-batch-registration.service';

/**
 * The batch path's look-ups must cost per message of the batch, not per complaint ever
 * stored: each reaches `complaints` through an index on the sender, never by reading the
 * table. Checked on the plan PostgreSQL makes for 20,000 complaints.
 */
describe('batch registration look-ups use the sender index', () => {
  const router = new RouterHarness();
  beforeAll(async () => {
    await router.start();
    // Enough complaints (20,000, a fifth by SMS) that reading them all is a choice the planner weighs.
    await router.sql(`INSERT INTO complaints (tracking_id, channel, sender_id, text, status, received_at)
      SELECT 'P' || g, CASE WHEN g % 5 = 0 THEN 'sms' ELSE 'web' END, '+62815' || g, 'teks', 'assigned', now() FROM generate_series(1, 20000) g`);
    await router.sql(`INSERT INTO complaint_messages (id, tracking_id, channel, channel_message_id, text, received_at, event_id)
      SELECT gen_random_uuid(), 'P' || g, CASE WHEN g % 5 = 0 THEN 'sms' ELSE 'web' END, 'M' || g, 'teks', now(), gen_random_uuid() FROM generate_series(1, 20000) g`);
    await router.sql('ANALYZE complaints, complaint_messages');
  }, 60_000);
  afterAll(() => router.stop());

  type PlanNode = { 'Relation Name'?: string; 'Index Cond'?: string; 'Node Type': string; Plans?: PlanNode[] };
  const scansOf = (node: PlanNode): PlanNode[] => [...(node['Relation Name'] ? [node] : []), ...(node.Plans ?? []).flatMap(scansOf)];
  const plan = async (sql: string, params: unknown[]): Promise<PlanNode> => {
    const [row] = await router.sql(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    return (row['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
  };
  /** A scan that reads a whole table: sequential, or through an index without a condition. */
  const wholeTable = (scan: PlanNode) => ['complaints', 'complaint_messages'].includes(scan['Relation Name']!) && !scan['Index Cond'];

  it('finds the latest message of each sender through ix_complaints_sender', async () => {
    const scans = scansOf(await plan(LATEST_MESSAGE_OF_SENDERS, [['sms', 'telegram'], ['+6281510', '4242'], INBOUND_CHANNEL_IDS]));
    expect(scans.find((s) => s['Relation Name'] === 'complaints')?.['Index Cond']).toMatch(/sender_id/);
    expect(scans.filter(wholeTable)).toEqual([]);
  });

  it('(the form it replaced read every complaint)', async () => {
    const before = `SELECT m.channel, c.sender_id, max(m.received_at) AS latest
         FROM complaint_messages m JOIN complaints c ON c.tracking_id = m.tracking_id
        WHERE (m.channel, c.sender_id) IN (SELECT * FROM unnest($1::varchar[], $2::varchar[]))
        GROUP BY m.channel, c.sender_id`;
    expect(scansOf(await plan(before, [['sms'], ['+6281510']])).filter(wholeTable).length).toBeGreaterThan(0);
  });
});
