import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { DomainError, type FieldError } from './domain.error';
import { ISO_UTC_EXAMPLE, parseIsoUs } from './time';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ field, reason: reason.replace(/^property \S+ /, '') }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Whitelisted, unknown fields refused, and every problem answered as `{ field, reason }`. */
export function apiValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // The values a client sent are not echoed back (an ENR in a wrong field must not come back in an error).
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const list = flatten(errors);
      return new DomainError('validation-failed', list.map((e) => `${e.field}: ${e.reason}`).join('; ') || 'invalid request', { errors: list });
    },
  });
}

/** A string holding an ISO 8601 UTC time with Z (see common/time.ts). */
export function IsIsoUtc(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIsoUtc',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `must be an ISO 8601 UTC time ending in Z, e.g. ${ISO_UTC_EXAMPLE}`, ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && parseIsoUs(v) !== undefined },
    });
}
