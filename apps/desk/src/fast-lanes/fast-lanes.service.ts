import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DeadlineStage, FastLaneDeadline, FastLaneInput, FastLaneView } from '@lapor/contracts';
import { DataSource } from 'typeorm';
import { auditActorOf, Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { BodyDirectory } from '../bodies/body-directory';
import { Clock, DESK_CLOCK } from '../clock';
import { FastLaneEntity } from '../entities';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The fast lanes themselves (docs/fast-lanes.md): declared, changed and switched on or off
 * by the national admin at runtime (the route allows no one else), every change in the audit
 * log with the lane before and after. Matching complaints against them is FastLaneMatching's.
 */
@Injectable()
export class FastLanesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly bodies: BodyDirectory,
    @Inject(DESK_CLOCK) private readonly clock: Clock,
  ) {}

  list(): Promise<FastLaneEntity[]> {
    return this.db.manager.find(FastLaneEntity, { order: { active: 'DESC', createdAt: 'ASC' } });
  }

  /** The lanes that can catch complaints now, oldest first (the first matching lane wins). */
  active(): Promise<FastLaneEntity[]> {
    return this.db.manager.find(FastLaneEntity, { where: { active: true }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async get(id: string): Promise<FastLaneEntity> {
    const lane = UUID.test(id) ? await this.db.manager.findOne(FastLaneEntity, { where: { id } }) : null;
    if (!lane) throw new NotFoundException('Jalur cepat tidak ditemukan');
    return lane;
  }

  async create(principal: Principal, input: FastLaneInput, clientAddress: string | null): Promise<FastLaneEntity> {
    this.checkBodies(input.coordinatingBodies);
    const now = this.clock.now();
    const who = this.who(principal);
    const lane = Object.assign(new FastLaneEntity(), { id: randomUUID(), ...this.fields(input), version: 1, createdAt: now, createdBy: who, updatedAt: now, updatedBy: who });
    await this.db.transaction(async (tx) => {
      if (await tx.findOne(FastLaneEntity, { where: { slug: lane.slug } })) throw new ConflictException(`Jalur cepat "${lane.slug}" sudah ada`);
      await tx.insert(FastLaneEntity, lane);
      await this.audit.record({ actor: auditActorOf(principal), action: 'fast-lane.create', clientAddress, detail: { lane: lane.id, slug: lane.slug, version: 1, after: this.auditView(lane) } }, tx);
    });
    return lane;
  }

  /** Replaces the lane (the whole declaration; `active` switches it); complaints already in it stay in it. */
  async update(principal: Principal, id: string, input: FastLaneInput, clientAddress: string | null): Promise<FastLaneEntity> {
    this.checkBodies(input.coordinatingBodies);
    return this.db.transaction(async (tx) => {
      const lane = UUID.test(id) ? await tx.createQueryBuilder(FastLaneEntity, 'l').setLock('pessimistic_write').where('l.id = :id', { id }).getOne() : null;
      if (!lane) throw new NotFoundException('Jalur cepat tidak ditemukan');
      if (input.slug !== lane.slug && (await tx.findOne(FastLaneEntity, { where: { slug: input.slug } }))) throw new ConflictException(`Jalur cepat "${input.slug}" sudah ada`);
      const before = this.auditView(lane);
      Object.assign(lane, this.fields(input), { version: lane.version + 1, updatedAt: this.clock.now(), updatedBy: this.who(principal) });
      await tx.save(FastLaneEntity, lane);
      const action = before.active !== lane.active ? (lane.active ? 'fast-lane.activate' : 'fast-lane.deactivate') : 'fast-lane.update';
      await this.audit.record({ actor: auditActorOf(principal), action, clientAddress, detail: { lane: lane.id, slug: lane.slug, version: lane.version, before, after: this.auditView(lane) } }, tx);
      return lane;
    });
  }

  /** Switches a lane on or off (the console's button): the same audited update with only `active` changed. */
  async setActive(principal: Principal, id: string, active: boolean, clientAddress: string | null): Promise<FastLaneEntity> {
    const lane = await this.get(id);
    return this.update(principal, id, { ...this.inputOf(lane), active }, clientAddress);
  }

  /**
   * The seam for the deadline scheduler (issue 10, deadlines): the lane's deadline for a stage,
   * replacing the policy's for stages that start once the complaint is in the lane (desk
   * read model `fast_lane_id`, `fast_lane_at`); `null` when the lane does not shorten that stage.
   */
  async laneDeadlineOverride(laneId: string, stage: DeadlineStage): Promise<FastLaneDeadline | null> {
    return (await this.laneDeadlineOverrides(laneId))[stage] ?? null;
  }

  /** All of a lane's deadline overrides by stage (empty for an unknown lane). */
  async laneDeadlineOverrides(laneId: string): Promise<Partial<Record<DeadlineStage, FastLaneDeadline>>> {
    const lane = UUID.test(laneId) ? await this.db.manager.findOne(FastLaneEntity, { where: { id: laneId } }) : null;
    return lane?.deadlines ?? {};
  }

  view(lane: FastLaneEntity): FastLaneView {
    return {
      id: lane.id,
      slug: lane.slug,
      name: lane.name,
      description: lane.description,
      active: lane.active,
      rules: lane.rules,
      deadlines: lane.deadlines,
      coordinatingBodies: lane.coordinatingBodies.map((code) => ({ code, name: this.bodies.describe(code)?.name ?? code })),
      version: lane.version,
      createdAt: lane.createdAt.toISOString(),
      createdBy: lane.createdBy,
      updatedAt: lane.updatedAt.toISOString(),
      updatedBy: lane.updatedBy,
    };
  }

  inputOf(lane: FastLaneEntity): FastLaneInput {
    return { slug: lane.slug, name: lane.name, ...(lane.description ? { description: lane.description } : {}), active: lane.active, rules: lane.rules, deadlines: lane.deadlines, coordinatingBodies: lane.coordinatingBodies };
  }

  private fields(input: FastLaneInput): Pick<FastLaneEntity, 'slug' | 'name' | 'description' | 'active' | 'rules' | 'deadlines' | 'coordinatingBodies'> {
    return {
      slug: input.slug,
      name: input.name,
      description: input.description ?? null,
      active: input.active,
      rules: input.rules,
      deadlines: input.deadlines,
      coordinatingBodies: [...new Set(input.coordinatingBodies.map((c) => c.trim()))],
    };
  }

  /** A copy must reach a body the desk knows (a typo would silently send copies nowhere). */
  private checkBodies(codes: string[]): void {
    const unknown = codes.filter((c) => !this.bodies.describe(c));
    if (unknown.length) throw new BadRequestException(`Instansi koordinasi tidak dikenal: ${unknown.join(', ')} (slug instansi seperti bnpb, kemenkes, ksp, atau kode wilayah)`);
  }

  private who(p: Principal): string {
    return p.kind === 'officer' ? p.officer.email : `token:${p.token.id}`;
  }

  private auditView(lane: FastLaneEntity) {
    return { name: lane.name, active: lane.active, rules: lane.rules, deadlines: lane.deadlines, coordinatingBodies: lane.coordinatingBodies };
  }
}
