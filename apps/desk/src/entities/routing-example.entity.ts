import { Column, Entity, PrimaryColumn } from 'typeorm';

export type CorrectionAction = 'return' | 'forward' | 'dispose';

/** The learning loop: an official's return/forward/dispose is the label routing should have given. */
@Entity('desk_routing_examples')
export class RoutingExampleEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tracking_id', type: 'varchar', length: 16 })
  trackingId!: string;

  /** The complaint's status sequence after the action: with tracking id and action, the dedupe key. */
  @Column({ type: 'int' })
  sequence!: number;

  @Column({ type: 'varchar', length: 20 })
  action!: CorrectionAction;

  @Column({ type: 'text' })
  text!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 20, nullable: true })
  regionCode!: string | null;

  @Column({ name: 'district_name', type: 'varchar', length: 200, nullable: true })
  districtName!: string | null;

  @Column({ name: 'village_name', type: 'varchar', length: 200, nullable: true })
  villageName!: string | null;

  @Column({ name: 'routed_body_code', type: 'varchar', length: 80, nullable: true })
  routedBodyCode!: string | null;

  @Column({ name: 'routed_unit', type: 'varchar', length: 300, nullable: true })
  routedUnit!: string | null;

  /** The responsibility rules that fired for routing's choice. */
  @Column({ name: 'routed_rules', type: 'jsonb', default: () => "'[]'" })
  routedRules!: string[];

  @Column({ name: 'chosen_body_code', type: 'varchar', length: 80, nullable: true })
  chosenBodyCode!: string | null;

  @Column({ name: 'chosen_unit', type: 'varchar', length: 300, nullable: true })
  chosenUnit!: string | null;

  /** The body that acted (whose unit model a disposition trains). */
  @Column({ name: 'body_code', type: 'varchar', length: 80, nullable: true })
  bodyCode!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
