import { DtlsError } from '../dtls/dtls-error';
import { TutkSessionError, type TutkSessionPhase } from './session-error';

/** A DtlsError from a handshake, as the session reports it: 'bad-psk' means the ENR is wrong (FACTS §7.1). */
export function dtlsFailure(phase: TutkSessionPhase, e: unknown): TutkSessionError {
  if (e instanceof TutkSessionError) return e;
  if (e instanceof DtlsError) {
    return new TutkSessionError(phase, e.code === 'bad-psk' ? 'wrong-key' : 'dtls-failed', `DTLS ${e.code}: ${e.message}`, { cause: e });
  }
  return new TutkSessionError(phase, 'dtls-failed', e instanceof Error ? e.message : String(e), { cause: e });
}
