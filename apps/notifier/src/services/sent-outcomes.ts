/** One "the vendor accepted it" outcome waiting to be written. */
interface PendingOutcome {
  id: string;
  externalId: string;
  possibleDuplicate: boolean;
  resolve(written: boolean): void;
  reject(error: unknown): void;
}

/**
 * Writes the dispatcher's "sent" outcomes together (issue 12): while one UPDATE is in
 * flight, the outcomes of the sends that finish meanwhile wait and go in the next one, so
 * under load one statement settles many messages, and alone a message waits for nothing.
 * Each caller still learns its own result (false: its lease was lost, nothing written) or
 * the statement's error, and retries on its own as before (DispatcherService.storeOutcome).
 * A recipient's next message is claimable only once this write has committed, so order per
 * recipient is unchanged.
 */
export class SentOutcomes {
  private waiting: PendingOutcome[] = [];
  private writing = false;

  constructor(
    private readonly write: (sent: { id: string; externalId: string; possibleDuplicate: boolean }[]) => Promise<Set<string>>,
    private readonly maxPerWrite = 500,
  ) {}

  add(id: string, externalId: string, possibleDuplicate = false): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ id, externalId, possibleDuplicate, resolve, reject });
      if (!this.writing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length) {
        const batch = this.waiting.splice(0, this.maxPerWrite);
        try {
          const written = await this.write(batch.map(({ id, externalId, possibleDuplicate }) => ({ id, externalId, possibleDuplicate })));
          for (const o of batch) o.resolve(written.has(o.id));
        } catch (error) {
          for (const o of batch) o.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
