import { AddressInfo, connect, createServer } from 'node:net';

/**
 * The unit project's guard (unit-no-network.ts, loaded before this file): PostgreSQL's and
 * Kafka's ports are refused on any host, with an error that says why, and the refusal is
 * recorded so that the file fails in afterAll. Only loopback targets here: if the guard were
 * broken, nothing would leave the machine.
 */
const refused = () => (process as unknown as Record<symbol, { refused: string[] }>)[Symbol.for('lapor.unit-no-network')].refused;

describe('unit project: no Kafka, no PostgreSQL, no network', () => {
  afterEach(() => void refused().splice(0)); // the refusals below are this file's purpose, not a failure

  it.each([
    [5432, /PostgreSQL/],
    [9092, /Kafka/],
    [39092, /Kafka/],
  ])('should refuse a TCP connection to 127.0.0.1:%d, saying what it is', async (port, service) => {
    const socket = connect({ host: '127.0.0.1', port });
    // Connected (the guard let it through) or refused: whichever comes first.
    const error = await new Promise<(Error & { code?: string }) | undefined>((resolve) => {
      socket.once('connect', () => resolve(undefined)).once('error', resolve);
    });
    socket.destroy();
    expect(error?.message).toMatch(service);
    expect(error?.message).toMatch(/move the test to the integration project/);
    expect(error?.code).toBe('ECONNREFUSED');
    expect(refused()).toHaveLength(1);
  });

  it('should refuse pg the same way (the client a unit test would use by mistake)', async () => {
    const { Client } = await import('pg');
    await expect(new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' }).connect()).rejects.toThrow(/PostgreSQL/);
    expect(refused().length).toBeGreaterThan(0);
  });

  it('should let a local stand-in on an ephemeral loopback port through', async () => {
    const server = createServer((s) => s.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port });
        let data = '';
        socket.on('data', (d) => (data += d)).on('end', () => resolve(data)).on('error', reject);
      });
      expect(res).toBe('ok');
      expect(refused()).toEqual([]);
    } finally {
      server.close();
    }
  });
});
