import { existsSync } from 'node:fs';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { ComplaintInboundPayload, RoutingDecision } from '@lapor/contracts';
import { BodyRouter, TRIAGE_NAME, UnitModelRegistry } from '@lapor/routing';
import { APP_CONFIG, AppConfig, confidenceBand, LaporMetrics, METRICS } from '@lapor/runtime';

/**
 * Both routing steps for one complaint: level 1 picks the body (libs/routing/level1),
 * level 2 the unit inside it when that body has a trained model in ROUTING_MODELS_DIR.
 */
@Injectable()
export class BodyRoutingService implements OnModuleInit {
  private readonly log = new Logger(BodyRoutingService.name);
  private bodies!: BodyRouter;
  private units?: UnitModelRegistry;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS) private readonly metrics: LaporMetrics,
  ) {}

  async onModuleInit(): Promise<void> {
    const env = this.config.env;
    this.bodies = await BodyRouter.load({
      edition: env.ROUTING_EDITION,
      triageThreshold: env.ROUTING_TRIAGE_THRESHOLD,
      connectedBodies: env.ROUTING_CONNECTED_BODIES ? env.ROUTING_CONNECTED_BODIES.split(',').map((c) => c.trim()) : null,
      rulesFile: env.ROUTING_RULES_FILE,
    });
    if (existsSync(env.ROUTING_MODELS_DIR)) {
      this.units = UnitModelRegistry.load(env.ROUTING_MODELS_DIR);
      this.log.log(`unit models for: ${this.units.bodies().join(', ') || '(none)'}`);
    }
  }

  /** The body behind a region code or agency slug, in the configured edition. */
  describe(code: string) {
    return this.bodies.describe(code);
  }

  decide(p: Pick<ComplaintInboundPayload, 'text' | 'location'>): RoutingDecision {
    return this.counted(this.withUnit(p.text, this.bodies.route({ text: p.text, regionCode: p.location?.regionCode, point: p.location?.point })));
  }

  /**
   * Routing again after bodies said "not ours" (`return`): the best body that has not
   * returned it, if routing is confident enough about it (its first choice, or the best
   * remaining alternative above the triage threshold), else the national triage queue.
   * Never one of `excluded`, so a complaint cannot bounce between two bodies.
   */
  decideExcluding(p: Pick<ComplaintInboundPayload, 'text' | 'location'>, excluded: readonly string[]): RoutingDecision {
    return this.counted(this.routeExcluding(p, excluded));
  }

  private routeExcluding(p: Pick<ComplaintInboundPayload, 'text' | 'location'>, excluded: readonly string[]): RoutingDecision {
    const first = this.bodies.route({ text: p.text, regionCode: p.location?.regionCode, point: p.location?.point });
    const names = excluded.map((code) => this.describe(code)?.name ?? code).join(', ');
    const note = (detail: string) => ({ type: 'note' as const, detail });
    const alternatives = first.alternatives.filter((a) => !excluded.includes(a.code));
    if (first.kind !== 'triage' && !excluded.includes(first.code)) {
      return this.withUnit(p.text, { ...first, alternatives, evidence: [...first.evidence, note(`dikembalikan oleh ${names}; pilihan pertama routing tetap ${first.name}`)] });
    }
    const next = alternatives.find((a) => a.kind !== 'triage' && a.code !== first.code && a.confidence >= this.bodies.triageThreshold && this.describe(a.code));
    if (next) {
      return this.withUnit(p.text, {
        kind: next.kind,
        code: next.code,
        name: next.name,
        confidence: next.confidence,
        evidence: [...first.evidence, note(`dikembalikan oleh ${names}: dialihkan ke alternatif berikutnya ${next.name} (keyakinan ${next.confidence})`)],
        alternatives: alternatives.filter((a) => a !== next),
        ...(first.place && first.kind === next.kind && first.code === next.code ? { place: first.place } : {}),
        ...(first.edition ? { edition: first.edition } : {}),
        ...(first.submissionType ? { submissionType: first.submissionType } : {}),
      });
    }
    return {
      kind: 'triage',
      code: '',
      name: TRIAGE_NAME,
      confidence: first.confidence,
      evidence: [...first.evidence, note(`dikembalikan oleh ${names}; tidak ada instansi lain yang cukup meyakinkan: ke antrian triase nasional`)],
      alternatives: alternatives.filter((a) => a.kind !== 'triage'),
      ...(first.edition ? { edition: first.edition } : {}),
      ...(first.submissionType ? { submissionType: first.submissionType } : {}),
    };
  }

  /** Level 2 on a level-1 decision: the unit, where the body has a model. */
  /** Every decision made, by kind and confidence band (lapor_routing_decisions_total). */
  private counted(decision: RoutingDecision): RoutingDecision {
    this.metrics.routingDecisions.inc({ kind: decision.kind, confidence_band: confidenceBand(decision.confidence) });
    return decision;
  }

  private withUnit(text: string, decision: RoutingDecision): RoutingDecision {
    const model = decision.kind === 'triage' ? undefined : this.units?.forBody(decision.code);
    if (!model) return decision;
    // Models are trained with --location-columns kecamatan,kelurahan (see README), so those are the keys.
    const location: Record<string, string> = {};
    if (decision.place?.districtName) location.kecamatan = decision.place.districtName;
    if (decision.place?.villageName) location.kelurahan = decision.place.villageName;
    const unit = model.predict(text, location);
    return {
      ...decision,
      unit: { unit: unit.unit, confidence: unit.confidence, needsReview: unit.needsReview, alternatives: unit.alternatives, model: `${decision.code}:${model.modelId}` },
    };
  }
}
