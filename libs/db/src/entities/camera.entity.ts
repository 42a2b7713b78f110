import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

/** Which handshake a camera answered discovery with (ARCHITECTURE.md: OLD = TransCode + IOTC, NEW = 0xCC51 + HMAC). */
export type CameraFlavour = 'old' | 'new';
export type CameraQuality = 'hd' | 'sd';

@Entity({ name: 'cameras' })
@Unique('cameras_mac_key', ['mac'])
@Check('cameras_port_check', `port >= 1 AND port <= 65535`)
@Check('cameras_flavour_check', `flavour IN ('old', 'new')`)
@Check('cameras_quality_check', `quality IN ('hd', 'sd')`)
export class CameraEntity {
  @PrimaryGeneratedColumn('identity', { type: 'integer', generatedIdentity: 'BY DEFAULT', primaryKeyConstraintName: 'cameras_pkey' })
  id!: number;

  @Column({ type: 'text' })
  name!: string;

  /** TUTK device UID as issued by the Wyze cloud. */
  @Column({ type: 'text' })
  uid!: string;

  /** The ENR, already encrypted by libs/config; this lib only stores the opaque string. */
  @Column({ name: 'enr_encrypted', type: 'text' })
  enrEncrypted!: string;

  @Column({ type: 'text' })
  mac!: string;

  @Column({ type: 'inet', nullable: true })
  ip!: string | null;

  @Column({ type: 'integer', nullable: true })
  port!: number | null;

  @Column({ type: 'text' })
  model!: string;

  @Column({ type: 'text', nullable: true })
  firmware!: string | null;

  /** Null until the camera has answered discovery once. */
  @Column({ type: 'text', nullable: true })
  flavour!: CameraFlavour | null;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'text', default: 'hd' })
  quality!: CameraQuality;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
