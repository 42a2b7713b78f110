import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from './domain.error';

const MAX_INT4 = 2_147_483_647;

/** Positive integer ids (cameras are int4, segments int8 but far below 2^53); anything else is 400, never a lookup. */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  constructor(private readonly field = 'id', private readonly max = Number.MAX_SAFE_INTEGER) {}

  transform(value: string): number {
    const n = /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n > this.max) throw DomainError.field('validation-failed', this.field, 'must be a positive integer id');
    return n;
  }
}

export const CameraIdPipe = new IdPipe('id', MAX_INT4);
export const SegmentIdPipe = new IdPipe('id');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw DomainError.field('validation-failed', 'id', 'must be a UUID');
    return value.toLowerCase();
  }
}

/** Job ids we hand out: letters, digits and `-:_.`; never a path. */
@Injectable()
export class JobIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9:_.-]{0,99}$/.test(value)) throw DomainError.field('validation-failed', 'id', 'must be a job id returned by the API');
    return value;
  }
}
