import { existsSync } from 'node:fs';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { ComplaintInboundPayload, RoutingDecision } from '@lapor/contracts';
import { BodyRouter, UnitModelRegistry } from '@lapor/routing';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';

/**
 * Both routing steps for one complaint: level 1 picks the body (libs/routing/level1),
 * level 2 the unit inside it when that body has a trained model in ROUTING_MODELS_DIR.
 */
@Injectable()
export class BodyRoutingService implements OnModuleInit {
  private readonly log = new Logger(BodyRoutingService.name);
  private bodies!: BodyRouter;
  private units?: UnitModelRegistry;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

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
    const decision = this.bodies.route({ text: p.text, regionCode: p.location?.regionCode, point: p.location?.point });
    const model = decision.kind === 'triage' ? undefined : this.units?.forBody(decision.code);
    if (!model) return decision;
    // Models are trained with --location-columns kecamatan,kelurahan (see README), so those are the keys.
    const location: Record<string, string> = {};
    if (decision.place?.districtName) location.kecamatan = decision.place.districtName;
    if (decision.place?.villageName) location.kelurahan = decision.place.villageName;
    const unit = model.predict(p.text, location);
    return {
      ...decision,
      unit: { unit: unit.unit, confidence: unit.confidence, needsReview: unit.needsReview, alternatives: unit.alternatives, model: `${decision.code}:${model.modelId}` },
    };
  }
}
