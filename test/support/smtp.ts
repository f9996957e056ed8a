import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  mail: ParsedMail;
  rcptTo: string[];
}

/** A real SMTP server (npm smtp-server) in the test process; mailparser reads what arrives. */
export async function startSmtpServer(
  options: {
    /** Decide per recipient: undefined accepts; a code and message rejects RCPT TO (5xx permanent, 4xx temporary). */
    rcptTo?: (address: string) => { code: number; message: string } | undefined;
    /** Awaited after a message is stored in `inbox` and before the server answers 250 to its DATA (to kill the sending process in between). */
    onMessage?: (received: ReceivedMail) => void | Promise<void>;
  } = {},
): Promise<{ url: string; inbox: ReceivedMail[]; stop(): Promise<void> }> {
  const inbox: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const reject = options.rcptTo?.(address.address);
      if (!reject) return callback();
      callback(Object.assign(new Error(reject.message), { responseCode: reject.code }));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const received = { mail, rcptTo: session.envelope.rcptTo.map((r) => r.address) };
          inbox.push(received);
          await options.onMessage?.(received);
        })
        .then(
          () => callback(),
          (error) => callback(error),
        );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    url: `smtp://127.0.0.1:${port}`,
    inbox,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
