// What the fuzz runner and its workers tell each other.
import type { FuzzFinding } from '@wyze-nvr/tutk/wire/fuzz';

/** Shared memory layout: [target index, input index, input length] as int32, then the input's bytes. */
export const PROGRESS_HEADER_BYTES = 16;
export const PROGRESS_INPUT_BYTES = 1 << 20;

export interface FamilyJob {
  family: string;
  /** Inputs for the whole family, shared out evenly between its targets. */
  inputs: number;
  seed: number;
  hangMs: number;
  maxFindings: number;
  progress: SharedArrayBuffer;
}

export interface TargetReport {
  target: string;
  seed: number;
  inputs: number;
  rejected: number;
  ms: number;
  findings: (Omit<FuzzFinding, 'input'> & { input: string })[];
}
