import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A body's API token for its own system: shown once, stored as SHA-256, revocable. */
@Entity('desk_api_tokens')
export class ApiTokenEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'body_code', type: 'varchar', length: 80 })
  bodyCode!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  /** The token's first characters, so people can tell their tokens apart. */
  @Column({ type: 'varchar', length: 20 })
  prefix!: string;

  @Column({ name: 'read_only', type: 'boolean', default: false })
  readOnly!: boolean;

  @Column({ name: 'created_by', type: 'varchar', length: 300 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
