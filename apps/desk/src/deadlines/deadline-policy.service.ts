import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DeadlinePolicy, DeadlinePolicyDocument } from '@lapor/contracts';
import { loadDeadlinePolicy } from '@lapor/deadlines';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { DeadlinePolicyVersionEntity } from '../entities';
import { auditActorOf, Principal } from '../access/principal';

export interface PolicyInForce {
  /** 0: the policy file (nobody changed it at runtime yet). */
  version: number;
  policy: DeadlinePolicy;
  changedAt: Date | null;
  changedBy: string | null;
}

/**
 * The deadline policy in force: the highest version a national admin stored at runtime, else
 * the file (libs/deadlines/policy/deadline-policy.yaml or DEADLINE_POLICY_FILE), validated at
 * start so a broken file stops the desk instead of silently using no deadlines. Read from the
 * database on each stage start (replicas agree without a cache to invalidate; one indexed row).
 */
@Injectable()
export class DeadlinePolicyService implements OnModuleInit {
  private readonly log = new Logger(DeadlinePolicyService.name);
  private fromFile!: DeadlinePolicy;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.fromFile = loadDeadlinePolicy();
  }

  /**
   * The policy in force. Inside a transaction, pass its manager: embedded mode's PGlite has one
   * session, so a read through another connection would wait for the transaction forever.
   */
  async current(em: EntityManager = this.db.manager): Promise<PolicyInForce> {
    const [latest] = await em.find(DeadlinePolicyVersionEntity, { order: { version: 'DESC' }, take: 1 });
    if (!latest) return { version: 0, policy: this.fromFile, changedAt: null, changedBy: null };
    // Stored versions were validated when set; parsing again fills defaults added since.
    return { version: latest.version, policy: DeadlinePolicy.parse(latest.policy), changedAt: latest.changedAt, changedBy: latest.changedBy };
  }

  /** A national admin's change: a new version (applies to stages that start from now on), audited with the before/after versions. */
  async set(principal: Principal, policy: DeadlinePolicy, clientAddress: string | null = null): Promise<PolicyInForce> {
    const actor = auditActorOf(principal);
    const changedBy = actor.label ?? actor.id ?? actor.kind;
    return this.db.transaction(async (tx) => {
      // Serialises concurrent changes: the second waits, then writes the next version.
      await tx.query(`LOCK TABLE desk_deadline_policies IN SHARE ROW EXCLUSIVE MODE`);
      const [{ max }] = (await tx.query(`SELECT COALESCE(MAX(version), 0) AS max FROM desk_deadline_policies`)) as { max: number }[];
      const version = Number(max) + 1;
      const changedAt = new Date();
      await tx.insert(DeadlinePolicyVersionEntity, { version, policy, changedAt, changedBy });
      await this.audit.record({ actor, action: 'deadline-policy.update', clientAddress, detail: { from: Number(max), to: version, policy } }, tx);
      this.log.log(`deadline policy version ${version} set by ${changedBy}`);
      return { version, policy, changedAt, changedBy };
    });
  }
}

export function policyDocument(p: PolicyInForce): DeadlinePolicyDocument {
  return { version: p.version, policy: p.policy, changedAt: p.changedAt?.toISOString() ?? null, changedBy: p.changedBy };
}
